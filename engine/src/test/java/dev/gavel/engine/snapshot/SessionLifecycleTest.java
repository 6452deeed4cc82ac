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
    void two_threads_taking_turns_keep_a_session_each_and_close_disposes_both() throws Exception {
        // Two threads created one after the other have consecutive ids, hence different slots: each gets back
        // the session it used, rather than the one the other thread just gave back (which would move a working
        // memory between two cores' caches at every request).
        CompileResult.Compiled compiled =
                (CompileResult.Compiled) SnapshotCompiler.compile("a", TemplatePolicies.files());
        PolicySnapshot snapshot = compiled.snapshot();
        var globex = snapshot.partitions().get("globex");
        java.util.concurrent.ExecutorService a = java.util.concurrent.Executors.newSingleThreadExecutor();
        java.util.concurrent.ExecutorService b = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            for (int i = 0; i < 20; i++) {
                for (var thread : List.of(a, b)) {
                    assertThat(thread.submit(() -> snapshot.evaluate(EXPLODE).decision())
                                    .get())
                            .isEqualTo(Decision.ALLOW);
                }
            }
        } finally {
            a.shutdown();
            b.shutdown();
        }
        assertThat(globex.idleSessions()).isEqualTo(2);
        globex.close();
        assertThat(globex.idleSessions()).isZero();
    }
}
