package dev.gavel.api.server.eval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gavel.api.http.ApiProblem;
import dev.gavel.api.http.Caller;
import dev.gavel.api.http.FieldError;
import dev.gavel.api.http.Json;
import dev.gavel.api.http.RequestInput;
import dev.gavel.api.snapshot.Evaluator;
import dev.gavel.api.snapshot.SnapshotService;
import dev.gavel.api.wire.BreakerReset;
import dev.gavel.api.wire.Evaluations;
import dev.gavel.api.workloads.HeartbeatAnswers;
import dev.gavel.engine.eval.Match;
import dev.gavel.engine.model.ScopePath;
import dev.gavel.engine.snapshot.PolicySnapshot;
import dev.gavel.store.log.BreakerState;
import dev.gavel.store.log.EvaluationIds;
import dev.gavel.store.log.EvaluationRecord;
import dev.gavel.store.log.EvaluationSink;
import dev.gavel.store.log.LogUnavailableException;
import dev.gavel.store.log.LoggedMatch;
import dev.gavel.store.log.PolicyKey;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /evaluate}, {@code POST /evaluate/batch} and the breaker reset. Every answered evaluation is
 * appended to the log before the answer is sent; when the log cannot take it (queue full past the bounded
 * wait), the caller gets 503 and the decision is not answered, so answered = logged.
 */
public final class EvaluateRoutes {
    public static final int MAX_BATCH = 1_000;

    private final SnapshotService snapshots;
    private final EvaluationSink log;
    private final Breakers breakers;
    private final Applicability applicability;
    private final EvaluationMetrics metrics;

    EvaluateRoutes(
            SnapshotService snapshots,
            EvaluationSink log,
            Breakers breakers,
            Applicability applicability,
            EvaluationMetrics metrics) {
        this.snapshots = snapshots;
        this.log = log;
        this.breakers = breakers;
        this.applicability = applicability;
        this.metrics = metrics;
    }

    public void evaluate(Context ctx) {
        long start = System.nanoTime();
        Caller caller = Caller.of(ctx);
        JsonNode body = RequestInput.jsonBody(ctx);
        Evaluator.ScopeOrErrors s = Evaluator.scope(body, "");
        if (!s.errors().isEmpty()) {
            metrics.rejected();
            throw unprocessable(s.errors());
        }
        ScopePath scope = s.scope().get();
        caller.requireVisible(scope);
        PolicySnapshot snap = snapshots.require();
        Evaluator.Outcome o = Evaluator.evaluate(snap, scope, body, breakers, "");
        if (o instanceof Evaluator.Rejected r) {
            metrics.rejected();
            countFailures(snap, r);
            throw unprocessable(r.errors());
        }
        Evaluator.Decided d = (Evaluator.Decided) o;
        String id = EvaluationIds.next();
        record(snap, id, d, body);
        Evaluations.EvaluationAnswer answer = withHeartbeat(snap, d, EvaluationJson.answer(id, d));
        metrics.answered(d.evaluation().decision(), System.nanoTime() - start);
        Json.ok(ctx, answer);
    }

