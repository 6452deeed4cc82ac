package dev.gavel.api.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gavel.engine.model.Decision;
import dev.gavel.engine.model.Effect;
import dev.gavel.engine.model.Enforcement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/** Evaluation bodies: the decision answer, the log's rows, the per-policy page, attention. */
public final class Evaluations {
    private Evaluations() {}

    /** The answer to one request: the decision, the policies that matched, those that could not evaluate it. */
    public record EvaluationAnswer(
            @Doc("The evaluation's id in the log (UUID v7)") String id,
            @Doc(oneOf = Decision.class) String decision,
            @Doc(pattern = Patterns.COMMIT) String commit,
            @Doc(pattern = Patterns.SCOPE) String scope,
            List<MatchResult> results,

            @Doc("Policies that could not evaluate the request and could not refuse it (audit, or breaker open)")
            @JsonInclude(JsonInclude.Include.NON_NULL)
            List<NotEvaluated> notEvaluated,

            long durationMicros,

            @Doc("For a pod or job (resource.type pod or job): the heartbeat policy governing it, when one selects it")
            @JsonInclude(JsonInclude.Include.NON_NULL)
            Workloads.GoverningHeartbeat heartbeat) {

        public EvaluationAnswer(
                String id,
                String decision,
                String commit,
                String scope,
                List<MatchResult> results,
                List<NotEvaluated> notEvaluated,
                long durationMicros) {
            this(id, decision, commit, scope, results, notEvaluated, durationMicros, null);
        }

        /** The same answer with the governing heartbeat policy. */
        public EvaluationAnswer withHeartbeat(Workloads.GoverningHeartbeat h) {
            return new EvaluationAnswer(id, decision, commit, scope, results, notEvaluated, durationMicros, h);
        }
    }

    /** A policy rule that matched the request. */
    public record MatchResult(
            @Doc(pattern = Patterns.NAME) String policy,
            @Doc(pattern = Patterns.SCOPE) String definedAt,
            @Doc(oneOf = Enforcement.class) String enforcement,
            String rule,
            @Doc(oneOf = Effect.class) String effect,
            String message,

            @Doc("Present (true) when the policy's breaker is open: it counts as audit")
            @JsonInclude(JsonInclude.Include.NON_NULL)
            Boolean circuitBreakerOpen) {}

    /** A policy that needed a field the request did not carry. */
    public record NotEvaluated(
            @Doc(pattern = Patterns.NAME) String policy,
            @Doc(pattern = Patterns.SCOPE) String definedAt,
            @Doc(oneOf = Enforcement.class) String enforcement,
            String field,
            String message,
            @JsonInclude(JsonInclude.Include.NON_NULL) Boolean circuitBreakerOpen) {}

    /** The answers to a batch, in request order. */
    public record BatchAnswer(List<EvaluationAnswer> evaluations, int count) {}

    /** A logged evaluation: the answer's fields plus time, tenant, resource type, action and the request. */
    public record LoggedEvaluation(
            String id,
            Instant timestamp,
            @Doc(oneOf = Decision.class) String decision,
            @Doc(pattern = Patterns.COMMIT) String commit,
            @Doc(pattern = Patterns.SCOPE) String scope,
            Optional<String> tenant,
            Optional<String> resourceType,
            Optional<String> action,
            List<LoggedResult> results,
            long durationMicros,
            @Doc("The request as it was decided") JsonNode request) {}

    /** A match as the log keeps it. */
    public record LoggedResult(
            String policy,
            String definedAt,
            @Doc(oneOf = Enforcement.class) String enforcement,
            String rule,
            @Doc(oneOf = Effect.class) String effect,
            Optional<String> message) {}

    /** A page of the log, newest first. */
    public record EvaluationList(List<LoggedEvaluation> data, EvaluationPage meta) {
        /** Is there more, and the keyset cursor of the next page. */
        public record EvaluationPage(boolean hasMore, Optional<String> nextCursor, int limit) {}
    }

    /** Evaluations in which one policy matched, by page. */
    public record PolicyEvaluations(
            @Doc(pattern = Patterns.SCOPE) String scope,
            @Doc(pattern = Patterns.NAME) String name,
            List<PolicyEvaluation> evaluations,
            long total,
            int page,
            int pageSize) {}

    /** One of them: this policy's result, and the evaluation around it. */
    public record PolicyEvaluation(String id, PolicyResult result, Instant timestamp, Context context) {}

    /** The policy's own result in the evaluation. */
    public record PolicyResult(
            @Doc(oneOf = Decision.class) String decision,
            @Doc(oneOf = Effect.class) String effect,
            @Doc(oneOf = Enforcement.class) String enforcement,
            String rule,
            Optional<String> message) {}

