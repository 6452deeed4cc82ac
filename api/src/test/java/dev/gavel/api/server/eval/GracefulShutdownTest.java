package dev.gavel.api.server.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.store.git.GitPolicyRepository;
import dev.gavel.store.log.Durability;
import dev.gavel.store.log.EvaluationLog;
import dev.gavel.store.log.LogSettings;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Closing the server (what SIGTERM does) answers every request in flight and loses no logged row. */
class GracefulShutdownTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName(
            "requests in flight when the server stops are answered; new connections are refused; rows are all logged")
    void inFlightRequestsAreAnswered() throws Exception {
        GitPolicyRepository repo = EvalServer.templateRepo(dir);
        LogSettings log = LogSettings.defaults(dir.resolve("log.db"))
                .withDurability(Durability.SYNC)
                .withWriterDelay(Duration.ofMillis(1500));
        EvalServer s = EvalServer.start(repo, log);
        int port = s.server.port();
        String one = "{\"scope\":\"acme.chat\",\"resource\":{\"type\":\"model\",\"name\":\"m\"},\"action\":\"deploy\","
                + "\"location\":{\"name\":\"eu-west-1\",\"country\":\"IE\",\"continent\":\"EU\"},"
                + "\"flavor\":{\"name\":\"c7i\",\"type\":\"cpu\"},\"tokens\":{\"input\":10,\"output\":10}}";
        List<CompletableFuture<EvalServer.Resp>> inFlight = new ArrayList<>();
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(4);
        for (int i = 0; i < 4; i++) {
            inFlight.add(CompletableFuture.supplyAsync(() -> s.post("/api/v1/evaluate", "reader", one), clients));
        }
        // Sync durability and a 1.5 s writer: the four wait for their commit inside their handlers.
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (s.server.requestsInFlight() < 4 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertThat(s.server.requestsInFlight()).isEqualTo(4);
        long start = System.nanoTime();
        s.close();
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        for (CompletableFuture<EvalServer.Resp> f : inFlight) {
            EvalServer.Resp r = f.get();
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            assertThat(r.json().path("decision").asText()).isNotEmpty();
        }
        assertThat(tookMs).isLessThan(10_000);
        clients.shutdown();
        boolean refused;
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            refused = false;
        } catch (ConnectException e) {
            refused = true;
        }
        assertThat(refused).isTrue();
        try (EvaluationLog reopened = EvaluationLog.open(LogSettings.defaults(dir.resolve("log.db")))) {
            assertThat(reopened.count()).isEqualTo(4);
        }
    }

    @Test
    @DisplayName(
            "while draining, a request on a kept-alive connection is refused (503, Connection: close), so steady load cannot hold the drain open")
    void drainRefusesRequestsOnOpenConnections() throws Exception {
        GitPolicyRepository repo = EvalServer.templateRepo(dir);
        LogSettings log = LogSettings.defaults(dir.resolve("log.db"))
                .withDurability(Durability.SYNC)
                .withWriterDelay(Duration.ofMillis(1500));
        EvalServer s = EvalServer.start(repo, log);
        String one = "{\"scope\":\"acme.chat\",\"resource\":{\"type\":\"model\",\"name\":\"m\"},\"action\":\"deploy\","
                + "\"location\":{\"name\":\"eu-west-1\",\"country\":\"IE\",\"continent\":\"EU\"},"
                + "\"flavor\":{\"name\":\"c7i\",\"type\":\"cpu\"},\"tokens\":{\"input\":10,\"output\":10}}";
        try (Socket keptAlive = new Socket("127.0.0.1", s.server.port())) {
            java.io.OutputStream out = keptAlive.getOutputStream();
            java.io.InputStream in = keptAlive.getInputStream();
            String request = "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n";
            out.write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertThat(readResponseHead(in)).startsWith("HTTP/1.1 200");
            // one evaluation in flight (its commit takes 1.5 s), then the drain starts
            CompletableFuture<EvalServer.Resp> running =
                    CompletableFuture.supplyAsync(() -> s.post("/api/v1/evaluate", "reader", one));
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (s.server.requestsInFlight() < 1 && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            CompletableFuture<Void> closing = CompletableFuture.runAsync(s::close);
            while (!s.server.draining() && System.nanoTime() < until) {
                Thread.sleep(1);
            }
            byte[] body = one.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.write(("POST /api/v1/evaluate HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer reader\r\n"
                            + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.write(body);
            String head = readResponseHead(in);
            assertThat(head)
                    .startsWith("HTTP/1.1 503")
                    .containsIgnoringCase("connection: close")
                    .containsIgnoringCase("retry-after: 1");
            assertThat(running.get().status()).isEqualTo(200);
            closing.get();
        }
        try (EvaluationLog reopened = EvaluationLog.open(LogSettings.defaults(dir.resolve("log.db")))) {
            assertThat(reopened.count())
                    .as("only the evaluation that ran was logged")
                    .isEqualTo(1);
        }
    }

    private static String readResponseHead(java.io.InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        String h = head.toString();
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(h);
        if (m.find()) {
            in.readNBytes(Integer.parseInt(m.group(1)));
        }
        return h;
    }
}
