package dev.gavel.bench.engine;

import dev.gavel.bench.launch.ScriptOptions;
import dev.gavel.bench.workload.GeneratedPolicy;
import dev.gavel.bench.workload.Workload;
import dev.gavel.bench.workload.WorkloadGenerator;
import dev.gavel.engine.snapshot.CompileResult;
import dev.gavel.engine.snapshot.PolicySnapshot;
import dev.gavel.engine.snapshot.SnapshotCompiler;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Compile figures of the engine on generated repositories (issue 3):
 *
 * <ul>
 *   <li>full compile of 1,000 and 10,000 policies: cold (first compile in a fresh JVM, one child JVM
 *       per run, launched with the JVM options of {@code scripts/gavel validate}, of {@code scripts/gavel serve}
 *       and of this harness before the script had any) and warm (same JVM after warm-up compiles);
 *   <li>one-policy change on the 10,000-policy repository until the new snapshot is ready, for a
 *       tenant-level policy, for a global one whose changed setting tenants' overrides replace (only
 *       the global partition changes) and for a global one whose changed setting merges into tenants'
 *       overrides (their partitions change too); each compiled on the previous snapshot;
 *   <li>heap retained by a 10,000-policy snapshot (full GC, used heap with and without it).
 * </ul>
 *
 * Medians of {@code --runs} runs. Prints a table and writes {@code bench/results/compile-figures-*.json}
 * when {@code --json DIR} is given.
 *
 * <p>Usage: {@code scripts/bench main dev.gavel.bench.engine.CompileFigures [--runs N] [--json DIR]
 * [--only cold|warm|change|heap] [--changes tenant,global,merged] [--cold-launch cli,serve,harness] [--jfr FILE]}; {@code cold SIZE} is the child process of the cold figure.
 */
public final class CompileFigures {
    private CompileFigures() {}

