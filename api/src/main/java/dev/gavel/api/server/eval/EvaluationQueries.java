package dev.gavel.api.server.eval;

import dev.gavel.api.http.ApiProblem;
import dev.gavel.api.http.Caller;
import dev.gavel.api.http.FieldError;
import dev.gavel.api.http.Json;
import dev.gavel.api.http.RequestInput;
import dev.gavel.api.wire.Evaluations;
import dev.gavel.engine.model.Decision;
import dev.gavel.engine.model.Names;
import dev.gavel.engine.model.ScopePath;
import dev.gavel.store.log.EvaluationFilter;
import dev.gavel.store.log.EvaluationPage;
import dev.gavel.store.log.EvaluationReader;
import dev.gavel.store.log.EvaluationRecord;
import dev.gavel.store.log.LogUnavailableException;
import dev.gavel.store.log.PolicyEvaluationPage;
import dev.gavel.store.log.PolicyKey;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Reads of the log: {@code GET /evaluations} (filters and a keyset cursor) and a policy's evaluations by
 * page. A tenant-limited caller sees only evaluations made in its tenants.
 */
public final class EvaluationQueries {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;
    public static final int DEFAULT_PAGE_SIZE = 50;
    public static final int MAX_PAGE_SIZE = 100;

    private final EvaluationReader log;

    EvaluationQueries(EvaluationReader log) {
        this.log = log;
    }

    public void list(Context ctx) {
        EvaluationFilter filter = filter(ctx, Caller.of(ctx));
        int limit = Math.min(
                MAX_LIMIT,
                RequestInput.intQuery(ctx, "limit", 1, Integer.MAX_VALUE).orElse(DEFAULT_LIMIT));
        Optional<String> cursor =
                Optional.ofNullable(ctx.queryParam("cursor")).map(String::strip).filter(c -> !c.isEmpty());
        EvaluationPage page;
        try {
            page = reading(() -> log.list(filter, cursor, limit));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("invalid cursor", FieldError.of("cursor", e.getMessage()));
        }
        Json.ok(
                ctx,
                new Evaluations.EvaluationList(
                        page.evaluations().stream().map(EvaluationJson::logged).toList(),
                        new Evaluations.EvaluationList.EvaluationPage(
                                page.nextCursor().isPresent(), page.nextCursor(), limit)));
    }

    /** A public evaluation id: a UUID in its canonical lower-case form ({@code EvaluationIds}). */
    private static final java.util.regex.Pattern EVALUATION_ID =
            java.util.regex.Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /**
     * {@code GET /evaluations/{id}}: one logged evaluation, the shape of {@link #list}'s items. An evaluation
     * outside a tenant-limited caller's tenants is 404, as if it did not exist (the same rows {@code list}
     * hides from it).
     */
    public void one(Context ctx) {
        String id = ctx.pathParam("id");
        if (!EVALUATION_ID.matcher(id).matches()) {
            throw ApiProblem.badRequest(
                    "invalid evaluation id",
                    FieldError.of("id", "'" + Names.printable(id) + "' is not an evaluation id (a lower-case UUID)"));
        }
        Caller caller = Caller.of(ctx);
        Optional<EvaluationRecord> found = reading(() -> log.find(id));
        EvaluationRecord r = found.filter(e -> caller.principal()
                        .tenants()
                        .map(ts -> ts.contains(e.tenant()))
                        .orElse(true))
                .orElseThrow(() -> ApiProblem.notFound("no evaluation " + id));
        Json.ok(ctx, EvaluationJson.logged(r));
    }

    /**
     * {@code GET /evaluations/export}: the evaluations the filters of {@link #list} select, newest first, as
     * NDJSON (one logged evaluation per line, the shape of {@code list}'s items), streamed in keyset pages so a
     * million rows cost the server no more memory than one page. {@code limit} defaults to 100,000.
     * What {@code gavel validate --replay URL} reads.
     */
    public void export(Context ctx) {
        EvaluationFilter filter = filter(ctx, Caller.of(ctx));
        long limit = RequestInput.intQuery(ctx, "limit", 1, MAX_EXPORT).orElse(DEFAULT_EXPORT);
        // The first page is read before the answer starts, so a log that cannot be read is still a problem+json 503.
        EvaluationPage page = reading(() -> log.list(filter, Optional.empty(), (int) Math.min(EXPORT_PAGE, limit)));
        ctx.contentType("application/x-ndjson");
        ctx.status(200);
        try (java.io.OutputStream out = new java.io.BufferedOutputStream(ctx.outputStream(), 1 << 16)) {
            long left = limit;
            while (true) {
                for (EvaluationRecord r : page.evaluations()) {
                    Json.MAPPER.writeValue(new NoClose(out), EvaluationJson.logged(r));
                    out.write('\n');
                }
                left -= page.evaluations().size();
                if (left <= 0 || page.nextCursor().isEmpty()) {
                    break;
                }
                Optional<String> next = page.nextCursor();
                long size = Math.min(EXPORT_PAGE, left);
                page = reading(() -> log.list(filter, next, (int) size));
            }
        } catch (java.io.IOException e) {
            // The client went away: nothing more to send.
        }
    }

