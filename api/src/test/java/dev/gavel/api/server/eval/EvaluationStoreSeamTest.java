package dev.gavel.api.server.eval;

import static dev.gavel.api.server.eval.Requests.allowed;
import static dev.gavel.api.server.eval.Requests.outsideEu;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gavel.store.log.LogSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluation routes depend on the store's seams (sink, reader, breakers), not on SQLite: the same
 * requests through a server over the real log and over {@link InMemoryEvaluationStore} give the same
 * answers, and a store that cannot write makes evaluations answer 503 and /readyz fail.
 */
class EvaluationStoreSeamTest {
    @TempDir
    Path dir;

    /** What a client sees after the same five evaluations: decisions of a filtered, paged list and a policy page. */
    private static List<String> walk(EvalServer s) {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            assertThat(s.post("/api/v1/evaluate", "reader", allowed("acme.chat.support-bot.prod"))
                            .status())
                    .isEqualTo(200);
        }
        for (int i = 0; i < 2; i++) {
            assertThat(s.post("/api/v1/evaluate", "reader", outsideEu("acme.chat.support-bot.prod"))
                            .status())
                    .isEqualTo(200);
        }
        // Rows land after the answer (batched writes); a read before the flush may miss the newest one.
        s.flushLog();
        JsonNode first = s.get("/api/v1/evaluations?limit=2", "reader").json();
        first.path("data").forEach(e -> seen.add("page1:" + e.path("decision").asText()));
        String cursor = first.path("meta").path("nextCursor").asText();
        assertThat(cursor).isNotEmpty();
        JsonNode second =
                s.get("/api/v1/evaluations?limit=10&cursor=" + cursor, "reader").json();
        second.path("data").forEach(e -> seen.add("page2:" + e.path("decision").asText()));
        JsonNode denies = s.get("/api/v1/evaluations?decision=deny", "reader").json();
        seen.add("denies:" + denies.path("data").size());
        JsonNode policy = s.get("/api/v1/scopes/_/policies/eu-residency/evaluations", "reader")
                .json();
        seen.add("eu-residency:" + policy.path("total").asLong());
        JsonNode read =
                s.get("/api/v1/scopes/_/policies/eu-residency", "reader").json();
        seen.add("usage24h:" + read.path("usage").path("last24h").path("denies").asLong());
        return seen;
    }

    @Test
    @DisplayName("the routes answer the same over the SQLite log and over the in-memory store")
    void sameAnswersOverEitherStore() throws Exception {
        List<String> real;
        try (EvalServer s = EvalServer.start(
                EvalServer.templateRepo(dir.resolve("a")), LogSettings.defaults(dir.resolve("log.db")))) {
            real = walk(s);
        }
        InMemoryEvaluationStore memory = new InMemoryEvaluationStore();
        List<String> fake;
        try (EvalServer s =
                EvalServer.start(EvalServer.templateRepo(dir.resolve("b")), EvaluationSettings.over(memory))) {
            fake = walk(s);
        }
        assertThat(memory.size()).isEqualTo(5);
        assertThat(real)
                .contains("page1:deny", "denies:2", "eu-residency:2", "usage24h:2")
                .hasSize(8);
        assertThat(fake).isEqualTo(real);
    }

    @Test
    @DisplayName("a store that cannot write: evaluations answer 503 and readiness fails, nothing is answered as logged")
    void failingStore() throws Exception {
        InMemoryEvaluationStore memory = new InMemoryEvaluationStore();
        try (EvalServer s = EvalServer.start(EvalServer.templateRepo(dir), EvaluationSettings.over(memory))) {
            assertThat(s.post("/api/v1/evaluate", "reader", allowed("acme.chat"))
                            .status())
                    .isEqualTo(200);
            memory.failWith("disk full");
            EvalServer.Resp refused = s.post("/api/v1/evaluate", "reader", allowed("acme.chat"));
            assertThat(refused.status()).as(refused.text()).isEqualTo(503);
            assertThat(s.get("/readyz", null).status()).isEqualTo(503);
            assertThat(memory.size()).isEqualTo(1);
        }
    }
}
