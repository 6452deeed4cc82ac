package dev.gavel.bench.engine;

import dev.gavel.bench.workload.RequestMix;
import dev.gavel.bench.workload.Workload;
import dev.gavel.bench.workload.WorkloadGenerator;
import dev.gavel.engine.eval.Request;
import dev.gavel.engine.snapshot.CompileResult;
import dev.gavel.engine.snapshot.PolicySnapshot;
import java.util.List;

/**
 * A plain evaluation loop for profiling (JFR) and quick looks: compiles a generated repository,
 * then evaluates its request mix on one thread and prints evaluations per second, one line a second, with
 * evaluations per CPU second of the loop's thread (steadier when the machine is shared).
 *
 * <p>{@code scripts/bench main dev.gavel.bench.engine.EvaluationLoop --policies 10000 --seconds 30 [--tenants N]}
 *
 * <p>{@code --tenants N} keeps only the mix's requests of its first N tenants (by first appearance; global-scope
 * requests are dropped): the same policies and request shapes, a smaller set of knowledge bases in use. At 10,000
 * policies the rate then says how much of a decision's cost is the processor cache missing the bases of 50 tenants.
 */
public final class EvaluationLoop {
    private EvaluationLoop() {}

    public static void main(String[] args) {
        int policies = 10_000;
        int seconds = 30;
        int tenants = 0; // all
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--policies" -> policies = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--tenants" -> tenants = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Workload workload = WorkloadGenerator.generate(policies);
        CompileResult.Compiled compiled = workload.compile("loop");
        PolicySnapshot snapshot = compiled.snapshot();
        System.out.println(policies + " policies compiled in " + compiled.millis() + " ms");
        List<Request> mix = RequestMix.generate(workload, workload.seed(), EvaluationBenchmark.REQUESTS);
        if (tenants > 0) {
            List<String> kept = mix.stream()
                    .filter(r -> !r.scope().isEmpty())
                    .map(r -> r.scope().get(0))
                    .distinct()
                    .limit(tenants)
                    .toList();
            mix = mix.stream()
                    .filter(r -> !r.scope().isEmpty() && kept.contains(r.scope().get(0)))
                    .toList();
            System.out.println("requests of tenants " + kept + ": " + mix.size());
        }
        Request[] requests = mix.toArray(Request[]::new);
        int next = 0;
        long sink = 0;
        // CPU time of this thread as well as wall time: on a shared machine the thread is often off its core, and
        // evaluations per CPU second is then the steadier figure of what an evaluation costs.
        // And the bytes it allocated: garbage is what makes a second thread meet the collector.
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (int s = 0; s < seconds; s++) {
            long end = System.nanoTime() + 1_000_000_000L;
            long cpuStart = threads.getCurrentThreadCpuTime();
            long bytesStart = threads.getCurrentThreadAllocatedBytes();
            long n = 0;
            while (System.nanoTime() < end) {
                for (int k = 0; k < 100; k++) {
                    sink += snapshot.evaluate(requests[next]).matches().size();
                    next = next + 1 == requests.length ? 0 : next + 1;
                    n++;
                }
            }
            double cpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
            long bytes = threads.getCurrentThreadAllocatedBytes() - bytesStart;
            System.out.printf(
                    "second %d: %d evaluations/s, %.0f per CPU second (%.2f s CPU), %d bytes allocated per evaluation%n",
                    s + 1, n, n / cpu, cpu, bytes / n);
        }
        System.out.println("(" + sink + ")");
    }
}
