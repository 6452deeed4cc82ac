package dev.gavel.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM while evaluations (single and batches) and policy writes are in flight: the server stops
 * accepting, answers what it took, flushes the log and exits. Nothing is executed without an answer:
 * the log holds exactly the evaluations answered 200, and the repository exactly the commits of the
 * writes answered 2xx.
 */
class SigtermInFlightIT {
    private static final Pattern COMMIT = Pattern.compile("\"commit\"\\s*:\\s*\"([0-9a-f]{40})\"");

    @TempDir
    Path tmp;

    record Shutdown(
            long shutdownMillis,
            int evaluationsAnswered,
            long evaluationsLogged,
            int writesAnswered,
            int writeCommits) {}

    @Test
    @DisplayName(
            "SIGTERM under load: every request taken is answered, every answer is durable, none executed unanswered")
    void sigtermAnswersWhatItTook() throws Exception {
        Path data = tmp.resolve("data");
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        GavelProcess server = GavelProcess.serve(data, "--shutdown-timeout", "10s");
        Map<String, String> writes = new ConcurrentHashMap<>(); // message -> commit answered
        long shutdownMillis;
        EvaluationLoad load;
        try {
            server.awaitStatus(http, "/readyz", 200, Duration.ofSeconds(60));
            String token = server.adminToken();
            load = EvaluationLoad.start(server.url(), token, 12, 4);
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int writer = w;
                Thread t = new Thread(() -> write(http, server.url(), token, writer, stop, writes), "writer-" + w);
                t.setDaemon(true);
                writers.add(t);
                t.start();
            }
            Thread.sleep(2_000);
            assertThat(load.answered())
                    .as("evaluations were answered before SIGTERM")
                    .isPositive();
            long t0 = System.nanoTime();
            int exit = server.terminate(Duration.ofSeconds(40));
            shutdownMillis = (System.nanoTime() - t0) / 1_000_000;
            stop.set(true);
            load.close();
            for (Thread t : writers) {
                t.join(35_000);
            }
            assertThat(exit)
                    .as("exit status after SIGTERM (0, or 143 for the signal)")
                    .isIn(0, 143);
            assertThat(String.join("\n", server.output())).doesNotContain("Exception");
        } finally {
            server.close();
        }

        Set<String> logged = LogFile.ids(data.resolve("evaluations.db"));
        List<String> answered =
                load.answers().stream().map(EvaluationLoad.Answer::id).toList();
        assertThat(logged).as("every answered evaluation is in the log").containsAll(answered);
        assertThat(logged)
                .as("no evaluation was executed and logged without an answer")
                .hasSameSizeAs(answered);

        List<String> madeByWrites = Git.commitsWithMessagePrefix(data.resolve("policies"), "fault write ");
        assertThat(Set.copyOf(madeByWrites))
                .as("the repository holds exactly the commits of the answered writes")
                .isEqualTo(Set.copyOf(writes.values()));

        Shutdown figures =
                new Shutdown(shutdownMillis, answered.size(), logged.size(), writes.size(), madeByWrites.size());
        Figures.write("sigterm-in-flight", figures);
        System.out.printf(
                "SIGTERM under load: exit %d ms after the signal; %d evaluations answered = logged, %d writes%n",
                shutdownMillis, answered.size(), writes.size());
    }

    /** PUTs a new policy per request, each with its own commit message, and keeps the commit of every 2xx. */
    private static void write(
            HttpClient http, String url, String token, int writer, AtomicBoolean stop, Map<String, String> writes) {
        for (int n = 0; !stop.get(); n++) {
            String name = "fault-" + writer + "-" + n;
            String message = "fault write " + writer + "-" + n;
            String yaml = "apiVersion: gavel/v1\nkind: Policy\nmetadata:\n  name: " + name + "\n  owner: faults\n"
                    + "spec:\n  type: maxTokens\n  enforcement: warn\n  settings:\n    output: " + (1000 + n) + "\n";
            HttpRequest put = HttpRequest.newBuilder(URI.create(url + "/api/v1/scopes/acme.chat/policies/" + name))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/yaml")
                    .header("X-Gavel-Message", message)
                    .PUT(HttpRequest.BodyPublishers.ofString(yaml))
                    .build();
            try {
                HttpResponse<String> r = http.send(put, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() / 100 == 2) {
                    Matcher m = COMMIT.matcher(r.body());
                    assertThat(m.find())
                            .as("a write answer names its commit: %s", r.body())
                            .isTrue();
                    writes.put(message, m.group(1));
                }
            } catch (IOException e) {
                return; // the server stopped accepting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
