package dev.gavel.engine.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.engine.model.RepositorySettings;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RepositorySettingsParserTest {
    static ParseResult<RepositorySettings> parse(String yaml) {
        return RepositorySettingsParser.parse(yaml.getBytes(StandardCharsets.UTF_8), "gavel.yaml");
    }

    @Test
    @DisplayName("absent levels and branch take the defaults")
    void defaults() {
        assertThat(parse("apiVersion: gavel/v1\nkind: Repository\n").valueIfValid())
                .contains(RepositorySettings.DEFAULTS);
    }

    @Test
    @DisplayName("custom levels and branch are read")
    void custom() {
        RepositorySettings s = parse(
                        "apiVersion: gavel/v1\nkind: Repository\nlevels: [org, team]\nbranch: release/v1\n")
                .valueIfValid()
                .orElseThrow();
        assertThat(s.levels()).containsExactly("org", "team");
        assertThat(s.branch()).isEqualTo("release/v1");
        assertThat(s.levelName(2)).contains("team");
        assertThat(s.allowsDepth(3)).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "levels: [a, a]                       | 3 | levels: lists the same entry twice",
                "levels: []                           | 3 | levels: needs at least 1 entry",
                "levels: [a, b, c, d, e, f, g, h, i]  | 3 | levels: may have at most 8 entries",
                "levels: [Tenant]                     | 3 | levels[0]: 'Tenant' is not a valid name",
                "branch: a..b                         | 3 | branch: 'a..b' is not a valid git branch name",
                "branch: 'feat branch'                | 3 | branch: 'feat branch' may only contain letters",
                "branches: main                       | 3 | branches: unknown field 'branches'; expected one of apiVersion, kind, levels, branch",
            })
    @DisplayName("a bad gavel.yaml is rejected with a positioned message")
    void invalid(String line, int expectedLine, String fragment) {
        ParseResult<RepositorySettings> r = parse("apiVersion: gavel/v1\nkind: Repository\n" + line + "\n");
        assertThat(r.isValid()).isFalse();
        assertThat(r.diagnostics()).anySatisfy(d -> {
            assertThat(d.message()).contains(fragment);
            assertThat(d.line()).isEqualTo(expectedLine);
            assertThat(d.file()).isEqualTo("gavel.yaml");
        });
    }

    @Test
    @DisplayName("a policy file given as gavel.yaml is told its kind is wrong")
    void wrongKind() {
        List<Diagnostic> d = parse("apiVersion: gavel/v1\nkind: Policy\n").diagnostics();
        assertThat(d).extracting(Diagnostic::message).containsExactly("kind: must be 'Repository', not 'Policy'");
    }
}
