package dev.gavel.api.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReportMarkdownTest {
    static String policy(String description) {
        return "apiVersion: gavel/v1\nkind: Policy\nmetadata:\n  name: note\n  description: '" + description + "'\n"
                + "spec:\n  type: custom\n  enforcement: warn\n  rules:\n    - name: r\n      when: action == \"x\"\n"
                + "      effect: warn\n      message: m\n";
    }

    static RevisionFiles files(String label, String description) {
        return RevisionFiles.ofCommit(
                label,
                label.repeat(40).substring(0, 40),
                Map.of("policies/acme/note.yaml", policy(description).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    @DisplayName(
            "text from policies cannot break the impact table: pipes are escaped, backticks replaced, HTML kept in a code span")
    void hostileTextStaysInItsCell() {
        ValidationReport r = Validation.run(
                files("b", "a | b `code` <img src=x>"),
                Optional.of(files("a", "plain")),
                Validation.Steps.ALL,
                Optional.empty());
        String md = ReportMarkdown.render(r);
        List<String> rows = md.lines().filter(l -> l.startsWith("| `acme`")).toList();
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.replace("\\|", "").chars().filter(c -> c == '|').count())
                    .isEqualTo(5);
            // the whole value sits in one code span (where GitHub renders HTML as text), its backticks replaced
            assertThat(row)
                    .contains("metadata.description")
                    .doesNotContain("`code`")
                    .contains("→ `\"a \\| b ˋcodeˋ <img src=x>\"`");
        });
        assertThat(md.lines().findFirst().orElseThrow()).startsWith("### ✅ Gavel passed: valid (1 policy)");
    }

    @Test
    @DisplayName("a base that does not compile gives a report whose impact says why it is missing")
    void brokenBase() {
        RevisionFiles broken = RevisionFiles.ofCommit(
                "a", "a".repeat(40), Map.of("policies/acme/note.yaml", "nope: [".getBytes(StandardCharsets.UTF_8)));
        ValidationReport r =
                Validation.run(files("b", "fine"), Optional.of(broken), Validation.Steps.ALL, Optional.empty());
        assertThat(r.ok()).isTrue(); // the head is what is checked
        assertThat(r.impact().orElseThrow().notComputed())
                .hasValueSatisfying(s -> assertThat(s).contains("base a"));
        assertThat(ReportMarkdown.render(r)).contains("Not computed: the base a does not compile");
    }
}