    /** Lets Jackson write one value without closing the response stream under it. */
    private static final class NoClose extends java.io.FilterOutputStream {
        NoClose(java.io.OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() {
            // keep the stream open
        }
    }

    public static final int DEFAULT_EXPORT = 100_000;
    public static final int MAX_EXPORT = 100_000_000;
    private static final int EXPORT_PAGE = 1_000;

    /** The filters shared by {@code list} and {@code export}; a tenant-limited caller sees only its tenants. */
    private static EvaluationFilter filter(Context ctx, Caller caller) {
        EvaluationFilter f = EvaluationFilter.ALL;
        Optional<ScopePath> scope = scopeParam(ctx, "scope");
        Optional<ScopePath> prefix = scopeParam(ctx, "scopePrefix");
        if (scope.isPresent()) {
            caller.requireVisible(scope.get());
            f = f.withScope(scope.get().dotted());
        }
        if (prefix.isPresent()) {
            caller.requireVisible(prefix.get());
            f = f.withScopePrefix(prefix.get().dotted());
        }
        String policy = ctx.queryParam("policy");
        if (policy != null && !policy.isBlank()) {
            if (!Names.isValid(policy.strip())) {
                throw ApiProblem.badRequest(
                        "invalid policy",
                        FieldError.of("policy", "'" + Names.printable(policy) + "' " + Names.RULE_TEXT));
            }
            f = f.withPolicy(policy.strip());
        }
        String decision = ctx.queryParam("decision");
        if (decision != null && !decision.isBlank()) {
            Decision d = Decision.fromValue(decision.strip())
                    .orElseThrow(() -> ApiProblem.badRequest(
                            "invalid decision",
                            FieldError.of(
                                    "decision",
                                    "'" + Names.printable(decision) + "' is not one of "
                                            + String.join(", ", Decision.spellings()))));
            f = f.withDecision(d.value());
        }
        String commit = ctx.queryParam("commit");
        if (commit != null && !commit.isBlank()) {
            f = f.withCommit(RequestInput.revision("commit", commit.strip()));
        }
        Optional<Instant> since = instantParam(ctx, "since");
        Optional<Instant> until = instantParam(ctx, "until");
        if (since.isPresent()) {
            f = f.withSince(since.get());
        }
        if (until.isPresent()) {
            f = f.withUntil(until.get());
        }
        if (caller.principal().tenants().isPresent()) {
            f = f.withTenants(caller.principal().tenants().get());
        }
        return f;
    }

    /** {@code {evaluations:[{id, result, timestamp, context}], total, page, pageSize}}; pageSize at most 100. */
    public void policyEvaluations(Context ctx) {
        ScopePath scope = RequestInput.scope(ctx);
        String name = RequestInput.name(ctx);
        Caller.of(ctx).requireVisible(scope);
        int page = RequestInput.intQuery(ctx, "page", 1, 1_000_000).orElse(1);
        int pageSize = Math.min(
                MAX_PAGE_SIZE,
                RequestInput.intQuery(ctx, "pageSize", 1, Integer.MAX_VALUE).orElse(DEFAULT_PAGE_SIZE));
        PolicyEvaluationPage p =
                reading(() -> log.policyEvaluations(new PolicyKey(name, scope.dotted()), page, pageSize));
        List<Evaluations.PolicyEvaluation> items = new java.util.ArrayList<>();
        for (PolicyEvaluationPage.Item it : p.items()) {
            EvaluationRecord r = it.evaluation();
            items.add(new Evaluations.PolicyEvaluation(
                    r.id(),
                    new Evaluations.PolicyResult(
                            r.decision(),
                            it.match().effect(),
                            it.match().enforcement(),
                            it.match().rule(),
                            Optional.ofNullable(it.match().message())),
                    r.time(),
                    new Evaluations.Context(
                            r.scope(),
                            r.commit(),
                            EvaluationJson.request(r.requestJson()),
                            EvaluationJson.results(r.matches()))));
        }
        Json.ok(ctx, new Evaluations.PolicyEvaluations(scope.dotted(), name, items, p.total(), p.page(), p.pageSize()));
    }

    private static <T> T reading(Supplier<T> read) {
        try {
            return read.get();
        } catch (LogUnavailableException e) {
            throw ApiProblem.unavailable(e.getMessage());
        }
    }

    private static Optional<ScopePath> scopeParam(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ScopePath.fromUrl(v.strip()));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest(
                    "invalid " + name, FieldError.of(name, e.getMessage() + " (dotted names, or _ for global)"));
        }
    }

    private static Optional<Instant> instantParam(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(v.strip()));
        } catch (DateTimeParseException e) {
            throw ApiProblem.badRequest(
                    "invalid " + name,
                    FieldError.of(
                            name,
                            "'" + Names.printable(v) + "' is not an ISO-8601 instant such as 2026-11-23T10:00:00Z"));
        }
    }
}
