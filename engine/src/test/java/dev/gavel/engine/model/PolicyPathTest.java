package dev.gavel.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyPathTest {
    @Test
    @DisplayName("scope and name come from the path, and path() gives it back")
    void parse() {
        PolicyPath p = PolicyPath.parse("policies/acme/chat/token-limits.yaml");
        assertThat(p.scope()).isEqualTo(ScopePath.of("acme", "chat"));
        assertThat(p.name()).isEqualTo("token-limits");
        assertThat(p.path()).isEqualTo("policies/acme/chat/token-limits.yaml");
        assertThat(PolicyPath.parse("policies/eu-residency.yaml").scope().isGlobal())
                .isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "policies/acme/x.yml              | not .yml (rename to x.yaml)",
                "policies/acme/x.json             | policy files end in .yaml",
                "policies/../etc/passwd.yaml      | directory '..' is not a valid scope name",
                "policies/acme//x.yaml            | directory '' is not a valid scope name",
                "/policies/x.yaml                 | must be policies/<scope directories>/<name>.yaml",
                "other/x.yaml                     | must be policies/<scope directories>/<name>.yaml",
                "policies\\acme\\x.yaml           | must use '/' as separator",
                "policies/Acme/x.yaml             | directory 'Acme' is not a valid scope name",
                "policies/acme/X.yaml             | file name 'X' is not a valid policy name",
                "policies/acme/.yaml              | file name '' is not a valid policy name",
                "policies                         | must be policies/<scope directories>/<name>.yaml",
            })
    @DisplayName("bad paths are rejected before any file system use")
    void invalid(String path, String fragment) {
        assertThatThrownBy(() -> PolicyPath.parse(path))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(fragment);
        assertThat(PolicyPath.isPolicyPath(path)).isFalse();
    }
}
