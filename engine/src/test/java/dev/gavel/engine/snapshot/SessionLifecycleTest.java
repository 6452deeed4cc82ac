package dev.gavel.engine.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.engine.eval.Request;
import dev.gavel.engine.model.Decision;
import dev.gavel.engine.resolve.TemplatePolicies;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Sessions are reused across evaluations and disposed when the served snapshot stops using their partition. */
class SessionLifecycleTest {
    static final Request EXPLODE = new Request(
            List.of("globex"),
            new Request.Resource("model", "m", Map.of()),
            "explode",
            new Request.Location("x", "IE", "EU"),
            new Request.Flavor("c", "cpu"),
            new Request.Tokens(1L, 1L, null),
            Map.of());

    @Test
    void one_thread_reuses_one_session_per_partition_and_a_swap_disposes_the_replaced_ones() {
        Map<String, byte[]> files = TemplatePolicies.files();
        CompileResult.Compiled first = (CompileResult.Compiled) SnapshotCompiler.compile("a", files);
        ServedSnapshot served = new ServedSnapshot();
        served.offer(first);
        for (int i = 0; i < 50; i++) {
            assertThat(served.current().orElseThrow().evaluate(EXPLODE).decision())
                    .isEqualTo(Decision.ALLOW);
        }
        var globex = first.snapshot().partitions().get("globex");
        var global = first.snapshot().partitions().get("");
        assertThat(globex.idleSessions()).isEqualTo(1); // 50 evaluations, one session
        assertThat(global.idleSessions()).isEqualTo(1);

        Map<String, byte[]> changed = new TreeMap<>(files);
        changed.put(
                "policies/globex/extra.yaml",
                SnapshotCompilerTest.policy("extra", """
        type: custom
        enforcement: block
        rules:
          - {name: r, when: 'action == "explode"', effect: deny, message: no}
        """).getBytes(StandardCharsets.UTF_8));
        CompileResult.Compiled second =
                (CompileResult.Compiled) SnapshotCompiler.compile("b", changed, Optional.of(first.snapshot()));
        served.offer(second);
        assertThat(globex.idleSessions())
                .as("replaced partition's sessions disposed")
                .isZero();
        assertThat(second.snapshot().partitions().get("")).isSameAs(global);
        assertThat(global.idleSessions())
                .as("shared partition keeps its session")
                .isEqualTo(1);
        assertThat(served.current().orElseThrow().evaluate(EXPLODE).decision()).isEqualTo(Decision.DENY);
        // An evaluation still holding the old snapshot answers as before and leaves no session behind.
        assertThat(first.snapshot().evaluate(EXPLODE).decision()).isEqualTo(Decision.ALLOW);
        assertThat(globex.idleSessions()).isZero();
    }

    @Test
    void a_thread_takes_another_stripes_idle_session_before_it_makes_one() throws Exception {
        // One thread after another (consecutive ids, different slots: each would otherwise keep a session of its
        // own), never two at once: one session is enough.
        CompileResult.Compiled compiled =
                (CompileResult.Compiled) SnapshotCompiler.compile("a", TemplatePolicies.files());
        PolicySnapshot snapshot = compiled.snapshot();
        for (int i = 0; i < 6; i++) {
            Thread t = new Thread(() -> snapshot.evaluate(EXPLODE));
            t.start();
            t.join();
        }
        var globex = snapshot.partitions().get("globex");
        assertThat(globex.idleSessions()).isEqualTo(1);
        globex.close();
        assertThat(globex.idleSessions()).isZero();
    }
}
