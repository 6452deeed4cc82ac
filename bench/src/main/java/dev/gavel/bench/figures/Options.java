package dev.gavel.bench.figures;

import dev.gavel.bench.launch.ScriptOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Command-line settings of {@link Figures}.
 *
 * @param figures which figures, in order (2, 3, 4, 5)
 * @param sizes repository sizes (policies); figure 5 uses the first only
 * @param runs repetitions of every measurement; the median is reported with each run
 * @param duration wrk measuring time; {@code warmup} is run first and not counted
 * @param writes API writes per run (figure 5)
 * @param audits Cerbos audit variants for figure 2
 * @param portBase ports used: base+1 Gavel, base+11/+12 Cerbos HTTP/gRPC
 * @param jvmCandidates the JVM option sets figure 6 compares (the first is the reference of its ratios)
 */
record Options(
        List<Integer> figures,
        List<Integer> sizes,
        int runs,
        String duration,
        String warmup,
        String rssWarmup,
        int writes,
        int connections,
        int threads,
        List<CerbosLauncher.Audit> audits,
        int portBase,
        Path work,
        Path results,
        Path gavelJar,
        Path cerbosBinary,
        Path wrkScript,
        List<String> gavelJavaOptions,
        String cerbosTranslation,
        List<Options.JvmCandidate> jvmCandidates) {

    /**
     * A named set of JVM options for {@code gavel serve} (figure 6), and the environment variables it is started
     * with (for what only the environment sets, such as glibc's {@code MALLOC_ARENA_MAX}).
     */
    record JvmCandidate(String name, List<String> options, java.util.Map<String, String> environment) {
        /** A word {@code NAME=value} (no JVM option has this form: they start with a dash). */
        private static final java.util.regex.Pattern ENV_WORD =
                java.util.regex.Pattern.compile("([A-Z_][A-Z0-9_]*)=(.*)");

        /** Splits the words of one candidate into JVM options and {@code NAME=value} environment variables. */
        static JvmCandidate of(String name, List<String> words) {
            List<String> options = new ArrayList<>();
            java.util.Map<String, String> environment = new java.util.LinkedHashMap<>();
            for (String w : words) {
                java.util.regex.Matcher m = ENV_WORD.matcher(w);
                if (m.matches()) {
                    environment.put(m.group(1), m.group(2));
                } else {
                    options.add(w);
                }
            }
            return new JvmCandidate(name, List.copyOf(options), java.util.Map.copyOf(environment));
        }
    }

    /**
     * Figure 6's default candidates: what {@code java -jar} gives (G1, heap up to a quarter of RAM), the
     * harness's {@code -Xmx2g}, G1 told to give memory back, G1 with a bounded young generation, and Serial.
     */
    static final String DEFAULT_JVM_CANDIDATES = "jvm-default=;"
            + "g1-xmx2g=-Xmx2g;"
            + "g1-uncommit=-XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:G1PeriodicGCInterval=5000;"
            + "g1-young128=-XX:MaxNewSize=128m -XX:G1PeriodicGCInterval=5000;"
            + "serial=-XX:+UseSerialGC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:MetaspaceSize=64m";

    /**
     * {@code name=options;name=options}: options split on white space, possibly none; a word {@code NAME=value}
     * is an environment variable of the server (e.g. {@code arena2=MALLOC_ARENA_MAX=2 -XX:+UseSerialGC}).
     */
    static List<JvmCandidate> jvmCandidates(String spec) {
        List<JvmCandidate> out = new ArrayList<>();
        for (String part : spec.split(";")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--jvm-candidates: name=options;... not " + part);
            }
            String opts = part.substring(eq + 1).trim();
            out.add(JvmCandidate.of(
                    part.substring(0, eq).trim(), opts.isEmpty() ? List.of() : List.of(opts.split("\\s+"))));
        }
        return List.copyOf(out);
    }

    static final String USAGE = """
      usage: Figures 2|3|4|5|all [--sizes 1000,10000] [--runs 3] [--duration 30s] [--warmup 10s] [--rss-warmup 10s]
                     [--writes 200] [--connections 16] [--threads 2] [--audit off,file,local] [--port-base 7300]
                     [--work DIR] [--results bench/results] [--jar api/target/gavel.jar] --cerbos PATH
                     [--wrk-script bench/load/cycle.lua] [--java-opts OPTS (default: scripts/gavel's serve_opts)] [--cerbos-translation flat|scoped|toy]
                     [--jvm-candidates 'name=opts;name=opts' (figure 6)]""";

    static Options parse(String[] args) {
        if (args.length == 0) {
            throw new IllegalArgumentException(USAGE);
        }
        List<Integer> figures = args[0].equals("all")
                ? List.of(2, 3, 4, 5) // figure 6 only when asked: it compares JVM settings, not peers
                : Arrays.stream(args[0].split(",")).map(Integer::parseInt).toList();
        List<Integer> sizes = List.of(1000, 10000);
        int runs = 3;
        String duration = "30s";
        String warmup = "10s";
        String rssWarmup = "10s";
        int writes = 200;
        int connections = 16;
        int threads = 2;
        List<CerbosLauncher.Audit> audits = List.of(CerbosLauncher.Audit.values());
        int portBase = 7300;
        Path work = Path.of(System.getenv().getOrDefault("BENCH_WORK", "/tmp/gavel-bench"), "figures");
        Path results = Path.of("bench/results");
        Path jar = Path.of("api/target/gavel.jar");
        Path cerbos = null;
        Path script = Path.of("bench/load/cycle.lua");
        List<String> javaOptions = null; // scripts/gavel's serve_opts unless --java-opts: Gavel as users run it
        String translation = "flat";
        String candidates = DEFAULT_JVM_CANDIDATES;
        for (int i = 1; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--sizes" ->
                    sizes = Arrays.stream(v.split(",")).map(Integer::parseInt).toList();
                case "--runs" -> runs = Integer.parseInt(v);
                case "--duration" -> duration = v;
                case "--warmup" -> warmup = v;
                case "--rss-warmup" -> rssWarmup = v;
                case "--writes" -> writes = Integer.parseInt(v);
                case "--connections" -> connections = Integer.parseInt(v);
                case "--threads" -> threads = Integer.parseInt(v);
                case "--audit" ->
                    audits = Arrays.stream(v.split(","))
                            .map(a -> CerbosLauncher.Audit.valueOf(a.toUpperCase(java.util.Locale.ROOT)))
                            .toList();
                case "--port-base" -> portBase = Integer.parseInt(v);
                case "--work" -> work = Path.of(v);
                case "--results" -> results = Path.of(v);
                case "--jar" -> jar = Path.of(v);
                case "--cerbos" -> cerbos = Path.of(v);
                case "--wrk-script" -> script = Path.of(v);
                case "--java-opts" ->
                    javaOptions = v.isBlank() ? List.of() : List.of(v.trim().split("\\s+"));
                case "--cerbos-translation" -> {
                    if (!List.of("flat", "scoped", "toy").contains(v)) {
                        throw new IllegalArgumentException("--cerbos-translation: flat, scoped or toy\n" + USAGE);
                    }
                    translation = v;
                }
                case "--jvm-candidates" -> candidates = v;
                case "--toy-cerbos" -> {
                    translation = "toy";
                    i--; // no value
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + "\n" + USAGE);
            }
            i++;
        }
        if (cerbos == null) {
            throw new IllegalArgumentException(
                    "--cerbos PATH is required (bench/peers/install-cerbos.sh prints it)\n" + USAGE);
        }
        if (javaOptions == null) {
            try {
                javaOptions = ScriptOptions.ofWorkingDirectory().serve();
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException(
                        "cannot read scripts/gavel for its serve_opts (run from the checkout, or pass --java-opts): "
                                + e);
            }
        }
        return new Options(
                figures,
                sizes,
                runs,
                duration,
                warmup,
                rssWarmup,
                writes,
                connections,
                threads,
                new ArrayList<>(audits),
                portBase,
                work.toAbsolutePath(),
                results,
                jar.toAbsolutePath(),
                cerbos.toAbsolutePath(),
                script.toAbsolutePath(),
                javaOptions,
                translation,
                jvmCandidates(candidates));
    }

    int gavelPort() {
        return portBase + 1;
    }

    int cerbosHttpPort() {
        return portBase + 11;
    }

    int cerbosGrpcPort() {
        return portBase + 12;
    }
}
