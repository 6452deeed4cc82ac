package dev.gavel.bench.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScriptOptionsTest {
    @Test
    void readsBothAssignmentsWordByWord() {
        ScriptOptions o = ScriptOptions.parse(
                "#!/bin/bash\n# serve_opts=\"-Xmx1g\" in a comment is not it\nserve_opts=\"-XX:+UseSerialGC  -Xmn32m\"\n"
                        + "cli_opts=\"-XX:TieredStopAtLevel=1\"\nopts=\"$serve_opts\"\n");
        assertThat(o.serve()).containsExactly("-XX:+UseSerialGC", "-Xmn32m");
        assertThat(o.cli()).containsExactly("-XX:TieredStopAtLevel=1");
    }

    @Test
    void refusesAScriptWithoutThem() {
        assertThatThrownBy(() -> ScriptOptions.parse("serve_opts=\"-Xmx1g\"\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cli_opts");
    }

    /** The checkout's own script: both sets are plain JVM options (what the cold-compile figure launches with). */
    @Test
    void theCheckoutsScriptHasBothSets() throws Exception {
        ScriptOptions o = ScriptOptions.of(Path.of("..").toAbsolutePath().normalize());
        for (List<String> set : List.of(o.serve(), o.cli())) {
            assertThat(set).isNotEmpty().allMatch(w -> w.startsWith("-X"));
        }
    }
}
