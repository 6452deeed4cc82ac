package dev.gavel.bench.engine;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Two (or more) builds of the engine in one process, each in its own class loader, evaluating the same request
 * mix in turn on one thread, one second each, alternating which goes first: on a shared machine the noise then
 * falls on all of them alike, which side-by-side processes only approximate. Prints evaluations per second and
 * per CPU second of the thread for each build, per round, then the medians.
 *
 * <p>{@code java -cp bench/target/classes dev.gavel.bench.engine.InterleavedEvaluationLoop --policies 10000
 * --rounds 40 --warmup 15 before=CLASSPATH after=CLASSPATH} (each CLASSPATH a full one: bench classes, the engine
 * build, their dependencies).
 */
public final class InterleavedEvaluationLoop {
    private InterleavedEvaluationLoop() {}

    /** One build: its class loader, compiled snapshot, requests and the evaluate method. */
    private record Build(String label, ClassLoader loader, Object snapshot, Object[] requests, Method evaluate) {}

    public static void main(String[] args) throws Exception {
        int policies = Integer.parseInt(AlphaWalkReport.arg(args, "--policies", "10000"));
        int rounds = Integer.parseInt(AlphaWalkReport.arg(args, "--rounds", "40"));
        int warmup = Integer.parseInt(AlphaWalkReport.arg(args, "--warmup", "15"));
        List<Build> builds = new ArrayList<>();
        for (String a : args) {
            if (a.contains("=") && !a.startsWith("--")) {
                String label = a.substring(0, a.indexOf('='));
                builds.add(load(label, a.substring(a.indexOf('=') + 1).split(":"), policies));
            }
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, List<double[]>> seconds = new java.util.LinkedHashMap<>();
        int[] next = new int[builds.size()];
        long sink = 0;
        for (int round = 0; round < warmup + rounds; round++) {
            for (int k = 0; k < builds.size(); k++) {
                int i = (round + k) % builds.size(); // alternate which build goes first
                Build b = builds.get(i);
                Thread.currentThread().setContextClassLoader(b.loader());
                long end = System.nanoTime() + 1_000_000_000L;
                long cpu0 = threads.getCurrentThreadCpuTime();
                long n = 0;
                while (System.nanoTime() < end) {
                    for (int j = 0; j < 50; j++) {
                        sink += b.evaluate()
                                .invoke(b.snapshot(), b.requests()[next[i]])
                                .hashCode();
                        next[i] = next[i] + 1 == b.requests().length ? 0 : next[i] + 1;
                        n++;
                    }
                }
                double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
                System.out.printf(
                        "round %d %s: %d evaluations/s, %.0f per CPU second%n", round + 1, b.label(), n, n / cpu);
                if (round >= warmup) {
                    seconds.computeIfAbsent(b.label(), x -> new ArrayList<>()).add(new double[] {n, n / cpu});
                }
            }
        }
        seconds.forEach((label, list) -> System.out.printf(
                "%s: median %.0f evaluations/s, %.0f per CPU second (%d rounds after %d of warm-up)%n",
                label, median(list, 0), median(list, 1), list.size(), warmup));
        System.out.println("(" + sink + ")");
    }

    private static double median(List<double[]> values, int column) {
        double[] v = values.stream().mapToDouble(x -> x[column]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static Build load(String label, String[] classpath, int policies) throws Exception {
        URL[] urls = Arrays.stream(classpath)
                .filter(s -> !s.isBlank())
                .map(s -> {
                    try {
                        return Path.of(s).toUri().toURL();
                    } catch (java.net.MalformedURLException e) {
                        throw new IllegalArgumentException(e);
                    }
                })
                .toArray(URL[]::new);
        ClassLoader loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
        Thread.currentThread().setContextClassLoader(loader);
        Class<?> generator = loader.loadClass("dev.gavel.bench.workload.WorkloadGenerator");
        Object workload = generator.getMethod("generate", int.class).invoke(null, policies);
        Object files = workload.getClass().getMethod("files").invoke(workload);
        Class<?> compiler = loader.loadClass("dev.gavel.engine.snapshot.SnapshotCompiler");
        Method compile = compiler.getMethod("compile", String.class, Map.class, Optional.class);
        // The compile builds partitions in a parallel stream: run it in a pool whose threads see this loader
        // (Drools finds its services through the context class loader; the common pool's threads see none).
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(
                Runtime.getRuntime().availableProcessors(),
                p -> {
                    java.util.concurrent.ForkJoinWorkerThread t =
                            java.util.concurrent.ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
                    t.setContextClassLoader(loader);
                    return t;
                },
                null,
                false);
        Object result = pool.submit(() -> compile.invoke(null, "loop", files, Optional.empty()))
                .get();
        pool.shutdown();
        Object snapshot = result.getClass().getMethod("snapshot").invoke(result);
        long seed = (long) workload.getClass().getMethod("seed").invoke(workload);
        Class<?> mix = loader.loadClass("dev.gavel.bench.workload.RequestMix");
        Class<?> workloadType = loader.loadClass("dev.gavel.bench.workload.Workload");
        List<?> requests = (List<?>) mix.getMethod("generate", workloadType, long.class, int.class)
                .invoke(null, workload, seed, EvaluationBenchmark.REQUESTS);
        Class<?> requestType = loader.loadClass("dev.gavel.engine.eval.Request");
        Method evaluate = snapshot.getClass().getMethod("evaluate", requestType);
        System.out.printf("%s: %d policies compiled%n", label, policies);
        return new Build(label, loader, snapshot, requests.toArray(), evaluate);
    }
}
