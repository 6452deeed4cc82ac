package dev.gavel.bench.figures;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One figure's results: for each (size, subject) the value of every metric in every run, their medians,
 * and Gavel/peer ratios taken run by run (both measured in the same run) — printed as a table and written
 * to {@code bench/results/figure-N-<time>.json}.
 */
final class Report {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Per-run values of the metrics of one subject at one size, in insertion order. */
    record Row(int size, String subject, Map<String, List<Double>> metrics, Map<String, Object> notes) {}

    record Ratio(int size, String metric, String numerator, String denominator, List<Double> perRun) {}

    private final int figure;
    private final String title;
    private final Instant started = Instant.now();
    private final String loadBefore = Harness.loadAverage();
    private final List<Row> rows = new ArrayList<>();
    private final List<Ratio> ratios = new ArrayList<>();
    private final Map<String, Object> settings = new LinkedHashMap<>();

    Report(int figure, String title) {
        this.figure = figure;
        this.title = title;
    }

    Report setting(String key, Object value) {
        settings.put(key, value);
        return this;
    }

    Row row(int size, String subject) {
        for (Row r : rows) {
            if (r.size() == size && r.subject().equals(subject)) {
                return r;
            }
        }
        Row r = new Row(size, subject, new LinkedHashMap<>(), new LinkedHashMap<>());
        rows.add(r);
        return r;
    }

    void add(int size, String subject, String metric, double value) {
        row(size, subject)
                .metrics()
                .computeIfAbsent(metric, k -> new ArrayList<>())
                .add(value);
    }

    void note(int size, String subject, String key, Object value) {
        row(size, subject).notes().put(key, value);
    }

    /** numerator/denominator of {@code metric}, run by run, for every size both subjects have. */
    void ratio(String metric, String numerator, String denominator) {
        for (Row a : List.copyOf(rows)) {
            if (!a.subject().equals(numerator) || !a.metrics().containsKey(metric)) {
                continue;
            }
            for (Row b : rows) {
                if (b.size() == a.size()
                        && b.subject().equals(denominator)
                        && b.metrics().containsKey(metric)) {
                    List<Double> x = a.metrics().get(metric);
                    List<Double> y = b.metrics().get(metric);
                    List<Double> perRun = new ArrayList<>();
                    for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
                        perRun.add(x.get(i) / y.get(i));
                    }
                    ratios.add(new Ratio(a.size(), metric, numerator, denominator, perRun));
                }
            }
        }
    }

    void print() {
        System.out.printf("%nFigure %d: %s%n", figure, title);
        for (Row r : rows) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %,7d  %-26s", r.size(), r.subject()));
            r.metrics()
                    .forEach((metric, values) -> line.append(String.format(
                            Locale.ROOT,
                            "  %s %s [%s]",
                            metric,
                            format(Stats.median(values)),
                            String.join(" ", values.stream().map(Report::format).toList()))));
            r.notes().forEach((k, v) -> line.append("  ").append(k).append(": ").append(v));
            System.out.println(line);
        }
        for (Ratio q : ratios) {
            System.out.printf(
                    Locale.ROOT,
                    "  %,7d  ratio %s/%s %s: %.2f [%s]%n",
                    q.size(),
                    q.numerator(),
                    q.denominator(),
                    q.metric(),
                    Stats.median(q.perRun()),
                    String.join(
                            " ",
                            q.perRun().stream()
                                    .map(v -> String.format(Locale.ROOT, "%.2f", v))
                                    .toList()));
        }
    }

    Path write(Path dir, Map<String, Object> machine) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("figure", figure);
        root.put("title", title);
        root.put("started", started.toString());
        root.put("finished", Instant.now().toString());
        ObjectNode m = root.putObject("machine");
        machine.forEach((k, v) -> m.put(k, String.valueOf(v)));
        m.put("loadBefore", loadBefore);
        m.put("loadAfter", Harness.loadAverage());
        root.set("settings", JSON.valueToTree(settings));
        ArrayNode out = root.putArray("rows");
        for (Row r : rows) {
            ObjectNode n = out.addObject();
            n.put("policies", r.size());
            n.put("subject", r.subject());
            ObjectNode medians = n.putObject("median");
            ObjectNode runs = n.putObject("runs");
            r.metrics().forEach((metric, values) -> {
                medians.put(metric, Stats.median(values));
                ArrayNode a = runs.putArray(metric);
                values.forEach(a::add);
            });
            if (!r.notes().isEmpty()) {
                n.set("notes", JSON.valueToTree(r.notes()));
            }
        }
        ArrayNode rs = root.putArray("ratios");
        for (Ratio q : ratios) {
            ObjectNode n = rs.addObject();
            n.put("policies", q.size());
            n.put("metric", q.metric());
            n.put("of", q.numerator() + "/" + q.denominator());
            n.put("median", Stats.median(q.perRun()));
            ArrayNode a = n.putArray("runs");
            q.perRun().forEach(a::add);
        }
        Files.createDirectories(dir);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(ZoneOffset.UTC)
                .format(started);
        Path file = dir.resolve("figure-" + figure + "-" + stamp + ".json");
        JSON.writeValue(file.toFile(), root);
        return file;
    }

    private static String format(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
