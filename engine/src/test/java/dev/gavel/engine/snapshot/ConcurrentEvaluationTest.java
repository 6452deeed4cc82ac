package dev.gavel.engine.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.engine.eval.Evaluation;
import dev.gavel.engine.eval.Request;
import dev.gavel.engine.model.Decision;
import dev.gavel.engine.resolve.TemplatePolicies;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ConcurrentEvaluationTest {
    private static Request gpu(String scope) {
        return new Request(
                List.of(scope.split("\\.")),
                new Request.Resource("model", "m", Map.of()),
                "deploy",
                new Request.Location("eu-west-1", "IE", "EU"),
                new Request.Flavor("h100", "gpu"),
                new Request.Tokens(100L, 100L, null),
                Map.of());
    }

    @Test
    @DisplayName("8 threads evaluating while snapshots are swapped always get one commit's answer")
    void concurrentEvaluationDuringSwaps() throws Exception {
        Map<String, byte[]> v1 = TemplatePolicies.files();
        Map<String, byte[]> v2 = new TreeMap<>(v1);
        // v2 allows GPUs for globex: the decision for a globex GPU request flips from deny to allow.
        v2.put("policies/globex/allowed-flavors.yaml", """
        apiVersion: gavel/v1
        kind: Policy
        metadata: {name: allowed-flavors}
        spec:
          type: flavor
          enforcement: block
          settings:
            allowed: [{type: cpu}, {type: gpu}]
        """.getBytes(StandardCharsets.UTF_8));
        PolicySnapshot s1 = ((CompileResult.Compiled) SnapshotCompiler.compile("v1", v1)).snapshot();
        PolicySnapshot s2 = ((CompileResult.Compiled) SnapshotCompiler.compile("v2", v2, Optional.of(s1))).snapshot();
        assertThat(s1.evaluate(gpu("globex")).decision()).isEqualTo(Decision.DENY);
        assertThat(s2.evaluate(gpu("globex")).decision()).isEqualTo(Decision.ALLOW);
        Decision acme1 = s1.evaluate(gpu("acme.chat.support-bot.prod")).decision();
        assertThat(s2.evaluate(gpu("acme.chat.support-bot.prod")).decision()).isEqualTo(acme1);

        ServedSnapshot served = new ServedSnapshot();
        served.offer(new CompileResult.Compiled(s1, java.util.Set.of(), 0));
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Integer>> workers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            workers.add(pool.submit(() -> {
                int checked = 0;
                while (!stop.get() || checked < 2_000) {
                    PolicySnapshot s = served.current().orElseThrow();
                    Evaluation g = s.evaluate(gpu("globex"));
                    Decision expected = s.commit().equals("v1") ? Decision.DENY : Decision.ALLOW;
                    if (g.decision() != expected || !g.commit().equals(s.commit())) {
                        throw new AssertionError("commit " + s.commit() + " answered " + g.decision());
                    }
                    if (s.evaluate(gpu("acme.chat.support-bot.prod")).decision() != acme1) {
                        throw new AssertionError("acme answer changed");
                    }
                    checked++;
                }
                return checked;
            }));
        }
        for (int swap = 0; swap < 200; swap++) {
            served.offer(new CompileResult.Compiled(swap % 2 == 0 ? s2 : s1, java.util.Set.of(), 0));
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // let evaluations run between swaps
        }
        stop.set(true);
        long total = 0;
        for (Future<Integer> w : workers) {
            total += w.get();
        }
        pool.shutdown();
        assertThat(total).isGreaterThanOrEqualTo(16_000);
    }
}
