package dev.gavel.api.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gavel.engine.model.Decision;
import dev.gavel.engine.model.Effect;
import dev.gavel.engine.model.Enforcement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code gavel validate --format json} and {@code POST /api/v1/impact}: one report, as records (the shape
 * docs/validate.md describes). Scopes are dotted; {@code ""} is the global scope.
 */
@Doc("gavel validate's report: diagnostics, policy tests, impact per scope, replay")
public record ValidationReportBody(
        boolean ok,
        String summary,
        ReportSide head,

        @Doc("The base side; null when only the head was checked")
        Optional<ReportSide> base,

        boolean valid,
        boolean compiled,
        int policies,
        ReportCounts counts,
        List<ReportDiagnostic> diagnostics,
        ReportTests tests,
        @Doc("null without a base") Optional<ImpactSection> impact,
        @Doc("null unless a replay was asked for") Optional<ReplaySection> replay) {

    /** A revision of the report and the commit it resolved to (null for the work tree). */
    public record ReportSide(
            String ref, @Doc(pattern = Patterns.COMMIT) Optional<String> commit) {}

    public record ReportCounts(long errors, long warnings, long testsPassed, long testsFailed) {}

    /** A finding, with its one-line {@code file:line:col: severity: message} text. */
    public record ReportDiagnostic(
            String severity, String file, int line, int column, String field, String message, String text) {}

    /** {@code run} is false when the head did not compile, so no test could run. */
    public record ReportTests(boolean run, long passed, long failed, List<ReportTest> results) {}

    public record ReportTest(
            String suite,
            String name,
            String file,
            int line,
            String scope,
            boolean passed,
            TestExpected expected,
            TestActual actual,
            List<String> failures) {}

    /** What the test expects: a decision and, when given, the policies that must match. */
    public record TestExpected(@Doc(oneOf = Decision.class) String decision, Optional<List<String>> matched) {}

    /** What the head decided; decision null when it could not decide. */
    public record TestActual(
            @Doc(oneOf = Decision.class) Optional<String> decision,
            List<TestMatch> matches,
            List<TestMissingField> missing) {}

    public record TestMatch(
            String policy,
            String rule,
            String definedAt,
            String file,
            @Doc(oneOf = Enforcement.class) String enforcement,
            @Doc(oneOf = Effect.class) String effect,
            String message) {}

    public record TestMissingField(String field, String policy, String message) {}

    /** The impact of base -> head per scope; reason says why it was not computed. */
    public record ImpactSection(
            boolean computed,
            Optional<String> reason,
            List<ReportDiagnostic> lockViolations,
            List<ScopeChanges> scopes,
            List<EnforcementChangeBody> enforcementChanges,
            List<String> scopesCompared) {}

    public record ScopeChanges(String scope, List<PolicyChangeBody> changes) {}

    public record PolicyChangeBody(
            String policy,
            @Doc("added, removed or changed") String change,
            Optional<ResolvedSide> before,
            Optional<ResolvedSide> after,
            List<FieldChangeBody> fields) {}

    public record ResolvedSide(
            String definedAt,
            @Doc(oneOf = Enforcement.class) String enforcement,
            String status,
            List<ResolvedLayer> layers) {}

    public record ResolvedLayer(String scope, String file) {}

    /** One resolved field that changed, with the scope each side came from. */
    public record FieldChangeBody(
            String path, JsonNode before, JsonNode after, Optional<String> beforeFrom, Optional<String> afterFrom) {}

    public record EnforcementChangeBody(String scope, String policy, String before, String after, boolean weakens) {}

    /** The replay of logged requests; the figures are present only when it ran. */
    public record ReplaySection(
            boolean run,
            boolean failOnFlip,
            Optional<String> reason,
            @JsonInclude(JsonInclude.Include.NON_NULL) String source,

            @Doc("null when the replay had no lower time bound") @JsonInclude(JsonInclude.Include.NON_NULL)
            Optional<String> since,

            @JsonInclude(JsonInclude.Include.NON_NULL) Long limit,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long replayed,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long unchanged,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long flipped,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long unreadable,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long millis,
            @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Long> transitions,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<PolicyFlipsBody> policies) {}

    /** Flips one policy explains (policy and definedAt null for flips no single policy explains). */
    public record PolicyFlipsBody(
            Optional<String> policy,
            Optional<String> definedAt,
            long flipped,
            Map<String, Long> transitions,
            List<FlipExampleBody> examples) {}

    public record FlipExampleBody(String id, Instant time, String scope, String before, String after, String why) {}
}
