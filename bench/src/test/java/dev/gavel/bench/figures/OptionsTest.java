package dev.gavel.bench.figures;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionsTest {
    @Test
    void aCandidateSplitsEnvironmentVariablesFromJvmOptions() {
        List<Options.JvmCandidate> c =
                Options.jvmCandidates("plain=;arena2=MALLOC_ARENA_MAX=2 -XX:+UseSerialGC -Dgavel.x=1 -Xmn32m");

        assertEquals(new Options.JvmCandidate("plain", List.of(), Map.of()), c.get(0));
        assertEquals("arena2", c.get(1).name());
        assertEquals(
                List.of("-XX:+UseSerialGC", "-Dgavel.x=1", "-Xmn32m"), c.get(1).options());
        assertEquals(Map.of("MALLOC_ARENA_MAX", "2"), c.get(1).environment());
    }

    /** Figures 2-5 start Gavel as `scripts/gavel serve` does unless told otherwise (they used -Xmx2g before). */
    @Test
    void gavelRunsWithTheScriptsServeOptionsByDefault() throws Exception {
        Options defaults = Options.parse(new String[] {"4", "--cerbos", "/opt/cerbos"});
        assertEquals(dev.gavel.bench.launch.ScriptOptions.ofWorkingDirectory().serve(), defaults.gavelJavaOptions());
        Options given = Options.parse(new String[] {"4", "--cerbos", "/opt/cerbos", "--java-opts", "-Xmx1g"});
        assertEquals(List.of("-Xmx1g"), given.gavelJavaOptions());
    }
}
