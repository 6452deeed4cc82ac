package dev.gavel.api.server.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gavel.api.http.Json;
import dev.gavel.api.snapshot.Evaluator;
import dev.gavel.api.wire.Evaluations.EvaluationAnswer;
import dev.gavel.api.wire.Evaluations.LoggedEvaluation;
import dev.gavel.api.wire.Evaluations.LoggedResult;
import dev.gavel.api.wire.Evaluations.MatchResult;
import dev.gavel.api.wire.Evaluations.NotEvaluated;
import dev.gavel.engine.eval.Match;
import dev.gavel.engine.eval.MissingField;
import dev.gavel.store.log.EvaluationRecord;
import dev.gavel.store.log.LoggedMatch;
import java.util.List;
import java.util.Optional;

/** Evaluations as bodies: the evaluate answer and the log's rows. */
public final class EvaluationJson {
    private EvaluationJson() {}

    public static EvaluationAnswer answer(String id, Evaluator.Decided d) {
        List<MatchResult> results = d.evaluation().matches().stream()
                .map((Match m) -> new MatchResult(
                        m.policy(),
                        m.definedAt().dotted(),
                        m.enforcement().value(),
                        m.rule(),
                        m.effect().value(),
                        m.message(),
                        m.breakerOpen() ? Boolean.TRUE : null))
                .toList();
        List<NotEvaluated> missing = d.evaluation().missing().isEmpty()
                ? null
                : d.evaluation().missing().stream()
                        .map((MissingField m) -> new NotEvaluated(
                                m.policy(),
                                m.definedAt().dotted(),
                                m.enforcement().value(),
                                m.field(),
                                m.message(),
                                m.breakerOpen() ? Boolean.TRUE : null))
                        .toList();
        return new EvaluationAnswer(
                id,
                d.evaluation().decision().value(),
                d.evaluation().commit(),
                d.scope().dotted(),
                results,
                missing,
                d.durationMicros());
    }

    public static LoggedEvaluation logged(EvaluationRecord r) {
        return new LoggedEvaluation(
                r.id(),
                r.time(),
                r.decision(),
                r.commit(),
                r.scope(),
                Optional.ofNullable(r.tenant()),
                Optional.ofNullable(r.resourceType()),
                Optional.ofNullable(r.action()),
                results(r.matches()),
                r.durationMicros(),
                request(r.requestJson()));
    }

    static List<LoggedResult> results(List<LoggedMatch> matches) {
        return matches.stream()
                .map(m -> new LoggedResult(
                        m.policy(),
                        m.definedAt(),
                        m.enforcement(),
                        m.rule(),
                        m.effect(),
                        Optional.ofNullable(m.message())))
                .toList();
    }

    static JsonNode request(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return Json.MAPPER.getNodeFactory().textNode(json); // logged by an older version; shown as text
        }
    }
}
