package dev.gavel.bench.engine;

import dev.gavel.bench.workload.DecisionMix;
import dev.gavel.bench.workload.RequestMix;
import dev.gavel.bench.workload.Workload;
import dev.gavel.bench.workload.WorkloadGenerator;
import dev.gavel.engine.eval.Evaluation;
import dev.gavel.engine.eval.Request;
import dev.gavel.engine.snapshot.CompileResult;
import dev.gavel.engine.snapshot.PolicySnapshot;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Evaluations per second of one snapshot of a generated repository, cycling through a 10,000-request
 * mix (about 10 % deny, 20 % warn; checked at setup). Threads share the snapshot, as a server does;
 * run with {@code -t 1} and {@code -t 2} (JMH reports the total over the threads).
 *
 * <p>{@code scripts/bench jmh EvaluationBenchmark -f 1 -wi 3 -w 2s -i 5 -r 3s -t 1 -p policies=1000}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class EvaluationBenchmark {
    public static final int REQUESTS = 10_000;

    @Param({"1000"})
    public int policies;

    PolicySnapshot snapshot;
    Request[] requests;

    @Setup(Level.Trial)
    public void compile() {
        Workload workload = WorkloadGenerator.generate(policies);
        CompileResult.Compiled compiled = workload.compile("bench");
        snapshot = compiled.snapshot();
        List<Request> mix = RequestMix.generate(workload, workload.seed(), REQUESTS);
        System.out.println("\n" + policies + " policies, compiled in " + compiled.millis() + " ms; mix: "
                + DecisionMix.of(snapshot, mix).requireTargetShares());
        requests = mix.toArray(Request[]::new);
    }

    /**
     * Each thread walks the mix from its own offset, so two threads do not ask the same thing at once.
     * Shared with the peers' benchmark, which walks the same mix.
     */
    @State(Scope.Thread)
    public static class Cursor {
        private int next;

        @Setup(Level.Trial)
        public void start(ThreadParams thread) {
            next = thread.getThreadIndex() * (REQUESTS / Math.max(1, thread.getThreadCount()));
        }

        /** The next request of {@code mix}, wrapping around. */
        public <T> T next(T[] mix) {
            T r = mix[next];
            next = next + 1 == mix.length ? 0 : next + 1;
            return r;
        }
    }

    @Benchmark
    public Evaluation evaluate(Cursor cursor) {
        return snapshot.evaluate(cursor.next(requests));
    }
}
