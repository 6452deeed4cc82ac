package dev.gavel.bench.git;

import dev.gavel.store.git.Author;
import dev.gavel.store.git.ChangeSet;
import dev.gavel.store.git.GitPolicyRepository;
import dev.gavel.store.git.RepoFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * Measures the Git policy repository on generated repositories under a temp directory (deleted afterwards unless
 * {@code --keep}): one-file commits and full reads at 10,000 files in 100 folders, and scope history over 10,000
 * commits (first call = index build, then cached calls). Medians of {@code --runs} runs after warm-up.
 *
 * <p>Usage: {@code GitStoreFigures [--files N] [--commits N] [--runs N] [--dir PATH] [--keep]}
 */
public final class GitStoreFigures {
    private static final Author AUTHOR = new Author("Bench", "bench@example.com");

    private GitStoreFigures() {}

    public static void main(String[] args) throws Exception {
        int files = 10_000;
        int commits = 10_000;
        int runs = 11;
        Path base = null;
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--files" -> files = Integer.parseInt(args[++i]);
                case "--commits" -> commits = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--dir" -> base = Path.of(args[++i]);
                case "--keep" -> keep = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Path dir = base != null ? Files.createDirectories(base) : Files.createTempDirectory("gavel-git-figures");
        System.out.printf(
                Locale.ROOT,
                "Gavel Git store figures: %d files, %d commits, median of %d runs (Java %s, %d cores), under %s%n",
                files,
                commits,
                runs,
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                dir);
        try {
            manyFiles(dir.resolve("files.git"), files, runs);
            longHistory(dir.resolve("history.git"), commits, runs);
        } finally {
            if (!keep) {
                delete(dir);
            }
        }
    }

    /** 100 folders x (files / 100) files: one-file commit, full read loose and packed. */
    private static void manyFiles(Path dir, int fileCount, int runs) throws Exception {
        Map<String, byte[]> content = new LinkedHashMap<>();
        int folders = 100;
        for (int i = 0; i < fileCount; i++) {
            content.put(path(i % folders, i / folders), policy(i, 0));
        }
        long t0 = System.nanoTime();
        try (GitPolicyRepository store =
                GitPolicyRepository.initFromFiles(dir, content, true, "main", AUTHOR, "Generated")) {
            report("create " + fileCount + "-file repo (one commit, loose)", List.of(System.nanoTime() - t0));
            report(
                    "read all files at HEAD (loose objects)",
                    measure(
                            Math.max(2, runs / 3),
                            runs,
                            () -> store.filesAt("HEAD").files().size()));
            store.packNow();
            int[] n = {0};
            List<Long> commit = measure(5, runs, () -> {
                n[0]++;
                return store.commit(
                                ChangeSet.put(path(n[0] % folders, n[0] % (fileCount / folders)), policy(n[0], n[0])),
                                AUTHOR,
                                "Change " + n[0])
                        .attempts();
            });
            report("commit one file into " + fileCount + " files / " + folders + " folders", commit);
            store.packNow();
            List<Long> read = measure(5, runs, () -> {
                RepoFiles all = store.filesAt("HEAD");
                if (all.files().size() != fileCount) {
                    throw new IllegalStateException("read " + all.files().size() + " files");
                }
                return all.files().size();
            });
            report("read all " + fileCount + " files at HEAD (packed)", read);
        }
    }

    /** A repository of {@code commits} commits over 100 scopes, written through the store, then packed. */
    private static void longHistory(Path dir, int commits, int runs) throws Exception {
        int scopes = 100;
        Map<String, byte[]> seed = new LinkedHashMap<>();
        for (int s = 0; s < scopes; s++) {
            seed.put(path(s, 0), policy(s, 0));
        }
        GitPolicyRepository.initFromFiles(dir, seed, true, "main", AUTHOR, "Seed")
                .close();
        try (GitPolicyRepository store = GitPolicyRepository.open(dir, "main", 0)) {
            long t0 = System.nanoTime();
            for (int i = 1; i < commits; i++) {
                store.commit(ChangeSet.put(path(i % scopes, (i / scopes) % 10), policy(i, i)), AUTHOR, "Commit " + i);
            }
            long build = System.nanoTime() - t0;
            System.out.printf(
                    Locale.ROOT,
                    "%-62s %10.1f s  (%.2f ms/commit, automatic packing off)%n",
                    "write " + (commits - 1) + " commits through the store",
                    build / 1e9,
                    build / 1e6 / (commits - 1));
            long p0 = System.nanoTime();
            store.packNow();
            System.out.printf(
                    Locale.ROOT,
                    "%-62s %10.1f s%n",
                    "pack (gc) the " + commits + "-commit repository",
                    (System.nanoTime() - p0) / 1e9);
        }
        String scope = "tenant-07.app";
        String file = path(7, 3);
        List<Long> first = measure(2, runs, () -> {
            try (GitPolicyRepository fresh = GitPolicyRepository.open(dir, "main")) {
                return fresh.versions(scope).size();
            }
        });
        report("first versions(scope) on " + commits + " commits (index build, packed)", first);
        try (GitPolicyRepository store = GitPolicyRepository.open(dir, "main", 0)) {
            int versions = store.versions(scope).size();
            report(
                    "versions(scope) again (" + versions + " versions, index cached)",
                    measure(20, Math.max(runs, 101), () -> store.versions(scope).size()));
            report(
                    "history(file) (index cached)",
                    measure(20, Math.max(runs, 101), () -> store.history(file).size()));
            report(
                    "commits(0, 50) page (index cached)",
                    measure(
                            20,
                            Math.max(runs, 101),
                            () -> store.commits(0, 50).commits().size()));
            int[] n = {0};
            List<Long> extend = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                n[0]++;
                store.commit(ChangeSet.put(path(7, 9), policy(n[0], -n[0])), AUTHOR, "One more " + n[0]);
                long s = System.nanoTime();
                store.versions(scope);
                extend.add(System.nanoTime() - s);
            }
            report("versions(scope) after one new commit (index extended)", extend);
            report(
                    "scopeAtVersion(scope, 1)",
                    measure(
                            5,
                            runs,
                            () -> store.scopeAtVersion(scope, 1).files().size()));
        }
    }

    private static String path(int folder, int file) {
        return String.format(Locale.ROOT, "policies/tenant-%02d/app/p%03d.yaml", folder, file);
    }

    private static byte[] policy(int i, int rev) {
        return ("apiVersion: gavel/v1\nkind: Policy\nmetadata:\n  name: p" + i + "\nspec:\n  type: maxTokens\n"
                        + "  enforcement: warn\n  settings:\n    total: " + (1000 + rev) + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static List<Long> measure(int warmup, int runs, Callable<Integer> op) throws Exception {
        for (int i = 0; i < warmup; i++) {
            op.call();
        }
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long s = System.nanoTime();
            op.call();
            times.add(System.nanoTime() - s);
        }
        return times;
    }

    private static void report(String what, List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        sorted.sort(Comparator.naturalOrder());
        double median = sorted.get(sorted.size() / 2) / 1e6;
        System.out.printf(
                Locale.ROOT,
                "%-62s %10.2f ms  (min %.2f, max %.2f, n=%d)%n",
                what,
                median,
                sorted.get(0) / 1e6,
                sorted.get(sorted.size() - 1) / 1e6,
                sorted.size());
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
