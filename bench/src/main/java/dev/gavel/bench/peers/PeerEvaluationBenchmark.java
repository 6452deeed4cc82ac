package dev.gavel.bench.peers;

import dev.gavel.bench.engine.EvaluationBenchmark;
import dev.gavel.bench.workload.RequestMix;
import dev.gavel.bench.workload.Workload;
import dev.gavel.bench.workload.WorkloadGenerator;
import dev.gavel.engine.eval.Request;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * In-process decisions per second of Gavel and its peers on the same generated repository and the same
 * request mix as {@link dev.gavel.bench.engine.EvaluationBenchmark} (10,000 requests, seeded by the
 * workload). Setup first checks that the peer gives every checked request of the mix Gavel's outcome
 * ({@link Equivalence}) and refuses to time it otherwise. Threads share one peer; run with {@code -t 1}
 * and {@code -t 2}.
 *
 * <p>{@code scripts/bench jmh PeerEvaluationBenchmark -f 1 -wi 3 -w 2s -i 5 -r 3s -t 1 -p policies=1000}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class PeerEvaluationBenchmark {
    static final int REQUESTS = EvaluationBenchmark.REQUESTS;

    @Param({"100", "1000", "10000"})
    public int policies;

    @Param({"gavel", "cedar", "jcasbin", "easyrules"})
    public String peer;

    /**
     * How many requests of the mix (from the start) the equivalence check runs before timing: all of
     * them by default; the slow peers at 10,000 policies need minutes for that, so {@code -p check=2000}.
     */
    @Param({"10000"})
    public int check;

    Peer engine;
    Request[] requests;

    @Setup(Level.Trial)
    public void setUp() {
        Workload workload = WorkloadGenerator.generate(policies);
        FlatRepository repository = FlatRepository.of(workload);
        List<Request> mix = RequestMix.generate(workload, workload.seed(), REQUESTS);
        long start = System.nanoTime();
        engine = Peers.create(peer, repository);
        long built = System.nanoTime();
        Equivalence.Report report = Equivalence.check(
                        repository, engine, mix.subList(0, Math.min(check, mix.size())), 5)
                .require();
        System.out.printf(
                "%n%d policies (%d flat rules), %s built in %d ms; %s (checked in %d ms)%n",
                policies,
                repository.ruleCount(),
                peer,
                (built - start) / 1_000_000,
                report,
                (System.nanoTime() - built) / 1_000_000);
        requests = mix.toArray(Request[]::new);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        engine.close();
    }

    @Benchmark
    public Outcome decide(EvaluationBenchmark.Cursor cursor) {
        return engine.decide(cursor.next(requests));
    }
}