    /** The evaluation: where, at which commit, the request and every result. */
    public record Context(
            @Doc(pattern = Patterns.SCOPE) String scope,
            @Doc(pattern = Patterns.COMMIT) String commit,
            JsonNode request,
            List<LoggedResult> results) {}

    /**
     * Whether a warn or audit policy is ready to be promoted a step, by the rule it states ({@code spec.promotion},
     * else the default), with the figures behind the answer and what is not met yet.
     */
    public record Promotion(boolean ready, PromotionCriteria rule, PromotionFigures figures, List<String> unmet) {}

    /** The rule: at least minEvaluations in the window, minDaysInWarn at the present enforcement, at most maxWouldDenyRate. */
    public record PromotionCriteria(
            long minEvaluations,
            int minDaysInWarn,
            double maxWouldDenyRate,
            int windowDays,

            @Doc("Whether the policy states it (else the default)")
            boolean stated) {}

    /**
     * The figures: evaluations that ran the policy in the last 7 days, those it denied or would have denied, their
     * rate, and since when (from Git) it has had its present enforcement.
     */
    public record PromotionFigures(
            long evaluations7d,
            long wouldDeny7d,
            double wouldDenyRate7d,
            Optional<Instant> enforcementSince,
            long daysAtEnforcement) {}

    /** What needs a person. */
    public record Attention(int count, List<AttentionItem> items) {}

    /** One thing that needs a person; which fields are present depends on the kind. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AttentionItem(
            @Doc(oneOf = Kind.class) String kind,
            @Doc(pattern = Patterns.SCOPE) String scope,
            @Doc(pattern = Patterns.NAME) String policy,
            String file,
            @Doc(pattern = Patterns.COMMIT) String commit,
            @Doc(pattern = Patterns.COMMIT) Optional<String> served,
            List<String> errors,
            Optional<Instant> openedAt,
            Optional<String> reason,
            Optional<LocalDate> nextReview,
            Optional<String> owner,
            @Doc(oneOf = Enforcement.class) String enforcement,
            Long evaluations7d,
            Long denies7d,
            Double denyRate7d,
            Double maxDenyRate,

            @Doc("For ready-to-promote: the policy's promotion rule and the figures that meet it")
            Promotion promotion) {

        /** The kinds of attention items. */
        public enum Kind {
            HEAD_DOES_NOT_COMPILE("head-does-not-compile"),
            CIRCUIT_BREAKER_OPEN("circuit-breaker-open"),
            REVIEW_OVERDUE("review-overdue"),
            READY_TO_PROMOTE("ready-to-promote"),
            DENIES_OVER_BREAKER_LIMIT("denies-over-breaker-limit");

            private final String value;

            Kind(String value) {
                this.value = value;
            }

            public String value() {
                return value;
            }
        }

        public static AttentionItem headDoesNotCompile(
                Optional<String> commit, Optional<String> served, List<String> errors) {
            return new AttentionItem(
                    Kind.HEAD_DOES_NOT_COMPILE.value(),
                    null,
                    null,
                    null,
                    commit.orElse(null),
                    served,
                    errors,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null);
        }

        public static AttentionItem breakerOpen(
                String scope, String policy, Optional<Instant> openedAt, Optional<String> reason) {
            return new AttentionItem(
                    Kind.CIRCUIT_BREAKER_OPEN.value(),
                    scope,
                    policy,
                    null,
                    null,
                    null,
                    null,
                    openedAt,
                    reason,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null);
        }

        public static AttentionItem reviewOverdue(
                String scope, String policy, String file, Optional<LocalDate> nextReview, Optional<String> owner) {
            return new AttentionItem(
                    Kind.REVIEW_OVERDUE.value(),
                    scope,
                    policy,
                    file,
                    null,
                    null,
                    null,
                    null,
                    null,
                    nextReview,
                    owner,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null);
        }

        public static AttentionItem readyToPromote(
                String scope, String policy, String file, String enforcement, Promotion readiness) {
            return new AttentionItem(
                    Kind.READY_TO_PROMOTE.value(),
                    scope,
                    policy,
                    file,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    enforcement,
                    readiness.figures().evaluations7d(),
                    readiness.figures().wouldDeny7d(),
                    readiness.figures().wouldDenyRate7d(),
                    null,
                    readiness);
        }

        public static AttentionItem deniesOverBreakerLimit(
                String scope,
                String policy,
                String file,
                String enforcement,
                long evaluations7d,
                long denies7d,
                double denyRate7d,
                double maxDenyRate) {
            return new AttentionItem(
                    Kind.DENIES_OVER_BREAKER_LIMIT.value(),
                    scope,
                    policy,
                    file,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    enforcement,
                    evaluations7d,
                    denies7d,
                    denyRate7d,
                    maxDenyRate,
                    null);
        }
    }
}
