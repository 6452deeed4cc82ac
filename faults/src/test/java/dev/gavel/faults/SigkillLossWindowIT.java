package dev.gavel.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.faults.EvaluationLoad.Answer;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batch durability's promise under load, over many crashes: a SIGKILL loses only evaluations answered
 * within the loss window before it ({@link #LOSS_WINDOW_MS}, docs/evaluations.md). Each run starts the
 * server on the same data directory (so every start also recovers the log a kill left behind), loads it
 * with concurrent clients, kills it at a random moment, and compares every answered id with the log.
 */
class SigkillLossWindowIT {
    /**
     * The documented bound: the writer's lag bound (100 ms) plus one transaction, with slack for this
     * shared 2-core machine, where the load clients, the server and the writer share two cores.
     */
    static final long LOSS_WINDOW_MS = 250;

    static final int CLIENTS = 16;
    static final int BATCH_CLIENTS = 4;

    @TempDir
    Path tmp;

    record Run(int run, int answered, int lost, long windowMillis) {}

    @Test
    @DisplayName("SIGKILL under load, many times: only evaluations answered within the loss window are missing")
    void sigkillLosesOnlyTheLastMoments() throws Exception {
        int kills = Integer.getInteger("gavel.faults.kills", 20);
        Path data = tmp.resolve("data");
        HttpClient http = HttpClient.newHttpClient();
        List<Run> runs = new ArrayList<>();
        for (int run = 1; run <= kills; run++) {
            List<Answer> answers;
            long killedAt;
            try (GavelProcess server = GavelProcess.serve(data)) {
                server.awaitStatus(http, "/readyz", 200, Duration.ofSeconds(60));
                EvaluationLoad load = EvaluationLoad.start(server.url(), server.adminToken(), CLIENTS, BATCH_CLIENTS);
                try {
                    Thread.sleep(1_000 + ThreadLocalRandom.current().nextInt(2_000));
                    killedAt = System.currentTimeMillis();
                    server.kill();
                } finally {
                    load.close();
                }
                answers = load.answers();
                server.output().stream().filter(l -> l.contains("DEBUG")).forEach(System.out::println);
                assertThat(answers)
                        .as("run %d: the server answered evaluations before the kill", run)
                        .isNotEmpty();
            }
            Set<String> logged = LogFile.ids(data.resolve("evaluations.db"));
            List<Answer> missing =
                    answers.stream().filter(a -> !logged.contains(a.id())).toList();
            long window = missing.stream()
                    .mapToLong(a -> killedAt - a.answeredAtMillis())
                    .max()
                    .orElse(0);
            runs.add(new Run(run, answers.size(), missing.size(), Math.max(0, window)));
            assertThat(window)
                    .as(
                            "run %d: %d of %d answered evaluations are missing; the oldest was answered %d ms before the kill",
                            run, missing.size(), answers.size(), window)
                    .isLessThanOrEqualTo(LOSS_WINDOW_MS);
        }
        Figures.write("sigkill-loss-window", runs);
        long worst = runs.stream().mapToLong(Run::windowMillis).max().orElse(0);
        long lost = runs.stream().mapToLong(Run::lost).sum();
        long answered = runs.stream().mapToLong(Run::answered).sum();
        System.out.printf(
                "SIGKILL x%d: %d evaluations answered, %d lost; worst loss window %d ms (bound %d ms)%n",
                kills, answered, lost, worst, LOSS_WINDOW_MS);
    }
}
