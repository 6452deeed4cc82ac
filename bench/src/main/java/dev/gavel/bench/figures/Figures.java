package dev.gavel.bench.figures;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Issue 7 figures 2-5, Gavel next to Cerbos on the same machine, work and run: {@code scripts/bench figures}
 * (which installs wrk and Cerbos and builds the jar first) runs this with the paths filled in.
 *
 * <pre>Figures 2|3|4|5|all|2,4 --cerbos PATH [--sizes 1000,10000] [--runs 3] [--duration 30s] ...</pre>
 *
 * Each figure prints a table (median, then every run in brackets) and writes
 * {@code bench/results/figure-N-<time>.json}. See BENCHMARKS.md, "Figures next to Cerbos".
 */
public final class Figures {
    private Figures() {}

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        CerbosTranslation translation = switch (options.cerbosTranslation()) {
            case "toy" -> new ToyCerbosTranslation();
            case "scoped" -> new ScopedCerbosTranslation();
            default -> new PeerCerbosTranslation();
        };
        Harness h = new Harness(options, translation);
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("java", System.getProperty("java.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("cerbos", h.cerbos.version());
        machine.put("cerbosTranslation", translation.name());
        System.out.printf(
                "Figures %s: sizes %s, %d runs, Cerbos %s, translation %s, load %s%n",
                options.figures(),
                options.sizes(),
                options.runs(),
                machine.get("cerbos"),
                translation.name(),
                Harness.loadAverage());
        for (int figure : options.figures()) {
            Report report = switch (figure) {
                case 2 -> HttpDecisionsFigure.run(h);
                case 3 -> ReloadFigure.run(h);
                case 4 -> StartupFigure.run(h);
                case 5 -> ApiWriteFigure.run(h);
                case 6 -> JvmSettingsFigure.run(h);
                default -> throw new IllegalArgumentException("no figure " + figure + " (2, 3, 4, 5 or 6)");
            };
            report.print();
            Path file = report.write(options.results(), machine);
            System.out.println("  -> " + file);
        }
    }
}