    /** When set, the measured one-change loop is recorded with JFR into this file (profiling only). */
    private static Path jfr;

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("cold")) {
            coldChild(Integer.parseInt(args[1]));
            return;
        }
        int runs = 3;
        Path json = null;
        String only = "";
        String kinds = "tenant,global,merged";
        String coldLaunch = "cli,serve,harness";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--json" -> json = Path.of(args[++i]);
                case "--only" -> only = args[++i];
                case "--changes" -> kinds = args[++i];
                case "--jfr" -> jfr = Path.of(args[++i]);
                case "--cold-launch" -> coldLaunch = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        System.out.printf(
                Locale.ROOT,
                "Gavel compile figures: median of %d runs, Java %s, %d cores, max heap %d MiB%n",
                runs,
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        Map<String, Object> results = new LinkedHashMap<>();
        if (only.isEmpty() || only.equals("cold")) {
            Map<String, List<String>> launches = coldLaunches(coldLaunch);
            for (int size : new int[] {1_000, 10_000}) {
                Map<String, List<Long>> ms = new LinkedHashMap<>();
                launches.keySet().forEach(l -> ms.put(l, new ArrayList<>()));
                for (int r = 0; r < runs; r++) {
                    for (Map.Entry<String, List<String>> l : launches.entrySet()) { // alternating: noise falls on all
                        ms.get(l.getKey()).add(runColdChild(size, l.getValue()));
                    }
                }
                ms.forEach((l, values) -> report(
                        results,
                        "cold full compile, " + size + " policies (fresh JVM, " + l + ": "
                                + String.join(" ", launches.get(l)) + ")",
                        values,
                        "ms"));
            }
        }
        if (only.isEmpty() || only.equals("warm")) {
            for (int size : new int[] {1_000, 10_000}) {
                Map<String, byte[]> files = WorkloadGenerator.generate(size).files();
                int warmups = size >= 10_000 ? 2 : 5;
                for (int i = 0; i < warmups; i++) {
                    compileFull(files);
                }
                List<Long> ms = new ArrayList<>();
                for (int r = 0; r < Math.max(runs, 5); r++) {
                    long t0 = System.nanoTime();
                    compileFull(files);
                    ms.add((System.nanoTime() - t0) / 1_000_000);
                }
                report(results, "warm full compile, " + size + " policies", ms, "ms");
            }
        }
        if (only.isEmpty() || only.equals("change")) {
            oneChange(results, Math.max(runs, 5), List.of(kinds.split(",")));
        }
        if (only.isEmpty() || only.equals("heap")) {
            heap(results, runs);
        }
        if (json != null) {
            Files.createDirectories(json);
            Path file =
                    json.resolve("compile-figures-" + Instant.now().toString().replaceAll("[:.]", "") + ".json");
            Files.writeString(file, toJson(results));
            System.out.println("wrote " + file);
        }
    }

    // ------------------------------------------------------------------ cold

    private static void coldChild(int size) {
        Map<String, byte[]> files = WorkloadGenerator.generate(size).files();
        long t0 = System.nanoTime();
        compileFull(files);
        System.out.println("COLD_MS " + (System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * The JVM options of each cold launch: {@code cli} as {@code scripts/gavel validate} (or any command but serve)
     * runs, {@code serve} as {@code scripts/gavel serve} runs (both read from the script), {@code harness} the
     * options this figure used before the script chose any ({@code -Xmx4g}, the JVM's default collector).
     */
    private static Map<String, List<String>> coldLaunches(String names) throws Exception {
        ScriptOptions script = ScriptOptions.ofWorkingDirectory();
        Map<String, List<String>> launches = new LinkedHashMap<>();
        for (String name : names.split(",")) {
            launches.put(
                    name,
                    switch (name) {
                        case "cli" -> script.cli();
                        case "serve" -> script.serve();
                        case "harness" -> List.of("-Xmx4g");
                        default ->
                            throw new IllegalArgumentException("--cold-launch: cli, serve or harness, not " + name);
                    });
        }
        return launches;
    }

    private static long runColdChild(int size, List<String> jvmOptions) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                CompileFigures.class.getName(),
                "cold",
                String.valueOf(size)));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        long ms = -1;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("COLD_MS ")) {
                    ms = Long.parseLong(line.substring(8).trim());
                }
            }
        }
        if (p.waitFor() != 0 || ms < 0) {
            throw new IllegalStateException("cold compile child failed with exit " + p.exitValue());
        }
        return ms;
    }

    // ------------------------------------------------------------------ one change

    /**
     * On the 10,000-policy repository: alternately change one tenant-level policy (a token limit) and one
     * global policy that tenants override (its allowed locations), each compiled on the previous snapshot.
     */
    private static void oneChange(Map<String, Object> results, int runs, List<String> kinds) throws Exception {
        Workload w = WorkloadGenerator.generate(10_000);
        Map<String, byte[]> files = new LinkedHashMap<>(w.files());
        PolicySnapshot current = compileFull(files);
        // Warm the incremental path once (the first compile above warmed the rest).
        current = change(
                        files,
                        current,
                        pickPolicy(
                                w,
                                p -> p.depth() == 1
                                        && p.type().equals("maxTokens")
                                        && p.overrides().isEmpty()
                                        && !p.paused()
                                        && !p.enforcement().equals("off"),
                                0),
                        0)
                .snapshot();

        // The global token-limits guardrail: tenants' partial overrides merge its ratio, so changing the
        // ratio changes the generated rules of every tenant that overrides it.
        GeneratedPolicy mostOverridden = w.policies().stream()
                .filter(p -> p.name().equals("token-limits") && p.depth() == 0)
                .findFirst()
                .orElseThrow();
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("tenant", "one tenant-level policy changed, 10,000 policies");
        labels.put("global", "one global policy changed, tenants' overrides replace what changed, 10,000 policies");
        labels.put(
                "merged",
                "one global policy changed, merged into " + overriddenBy(w, mostOverridden)
                        + " tenant overrides, 10,000 policies");
        Map<String, List<Long>> millis = new LinkedHashMap<>();
        Map<String, List<Integer>> rebuilt = new LinkedHashMap<>();
        Map<String, List<String>> work = new LinkedHashMap<>();
        jdk.jfr.Recording recording = null;
        if (jfr != null) {
            recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
            recording.start();
        }
        for (int r = 1; r <= runs; r++) {
            for (String kind : kinds) {
                GeneratedPolicy changed = switch (kind) {
                    case "tenant" ->
                        pickPolicy(
                                w,
                                p -> p.depth() == 1
                                        && p.type().equals("maxTokens")
                                        && p.overrides().isEmpty()
                                        && !p.paused()
                                        && !p.enforcement().equals("off"),
                                r);
                    case "global" ->
                        pickPolicy(
                                w,
                                p -> p.depth() == 0
                                        && p.type().equals("location")
                                        && !p.paused()
                                        && !p.enforcement().equals("off")
                                        && overriddenBy(w, p) > 0,
                                r);
                    case "merged" -> mostOverridden;
                    default -> throw new IllegalArgumentException("unknown change kind " + kind);
                };
                CompileResult.Compiled c = change(files, current, changed, r);
                millis.computeIfAbsent(kind, k -> new ArrayList<>()).add(c.millis());
                rebuilt.computeIfAbsent(kind, k -> new ArrayList<>())
                        .add(c.rebuiltPartitions().size());
                PolicySnapshot.CompileWork did = c.snapshot().compileWork();
                work.computeIfAbsent(kind, k -> new ArrayList<>())
                        .add(did.mergedDefinitions() + "/" + did.regeneratedDefinitions());
                current = c.snapshot();
            }
        }
        if (recording != null) {
            recording.stop();
            Files.createDirectories(jfr.toAbsolutePath().getParent());
            recording.dump(jfr);
            System.out.println("JFR recording of the change loop: " + jfr);
        }
        millis.forEach((kind, ms) -> report(
                results,
                labels.get(kind) + " (partitions rebuilt: " + rebuilt.get(kind) + "; definitions merged/generated: "
                        + work.get(kind) + ")",
                ms,
                "ms"));
    }

    private static long overriddenBy(Workload w, GeneratedPolicy global) {
        return w.policies().stream()
                .filter(p -> p.name().equals(global.name()) && p.depth() > 0)
                .count();
    }

    private static GeneratedPolicy pickPolicy(Workload w, Predicate<GeneratedPolicy> which, int n) {
        List<GeneratedPolicy> candidates = w.policies().stream().filter(which).toList();
        return candidates.get((n * 7) % candidates.size());
    }

    /** Changes what {@code p} decides (so its generated DRL changes) and compiles on {@code previous}. */
    private static CompileResult.Compiled change(
            Map<String, byte[]> files, PolicySnapshot previous, GeneratedPolicy p, int round) {
        Map<String, Object> settings = new LinkedHashMap<>(p.settings());
        if (p.name().equals("token-limits")) {
            settings.put("ratioInputOverOutput", 60L + round);
        } else if (p.type().equals("maxTokens")) {
            settings.put("total", 500_000L + round);
        } else {
            List<Object> allowed = new ArrayList<>((List<?>) settings.get("allowed"));
            allowed.add(Map.of("name", "edge-" + round, "type", "location"));
            settings.put("allowed", allowed);
        }
        files.put(p.path(), p.withSettings(settings).yaml());
        CompileResult result =
                SnapshotCompiler.compile("change-" + round + "-" + p.name(), Map.copyOf(files), Optional.of(previous));
        if (!(result instanceof CompileResult.Compiled compiled)) {
            throw new IllegalStateException("changed repository rejected: " + result.diagnostics());
        }
        return compiled;
    }

    // ------------------------------------------------------------------ heap

    /**
     * Heap retained by a snapshot: used heap after a full GC while holding it, minus after dropping it.
     * The files are dropped before measuring, so the YAML bytes the snapshot keeps (for the next
     * incremental compile) count as its own.
     */
    private static void heap(Map<String, Object> results, int runs) {
        Workload w = WorkloadGenerator.generate(10_000);
        compileFull(w.files()); // load and warm everything static before measuring
        List<Long> mib = new ArrayList<>();
        List<Long> bytes = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            Map<String, byte[]> files = w.files();
            PolicySnapshot snapshot = compileFull(files);
            files = null;
            long with = usedAfterGc();
            if (snapshot.partitions().isEmpty()) {
                throw new AssertionError(); // keeps the snapshot reachable until here
            }
            snapshot = null;
            long without = usedAfterGc();
            bytes.add(with - without);
            mib.add((with - without) >> 20);
        }
        report(results, "heap retained by a 10,000-policy snapshot", mib, "MiB");
    }

    private static long usedAfterGc() {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    // ------------------------------------------------------------------ helpers

    static PolicySnapshot compileFull(Map<String, byte[]> files) {
        CompileResult result = SnapshotCompiler.compile("full", files, Optional.empty());
        if (!(result instanceof CompileResult.Compiled compiled)) {
            throw new IllegalStateException("generated repository rejected: " + result.diagnostics());
        }
        return compiled.snapshot();
    }

    private static void report(Map<String, Object> results, String what, List<Long> values, String unit) {
        List<Long> sorted = values.stream().sorted().toList();
        long median = sorted.get(sorted.size() / 2);
        System.out.printf(Locale.ROOT, "%-100s median %,8d %s  runs %s%n", what, median, unit, values);
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("median", median);
        entry.put("unit", unit);
        entry.put("runs", values);
        results.put(what, entry);
    }

    private static String toJson(Map<String, Object> results) {
        StringBuilder out = new StringBuilder("{\n");
        int i = 0;
        for (Map.Entry<String, Object> e : results.entrySet()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> v = (Map<String, Object>) e.getValue();
            out.append("  \"")
                    .append(e.getKey().replace("\"", "'"))
                    .append("\": {\"median\": ")
                    .append(v.get("median"))
                    .append(", \"unit\": \"")
                    .append(v.get("unit"))
                    .append("\", \"runs\": ")
                    .append(v.get("runs"))
                    .append('}')
                    .append(++i < results.size() ? ",\n" : "\n");
        }
        return out.append("}\n").toString();
    }
}
