package dev.gavel.engine.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.engine.eval.Evaluation;
import dev.gavel.engine.eval.RequestReader;
import dev.gavel.engine.model.PolicyTestCase;
import dev.gavel.engine.resolve.TemplatePolicies;
import dev.gavel.engine.snapshot.CompileResult;
import dev.gavel.engine.snapshot.PolicySnapshot;
import dev.gavel.engine.snapshot.SnapshotCompiler;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kie.api.KieBase;

/**
 * A server's first compile serves its snapshot before the knowledge bases are built (BuildTiming.BACKGROUND): the
 * decisions must be those of a compile that built them first, each base must be built exactly once whoever asks,
 * and the background threads must get every base built without being asked.
 */
class DeferredBuildTest {
    private static PolicySnapshot compile(BuildTiming timing) {
        CompileResult r =
                SnapshotCompiler.compile("template", TemplatePolicies.files(), Map.of(), Optional.empty(), timing);
        assertThat(r).isInstanceOf(CompileResult.Compiled.class);
        return ((CompileResult.Compiled) r).snapshot();
    }

    @Test
    @DisplayName("a compile with builds NOW returns with every knowledge base built")
    void nowBuildsEveryBase() {
        PolicySnapshot now = compile(BuildTiming.NOW);
        assertThat(now.partitions()).isNotEmpty();
        assertThat(now.partitions().values()).allMatch(CompiledPartition::isBuilt);
    }

    @Test
    @DisplayName("a snapshot whose bases build in the background decides every template test as one built first")
    void backgroundDecidesAsNow() {
        PolicySnapshot now = compile(BuildTiming.NOW);
        PolicySnapshot background = compile(BuildTiming.BACKGROUND);
        int compared = 0;
        for (var suite : now.tests()) {
            for (PolicyTestCase t : suite.tests()) {
                var read = RequestReader.read(
                        t.scope(), t.request(), now.settings().levels().size());
                if (!(read instanceof RequestReader.Read ok)) {
                    continue;
                }
                Evaluation a = now.evaluate(ok.request());
                Evaluation b = background.evaluate(ok.request());
                assertThat(b.decision()).as(t.name()).isEqualTo(a.decision());
                assertThat(b.matches()).as(t.name()).isEqualTo(a.matches());
                assertThat(b.missing()).as(t.name()).isEqualTo(a.missing());
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(5);
    }

    @Test
    @DisplayName("the background threads build every base nobody asked for")
    void backgroundBuildsEveryBase() throws InterruptedException {
        PolicySnapshot background = compile(BuildTiming.BACKGROUND);
        long deadline = System.nanoTime() + 60_000_000_000L; // a liveness bound, not a speed figure
        while (!background.partitions().values().stream().allMatch(CompiledPartition::isBuilt)
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(background.partitions().values()).allMatch(CompiledPartition::isBuilt);
    }

    @Test
    @DisplayName("a deferred base asked for by eight threads at once is built once: all get the same base")
    void builtOnceWhoeverAsks() throws Exception {
        CompiledPartition template = compile(BuildTiming.NOW).partitions().get("");
        CompiledPartition deferred = CompiledPartition.deferred("", template.compiled());
        assertThat(deferred.isBuilt()).isFalse();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<KieBase>> bases = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                bases.add(pool.submit(() -> {
                    go.await();
                    return deferred.kieBase();
                }));
            }
            go.countDown();
            Map<KieBase, Boolean> distinct = new IdentityHashMap<>();
            for (Future<KieBase> f : bases) {
                distinct.put(f.get(), true);
            }
            assertThat(distinct).hasSize(1);
            assertThat(deferred.isBuilt()).isTrue();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("a closed deferred partition is not built by the background (nobody will use it)")
    void closedIsNotBuilt() {
        CompiledPartition template = compile(BuildTiming.NOW).partitions().get("");
        CompiledPartition deferred = CompiledPartition.deferred("", template.compiled());
        deferred.close();
        deferred.ensureBuilt();
        assertThat(deferred.isBuilt()).isFalse();
    }
}
