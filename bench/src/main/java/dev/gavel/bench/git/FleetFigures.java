package dev.gavel.bench.git;

import dev.gavel.store.git.Author;
import dev.gavel.store.git.ChangeSet;
import dev.gavel.store.git.GitPolicyRepository;
import dev.gavel.store.git.HeadWatch;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Issue 17's figures at the store level (Git mechanics only; no compile, no HTTP): replicas are clones
 * ({@link GitPolicyRepository#cloneRemote}) of one {@code git daemon --enable=receive-pack} remote on 127.0.0.1.
 * <ol>
 *   <li>convergence: a push made with the git CLI until all three clones have it, polling every {@code --poll}
 *       and with the webhook (each clone told to fetch at once); p50/p99 over {@code --pushes};</li>
 *   <li>writes/s: {@code --writers} threads per clone writing distinct files, three clones vs one, with the
 *       error count.</li>
 * </ol>
 * Run: {@code java -cp ... dev.gavel.bench.git.FleetFigures [--pushes 40] [--writes 150] [--poll 1000]}
 */
public final class FleetFigures {
    private static final Author WHO = new Author("bench", "bench@localhost");

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int pushes = Integer.parseInt(a.getOrDefault("pushes", "40"));
        int writes = Integer.parseInt(a.getOrDefault("writes", "150"));
        long poll = Long.parseLong(a.getOrDefault("poll", "1000"));
        Path work = Files.createTempDirectory("gavel-fleet-bench");
        Path root = work.resolve("remote");
        Path bare = root.resolve("policies.git");
        GitPolicyRepository.initFromFiles(bare, Map.of("policies/a.yaml", bytes("a: 1\n")), true, "main", WHO, "first")
                .close();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process daemon = new ProcessBuilder(
                        "git",
                        "daemon",
                        "--reuseaddr",
                        "--export-all",
                        "--enable=receive-pack",
                        "--listen=127.0.0.1",
                        "--port=" + port,
                        "--base-path=" + root,
                        root.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            waitForPort(port);
            String url = "git://127.0.0.1:" + port + "/policies.git";
            List<GitPolicyRepository> clones = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                clones.add(GitPolicyRepository.cloneRemote(url, work.resolve("clone-" + i), "main"));
            }
            Path cli = work.resolve("cli");
            git(work, "clone", "-q", url, cli.toString());
            System.out.printf(
                    "convergence, poll %d ms: %s%n",
                    poll, convergence(clones, cli, pushes, Duration.ofMillis(poll), false));
            System.out.printf(
                    "convergence, webhook:    %s%n", convergence(clones, cli, pushes, Duration.ofHours(1), true));
            double one = throughput(clones.subList(0, 1), writes, "one");
            double three = throughput(clones, writes, "three");
            System.out.printf("writes/s three replicas / one replica = %.2f%n", three / one);
            clones.forEach(GitPolicyRepository::close);
        } finally {
            daemon.descendants().forEach(ProcessHandle::destroy);
            daemon.destroy();
        }
    }

    private static String convergence(
            List<GitPolicyRepository> clones, Path cli, int pushes, Duration poll, boolean hook) throws Exception {
        List<Double> ms = new ArrayList<>();
        List<Double> pushMs = new ArrayList<>();
        for (int p = 0; p < pushes; p++) {
            git(cli, "pull", "-q", "--ff-only");
            Files.writeString(cli.resolve("policies/push.yaml"), "n: " + System.nanoTime() + "\n");
            git(cli, "add", "-A");
            git(cli, "commit", "-q", "-m", "push " + p);
            String commit = git(cli, "rev-parse", "HEAD").strip();
            CountDownLatch seen = new CountDownLatch(clones.size());
            List<HeadWatch> watches = new ArrayList<>();
            for (GitPolicyRepository c : clones) {
                AtomicInteger once = new AtomicInteger();
                watches.add(c.watch(poll, ch -> {
                    if (ch.current().map(commit::equals).orElse(false) && once.getAndIncrement() == 0) {
                        seen.countDown();
                    }
                }));
            }
            long start = System.nanoTime();
            git(cli, "push", "-q", "origin", "main");
            pushMs.add((System.nanoTime() - start) / 1e6);
            if (hook) {
                for (GitPolicyRepository c : clones) {
                    c.refreshNow();
                }
            }
            if (!seen.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("push " + p + " did not converge");
            }
            ms.add((System.nanoTime() - start) / 1e6);
            watches.forEach(HeadWatch::close);
        }
        Collections.sort(ms);
        Collections.sort(pushMs);
        return String.format(
                "p50 %.0f ms, p99 %.0f ms (n=%d; from the start of the git push, which alone took %.0f ms median)",
                ms.get(ms.size() / 2),
                ms.get(Math.min(ms.size() - 1, (int) Math.ceil(ms.size() * 0.99) - 1)),
                ms.size(),
                pushMs.get(pushMs.size() / 2));
    }

    private static double throughput(List<GitPolicyRepository> clones, int writes, String label) throws Exception {
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger lostRaces = new AtomicInteger(); // attempts beyond the first: pushes that lost to another replica
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clones.size() * 3);
        List<Future<?>> fs = new ArrayList<>();
        long start = System.nanoTime();
        for (GitPolicyRepository c : clones) {
            for (int t = 0; t < 3; t++) {
                fs.add(pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < writes) {
                        try {
                            lostRaces.addAndGet(c.commit(
                                                    ChangeSet.put(
                                                            "policies/" + label + "/w" + i + ".yaml",
                                                            bytes("w: " + i + "\n")),
                                                    WHO,
                                                    "write " + i)
                                            .attempts()
                                    - 1);
                        } catch (RuntimeException e) {
                            errors.incrementAndGet();
                        }
                    }
                }));
            }
        }
        for (Future<?> f : fs) {
            f.get();
        }
        double secs = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        double rate = writes / secs;
        System.out.printf(
                "writes through %s replica(s): %d in %.1f s = %.1f writes/s, %d errors, %d lost races%n",
                label, writes, secs, rate, errors.get(), lostRaces.get());
        return rate;
    }

    private static void waitForPort(int port) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(25);
            }
        }
        throw new IllegalStateException("git daemon did not start");
    }

    private static String git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd =
                new ArrayList<>(List.of("git", "-C", dir.toString(), "-c", "user.name=b", "-c", "user.email=b@x"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("git " + String.join(" ", args) + ": " + out);
        }
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
