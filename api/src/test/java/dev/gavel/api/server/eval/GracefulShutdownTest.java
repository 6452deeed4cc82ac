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
  @TempDir Path dir;

  @Test
  @DisplayName("requests in flight when the server stops are answered; new connections are refused; rows are all logged")
  void inFlightRequestsAreAnswered() throws Exception {
    GitPolicyRepository repo = EvalServer.templateRepo(dir);
    LogSettings log = LogSettings.defaults(dir.resolve("log.db")).withDurability(Durability.SYNC)
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
}
