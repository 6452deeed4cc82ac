package dev.gavel.api.server.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.store.log.EvaluationLog;
import dev.gavel.store.log.LogSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A deliberately slow log (the writer sleeps before each batch): evaluate slows down instead of losing rows. */
class BackPressureApiTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName(
            "with a slow writer every answered evaluation is logged (0 lost) and the waits are counted in /metrics")
    void slowDiskSlowsEvaluate() throws Exception {
        LogSettings slow = LogSettings.defaults(dir.resolve("evaluations.db"))
                .withQueue(4, Duration.ofSeconds(30))
                .withMaxBatch(2)
                .withWriterDelay(Duration.ofMillis(10));
        int threads = 4;
        int each = 20;
        int answered = 0;
        try (EvalServer s = EvalServer.start(EvalServer.templateRepo(dir), slow)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < each; i++) {
                        if (s.post("/api/v1/evaluate", "reader", Requests.allowed("acme.chat"))
                                        .status()
                                == 200) {
                            ok++;
                        }
                    }
                    return ok;
                }));
            }
            for (Future<Integer> f : done) {
                answered += f.get();
            }
            pool.shutdown();
            assertThat(answered).isEqualTo(threads * each);
            assertThat(((dev.gavel.store.log.EvaluationLog)
                                    s.server.evaluations().log())
                            .backPressureWaits())
                    .isPositive();
            String waits = s.get("/metrics", null)
                    .text()
                    .lines()
                    .filter(l -> l.startsWith("gavel_evaluation_log_backpressure_waits_total"))
                    .findFirst()
                    .orElseThrow();
            assertThat(Double.parseDouble(waits.substring(waits.lastIndexOf(' ') + 1)))
                    .isPositive();
        }
        try (EvaluationLog log = EvaluationLog.open(LogSettings.defaults(dir.resolve("evaluations.db")))) {
            assertThat(log.count()).as("rows written = evaluations answered").isEqualTo(answered);
        }
    }
}