    public void batch(Context ctx) {
        long start = System.nanoTime();
        Caller caller = Caller.of(ctx);
        JsonNode body = RequestInput.jsonBody(ctx);
        JsonNode requests = body.isArray() ? body : body.get("requests");
        String listField = body.isArray() ? "body" : "requests";
        if (requests == null || !requests.isArray()) {
            throw unprocessable(
                    List.of(FieldError.of("requests", "expected {requests: [request, ...]} or an array of requests")));
        }
        if (requests.isEmpty() || requests.size() > MAX_BATCH) {
            throw unprocessable(List.of(
                    FieldError.of(listField, "a batch holds 1 to " + MAX_BATCH + " requests, got " + requests.size())));
        }
        PolicySnapshot snap = snapshots.require();
        List<FieldError> errors = new ArrayList<>();
        List<Evaluator.Decided> decided = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            String prefix = (body.isArray() ? "" : "requests") + "[" + i + "].";
            JsonNode item = requests.get(i);
            Evaluator.ScopeOrErrors s = Evaluator.scope(item, prefix);
            if (!s.errors().isEmpty()) {
                errors.addAll(s.errors());
                continue;
            }
            if (!caller.canSee(s.scope().get())) {
                throw ApiProblem.notFound(
                        "scope '" + s.scope().get().url() + "' of " + prefix + "scope does not exist");
            }
            Evaluator.Outcome o = Evaluator.evaluate(snap, s.scope().get(), item, breakers, prefix);
            if (o instanceof Evaluator.Rejected r) {
                errors.addAll(r.errors());
                countFailures(snap, r);
            } else {
                decided.add((Evaluator.Decided) o);
            }
        }
        if (!errors.isEmpty()) {
            metrics.rejected();
            throw unprocessable(errors); // all or nothing: no evaluation of a rejected batch is answered or logged
        }
        List<Evaluations.EvaluationAnswer> answers = new java.util.ArrayList<>();
        for (int i = 0; i < decided.size(); i++) {
            Evaluator.Decided d = decided.get(i);
            String id = EvaluationIds.next();
            record(snap, id, d, requests.get(i));
            answers.add(withHeartbeat(snap, d, EvaluationJson.answer(id, d)));
        }
        Evaluations.BatchAnswer out = new Evaluations.BatchAnswer(answers, decided.size());
        long each = (System.nanoTime() - start) / decided.size();
        decided.forEach(d -> metrics.answered(d.evaluation().decision(), each));
        Json.ok(ctx, out);
    }

    /** For a pod or job: the answer names the heartbeat policy governing it (docs/workloads.md). */
    private static Evaluations.EvaluationAnswer withHeartbeat(
            PolicySnapshot snap, Evaluator.Decided d, Evaluations.EvaluationAnswer answer) {
        return HeartbeatAnswers.governing(snap, d.request())
                .map(answer::withHeartbeat)
                .orElse(answer);
    }

    /** Counts the request against breakers and appends it to the log (waiting when the log is behind). */
    private void record(PolicySnapshot snap, String id, Evaluator.Decided d, JsonNode requestJson) {
        var request = d.request();
        Applicability.Applying applying =
                applicability.of(snap, d.scope(), request.resource().type());
        List<Applicability.Applicable> applicable = applying.all();
        List<Match> matches = d.evaluation().matches();
        breakers.record(applicable, matches, d.evaluation().missing());
        List<LoggedMatch> logged = new ArrayList<>(matches.size());
        for (Match m : matches) {
            logged.add(new LoggedMatch(
                    m.policy(),
                    m.definedAt().dotted(),
                    m.enforcement().value(),
                    m.effect().value(),
                    m.rule(),
                    m.message()));
        }
        ScopePath scope = d.scope();
        EvaluationRecord r = new EvaluationRecord(
                id,
                Instant.now(),
                scope.dotted(),
                scope.isGlobal() ? "" : scope.segments().get(0),
                request.resource().type(),
                request.action(),
                d.evaluation().decision().value(),
                d.evaluation().commit(),
                d.durationMicros(),
                requestJson.toString(),
                logged,
                applying.keys(),
                request.resource().name());
        try {
            log.append(r);
        } catch (LogUnavailableException e) {
            throw ApiProblem.unavailable("the evaluation could not be logged: " + e.getMessage());
        }
    }

    /** A refused request still counts against the breakers of the policies that could not evaluate it. */
    private void countFailures(PolicySnapshot snap, Evaluator.Rejected r) {
        r.failed()
                .ifPresent(f -> breakers.recordFailures(
                        applicability
                                .of(snap, f.scope(), f.request().resource().type())
                                .all(),
                        f.missing()));
    }

    /** {@code POST .../reset-circuit-breaker}: the policy counts at its own enforcement again. */
    public void resetBreaker(Context ctx) {
        Caller caller = Caller.of(ctx);
        ScopePath scope = RequestInput.scope(ctx);
        String name = RequestInput.name(ctx);
        caller.requireWritable(scope);
        PolicySnapshot snap = snapshots.require();
        if (snap.policies().definition(scope, name).isEmpty()) {
            throw ApiProblem.notFound("no policy '" + name + "' at scope '" + scope.url() + "' in the served commit");
        }
        BreakerState s;
        try {
            s = breakers.reset(new PolicyKey(name, scope.dotted()));
        } catch (LogUnavailableException e) {
            throw ApiProblem.unavailable("the breaker state could not be saved: " + e.getMessage());
        }
        Json.ok(
                ctx,
                new BreakerReset(
                        scope.dotted(),
                        name,
                        AnnotationsFromLog.breakerBody(
                                Optional.of(s),
                                snap.policies()
                                        .definition(scope, name)
                                        .get()
                                        .policy()
                                        .spec()
                                        .circuitBreaker()
                                        .isPresent())));
    }

    static ApiProblem unprocessable(List<FieldError> errors) {
        String first = errors.isEmpty()
                ? ""
                : ": " + errors.get(0).field() + " " + errors.get(0).message();
        return new ApiProblem(
                422,
                "unprocessable-request",
                "Unprocessable request",
                "the request cannot be decided as sent" + first,
                errors);
    }
}
