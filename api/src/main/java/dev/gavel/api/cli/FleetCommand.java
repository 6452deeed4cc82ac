package dev.gavel.api.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gavel fleet status URL...}: each replica's served commit, lag and health side by side. */
@Command(
        name = "fleet",
        mixinStandardHelpOptions = true,
        subcommands = FleetCommand.Status.class,
        description = "Look at the replicas of a fleet (several gavel serve on one Git remote).")
final class FleetCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new UserError("usage: gavel fleet status URL...", 2);
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = {
                "Print each replica's served commit, lag and health (from its /readyz, no token needed).",
                "Exit 1 when a replica does not answer, is not ready, or serves an older commit than another for longer "
                        + "than --max-lag."
            })
    static final class Status implements Callable<Integer> {
        private static final ObjectMapper JSON = dev.gavel.api.wire.Mappers.JSON;

        @Parameters(
                arity = "1..*",
                paramLabel = "URL",
                description = "Base URLs of the replicas, e.g. http://10.0.0.1:7070")
        List<String> urls;

        @Option(
                names = "--max-lag",
                defaultValue = "5s",
                paramLabel = "DURATION",
                description =
                        "How long a replica may serve an older commit than the others (default: ${DEFAULT-VALUE}).")
        String maxLag;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        record Row(
                String url,
                boolean answered,
                boolean ready,
                String served,
                int lagCommits,
                double lagSeconds,
                Boolean reachable,
                Double sinceFetch,
                String error) {}

        @Override
        public Integer call() {
            Duration bound = Durations.parse(maxLag);
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(3))
                    .build();
            List<Row> rows = new ArrayList<>();
            for (String u : urls) {
                String base = u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
                try {
                    HttpResponse<String> r = http.send(
                            HttpRequest.newBuilder(URI.create(base + "/readyz"))
                                    .timeout(Duration.ofSeconds(5))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    JsonNode n = JSON.readTree(r.body());
                    JsonNode remote = n.path("remote");
                    rows.add(new Row(
                            base,
                            true,
                            r.statusCode() == 200,
                            n.at("/served/commit").asText(""),
                            remote.path("lagCommits").asInt(0),
                            remote.path("lagSeconds").asDouble(0),
                            remote.isMissingNode()
                                    ? null
                                    : remote.path("reachable").asBoolean(),
                            remote.path("secondsSinceFetch").isNumber()
                                    ? remote.path("secondsSinceFetch").asDouble()
                                    : null,
                            remote.path("lastError").asText("")));
                } catch (Exception e) {
                    rows.add(new Row(
                            base,
                            false,
                            false,
                            "",
                            -1,
                            0,
                            null,
                            null,
                            e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())));
                }
            }
            Set<String> served = new LinkedHashSet<>();
            rows.stream().filter(Row::answered).map(Row::served).forEach(served::add);
            PrintWriter out = spec.commandLine().getOut();
            out.printf(
                    "%-32s %-6s %-12s %5s %8s %-10s %s%n",
                    "REPLICA", "READY", "SERVED", "LAG", "LAG(s)", "REMOTE", "LAST FETCH");
            boolean bad = false;
            for (Row r : rows) {
                if (!r.answered()) {
                    out.printf("%-32s %-6s %s%n", r.url(), "-", "no answer: " + r.error());
                    bad = true;
                    continue;
                }
                boolean behind = r.lagSeconds() > bound.toMillis() / 1000.0;
                bad |= !r.ready() || behind;
                out.printf(
                        "%-32s %-6s %-12s %5d %8.1f %-10s %s%n",
                        r.url(),
                        r.ready() ? "yes" : "NO",
                        r.served().length() > 12 ? r.served().substring(0, 12) : r.served(),
                        r.lagCommits(),
                        r.lagSeconds(),
                        r.reachable() == null ? "local" : r.reachable() ? "ok" : "UNREACHABLE",
                        r.sinceFetch() == null ? "-" : String.format("%.1fs ago", r.sinceFetch()));
            }
            if (served.size() > 1) {
                out.printf(
                        "%d different commits served%s%n",
                        served.size(), bad ? "" : " (within --max-lag " + maxLag + ")");
            }
            out.flush();
            return bad ? 1 : 0;
        }
    }
}
