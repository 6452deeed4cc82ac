package dev.gavel.engine.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.engine.eval.Request;
import dev.gavel.engine.model.Category;
import dev.gavel.engine.model.Decision;
import dev.gavel.engine.model.Metadata;
import dev.gavel.engine.model.Policy;
import dev.gavel.engine.model.ScopePath;
import dev.gavel.engine.model.Settings;
import dev.gavel.engine.snapshot.CompileResult;
import dev.gavel.engine.snapshot.PolicySnapshot;
import dev.gavel.engine.snapshot.SnapshotCompiler;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The fields a policy needs as a document record (seed 004): they live in the file and round-trip. */
class DocumentRecordFieldsTest {
    static final String RECORD = """
      apiVersion: gavel/v1
      kind: Policy
      metadata:
        name: handbook
        owner: people-team
        category: hr
        reviewEvery: P90D
        lastReviewed: 2026-01-01
        nextReviewAt: 2026-02-15T09:30:00Z
        tags: [onboarding, leave]
        source: edm
        sourceType: frontend
        deleted: {at: 2026-03-01T10:00:00Z, by: Olga Owner}
      spec:
        type: document
        enforcement: audit
        settings: {body: "# Handbook", version: 1.2.0, publishedAt: 2026-01-02T08:00:00Z}
      """;

    static Policy parse(String yaml) {
        ParseResult<Policy> r =
                PolicyParser.parse(yaml.getBytes(StandardCharsets.UTF_8), "policies/acme/handbook.yaml");
        assertThat(r.diagnostics()).filteredOn(Diagnostic::isError).isEmpty();
        return r.valueIfValid().orElseThrow();
    }

    @Test
    @DisplayName(
            "hr, tags, a hand-set review date, source, sourceType, deletion and a date-time publishedAt parse and round-trip")
    void parsesAndRoundTrips() {
        Policy p = parse(RECORD);
        Metadata m = p.metadata();
        assertThat(m.category()).contains(Category.HR);
        assertThat(m.tags()).containsExactly("onboarding", "leave");
        assertThat(m.nextReview()).contains(LocalDate.of(2026, 2, 15)); // the hand-set date wins over the cadence
        assertThat(m.nextReviewInstant()).contains(Instant.parse("2026-02-15T09:30:00Z"));
        assertThat(m.sourceType()).contains("frontend");
        assertThat(m.deleted()).contains(new Metadata.Deletion(Instant.parse("2026-03-01T10:00:00Z"), "Olga Owner"));
        assertThat(((Settings.Document) p.spec().settings()).publishedAt())
                .contains(Instant.parse("2026-01-02T08:00:00Z"));
        assertThat(parse(PolicyWriter.toYaml(p))).isEqualTo(p);
        // a review recorded meets the hand-set date: the cadence gives the next one again
        assertThat(m.withLastReviewed(LocalDate.of(2026, 2, 10)).nextReview()).contains(LocalDate.of(2026, 5, 11));
    }

    @Test
    @DisplayName("a bad sourceType, tag or deletion is a schema error on its field")
    void rejects() {
        String bad = RECORD.replace("sourceType: frontend", "sourceType: email")
                .replace("[onboarding, leave]", "[\"\"]")
                .replace("by: Olga Owner", "who: x");
        ParseResult<Policy> r = PolicyParser.parse(bad.getBytes(StandardCharsets.UTF_8), "policies/acme/handbook.yaml");
        assertThat(r.diagnostics())
                .filteredOn(Diagnostic::isError)
                .extracting(Diagnostic::field)
                .contains("metadata.sourceType", "metadata.tags[0]", "metadata.deleted.by", "metadata.deleted.who");
    }

    @Test
    @DisplayName("a soft-deleted policy is not evaluated")
    void deletedIsNotEvaluated() {
        String deny = """
        apiVersion: gavel/v1
        kind: Policy
        metadata: {name: no-gpu%s}
        spec:
          type: custom
          enforcement: block
          rules: [{name: r, when: 'flavor.type == "gpu"', effect: deny, message: no}]
        """;
        Map<String, byte[]> files =
                Map.of("policies/no-gpu.yaml", deny.formatted("").getBytes(StandardCharsets.UTF_8));
        Map<String, byte[]> deleted = Map.of(
                "policies/no-gpu.yaml",
                deny.formatted(", deleted: {at: '2026-03-01T10:00:00Z', by: me}")
                        .getBytes(StandardCharsets.UTF_8));
        Request gpu = new Request(
                ScopePath.parse("acme").segments(),
                new Request.Resource("model", "r", Map.of()),
                "deploy",
                new Request.Location("eu-west-1", "IE", "EU"),
                new Request.Flavor("h100", "gpu"),
                new Request.Tokens(1L, 1L, null),
                Map.of());
        assertThat(snapshot(files).evaluate(gpu).decision()).isEqualTo(Decision.DENY);
        assertThat(snapshot(deleted).evaluate(gpu).decision()).isEqualTo(Decision.ALLOW);
        assertThat(snapshot(deleted).policies().all()).hasSize(1); // still there, still readable
    }

    static PolicySnapshot snapshot(Map<String, byte[]> files) {
        CompileResult r = SnapshotCompiler.compile("c1", files);
        assertThat(r).as("%s", r.diagnostics()).isInstanceOf(CompileResult.Compiled.class);
        return ((CompileResult.Compiled) r).snapshot();
    }

    @Test
    @DisplayName("every category spelling, hr included, is in the schema")
    void categories() {
        assertThat(Category.spellings()).contains("hr");
        for (String c : Category.spellings()) {
            parse(RECORD.replace("category: hr", "category: " + c));
        }
        assertThat(List.of(Category.values())).hasSize(7);
    }
}
