package dev.gavel.api.server;

import dev.gavel.api.http.ApiProblem;
import dev.gavel.api.http.Caller;
import dev.gavel.api.http.FieldError;
import dev.gavel.api.http.Json;
import dev.gavel.api.http.RequestInput;
import dev.gavel.api.server.eval.PolicyAnnotations;
import dev.gavel.api.snapshot.SnapshotService;
import dev.gavel.api.wire.PolicyList;
import dev.gavel.api.wire.PolicySummary;
import dev.gavel.api.wire.RawPolicy;
import dev.gavel.api.wire.ResolvedSet;
import dev.gavel.api.wire.ScopePolicies;
import dev.gavel.api.wire.Stamps;
import dev.gavel.engine.model.Enforcement;
import dev.gavel.engine.model.Names;
import dev.gavel.engine.model.Policy;
import dev.gavel.engine.model.PolicyPath;
import dev.gavel.engine.model.PolicyType;
import dev.gavel.engine.model.ScopePath;
import dev.gavel.engine.model.Status;
import dev.gavel.engine.parse.PolicyWriter;
import dev.gavel.engine.resolve.PolicyDefinition;
import dev.gavel.engine.resolve.ResolvedPolicy;
import dev.gavel.engine.snapshot.CompileResult;
import dev.gavel.engine.snapshot.PolicySnapshot;
import dev.gavel.engine.snapshot.SnapshotCompiler;
import dev.gavel.store.git.FileStamp;
import dev.gavel.store.git.GitPolicyRepository;
import dev.gavel.store.git.RepoFiles;
import dev.gavel.store.git.ScopeSnapshot;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Reads of policies: the list across scopes, a scope's raw files, one raw file, a scope's resolved set. */
final class PolicyReads {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;
    private static final Set<String> SORTS = Set.of("createdAt:desc", "createdAt:asc", "name:asc", "name:desc");

    private final GitPolicyRepository repository;
    private final SnapshotService snapshots;
    private final ListCursors cursors;
    private final PolicyAnnotations annotations;
    private final dev.gavel.api.workloads.WorkloadFeature workloads;

    PolicyReads(
            GitPolicyRepository repository,
            SnapshotService snapshots,
            ListCursors cursors,
            PolicyAnnotations annotations,
            dev.gavel.api.workloads.WorkloadFeature workloads) {
        this.repository = repository;
        this.snapshots = snapshots;
        this.cursors = cursors;
        this.annotations = annotations;
        this.workloads = workloads;
    }

    // ---- list

    void list(Context ctx) {
        Caller caller = Caller.of(ctx);
        Optional<ScopePath> scope = Optional.ofNullable(ctx.queryParam("scope")).map(s -> parseScope("scope", s));
        Optional<PolicyType> type = enumParam(ctx, "type", PolicyType::fromValue, PolicyType.spellings());
        Optional<Status> status = enumParam(ctx, "status", Status::fromValue, Status.spellings());
        Optional<Enforcement> enforcement =
                enumParam(ctx, "enforcement", Enforcement::fromValue, Enforcement.spellings());
        String q = Optional.ofNullable(ctx.queryParam("q"))
                .map(s -> s.strip().toLowerCase(Locale.ROOT))
                .orElse("");
        String query = q.length() < 2 ? "" : q;
        String sort = Optional.ofNullable(ctx.queryParam("sort")).orElse("createdAt:desc");
        if (!SORTS.contains(sort)) {
            throw ApiProblem.badRequest(
                    "invalid sort",
                    FieldError.of(
                            "sort",
                            "'" + Names.printable(sort)
                                    + "' is not one of createdAt:desc, createdAt:asc, name:asc, name:desc"));
        }
        int limit = Math.min(
                MAX_LIMIT,
                RequestInput.intQuery(ctx, "limit", 1, Integer.MAX_VALUE).orElse(DEFAULT_LIMIT));
        String queryHash = ListCursors.hash(String.join(
                "\u0000",
                scope.map(ScopePath::dotted).orElse("*"),
                type.map(PolicyType::value).orElse("*"),
                status.map(Status::value).orElse("*"),
                enforcement.map(Enforcement::value).orElse("*"),
                query,
                caller.principal()
                        .tenants()
                        .map(t -> String.join(",", new java.util.TreeSet<>(t)))
                        .orElse("*")));

        PolicySnapshot snap = snapshots.require();
        Map<String, FileStamp> stamps = repository.fileStamps();
        List<PolicyDefinition> items = new ArrayList<>();
        for (PolicyDefinition d : snap.policies().all()) {
            Policy p = d.policy();
            if (!caller.canSee(d.scope())
                    || scope.isPresent() && !scope.get().equals(d.scope())
                    || type.isPresent() && p.type() != type.get()
                    || status.isPresent() && p.spec().status() != status.get()
                    || enforcement.isPresent() && p.spec().enforcement() != enforcement.get()
                    || !query.isEmpty() && !matches(p, query)) {
                continue;
            }
            items.add(d);
        }
        boolean byName = sort.startsWith("name");
        Comparator<ListCursors.Key> order =
                Comparator.comparing(ListCursors.Key::primary).thenComparing(ListCursors.Key::path);
        if (sort.endsWith(":desc")) {
            order = order.reversed();
        }
        final Comparator<ListCursors.Key> keyOrder = order;
        java.util.function.Function<PolicyDefinition, ListCursors.Key> keyOf = d -> new ListCursors.Key(
                byName
                        ? d.name()
                        : String.format(
                                "%015d",
                                Optional.ofNullable(stamps.get(d.file()))
                                        .map(s -> s.createdAt().toEpochMilli())
                                        .orElse(0L)),
                d.file());
        items.sort(Comparator.comparing(keyOf, keyOrder));
        int start = 0;
        String cursor = ctx.queryParam("cursor");
        if (cursor != null && !cursor.isBlank()) {
            ListCursors.Key after = cursors.read(cursor.strip(), sort, queryHash);
            while (start < items.size() && keyOrder.compare(keyOf.apply(items.get(start)), after) <= 0) {
                start++;
            }
        }
        int end = Math.min(items.size(), start + limit);
        List<PolicySummary> data = new ArrayList<>();
        PolicyAnnotations.Annotator usage = annotations.begin();
        var counts = workloads.counter(caller);
        for (PolicyDefinition d : items.subList(start, end)) {
            data.add(summary(
                    d,
                    Optional.ofNullable(stamps.get(d.file())),
                    usage.annotate(d.scope(), d.name()),
                    counts.apply(d)));
        }
        boolean more = end < items.size();
        Optional<String> next =
                more ? Optional.of(cursors.issue(sort, queryHash, keyOf.apply(items.get(end - 1)))) : Optional.empty();
        Json.ok(ctx, new PolicyList(data, new PolicyList.PolicyPage(more, next, items.size(), limit, snap.commit())));
    }

    private static boolean matches(Policy p, String q) {
        if (p.name().contains(q)
                || p.metadata()
                        .displayName()
                        .map(s -> s.toLowerCase(Locale.ROOT).contains(q))
                        .orElse(false)) {
            return true;
        }
        return p.metadata().labels().entrySet().stream()
                .anyMatch(e -> e.getKey().toLowerCase(Locale.ROOT).contains(q)
                        || e.getValue().toLowerCase(Locale.ROOT).contains(q));
    }

    private static PolicySummary summary(
            PolicyDefinition d,
            Optional<FileStamp> stamp,
            PolicyAnnotations.Annotation a,
            dev.gavel.api.wire.Workloads.WorkloadCounts counts) {
        Policy p = d.policy();
        Stamps s = Stamps.of(stamp);
        return new PolicySummary(
                d.scope().dotted(),
                d.name(),
                d.file(),
                p.type().value(),
                p.spec().enforcement().value(),
                p.spec().status().value(),
                p.spec().locked(),
                p.metadata().displayName(),
                p.metadata().category().map(c -> c.value()),
                p.metadata().owner(),
                new TreeMap<>(p.metadata().labels()),
                p.metadata().nextReview(),
                s.createdAt(),
                s.createdBy(),
                s.updatedAt(),
                s.updatedBy(),
                a.usage(),
                a.circuitBreaker(),
                counts);
    }

    // ---- raw reads

    /** The files directly in a scope at the requested point (?version=N, ?at=commit, or the served commit). */
    record ScopeFiles(String commit, Optional<Integer> version, Map<String, byte[]> files) {}

    ScopeFiles scopeFiles(Context ctx, ScopePath scope) {
        Optional<Integer> version = RequestInput.intQuery(ctx, "version", 1, Integer.MAX_VALUE);
        String at = ctx.queryParam("at");
        if (version.isPresent() && at != null) {
            throw ApiProblem.badRequest("give version or at, not both", FieldError.of("at", "not with version"));
        }
        if (version.isPresent()) {
            ScopeSnapshot s = repository.scopeAtVersion(scope.dotted(), version.get());
            return new ScopeFiles(s.version().commit().id(), version, new TreeMap<>(s.files()));
        }
        String commit = at != null ? repository.resolve(RequestInput.revision("at", at)) : readCommit();
        String dir = scope.directory() + "/";
        Map<String, byte[]> direct = new TreeMap<>();
        repository.filesAt(commit).files().forEach((path, bytes) -> {
            if (path.startsWith(dir) && path.indexOf('/', dir.length()) < 0 && PolicyPath.isPolicyPath(path)) {
                direct.put(path, bytes);
            }
        });
        return new ScopeFiles(commit, Optional.empty(), direct);
    }

    /** The served commit; the branch head while nothing compiles (raw reads need no compile). */
    String readCommit() {
        return snapshots
                .current()
                .map(PolicySnapshot::commit)
                .or(repository::head)
                .orElseThrow(() -> ApiProblem.unavailable("the branch has no commit yet"));
    }

    void scopePolicies(Context ctx) {
        ScopePath scope = RequestInput.scope(ctx);
        Caller.of(ctx).requireVisible(scope);
        ScopeFiles f = scopeFiles(ctx, scope);
        boolean atHead = f.version().isEmpty() && ctx.queryParam("at") == null;
        Map<String, FileStamp> stamps = atHead ? repository.fileStamps() : repository.fileStampsAt(f.commit());
        List<RawPolicy> data = new ArrayList<>();
        f.files()
                .forEach((path, bytes) -> data.add(PolicyJson.raw(
                        PolicyPath.parse(path), bytes, f.commit(), Optional.ofNullable(stamps.get(path)))));
        Json.ok(ctx, new ScopePolicies(scope.dotted(), f.commit(), f.version().orElse(null), data));
    }

    void policy(Context ctx) {
        ScopePath scope = RequestInput.scope(ctx);
        String name = RequestInput.name(ctx);
        Caller.of(ctx).requireVisible(scope);
        PolicyPath where = new PolicyPath(scope, name);
        ScopeFiles f = scopeFiles(ctx, scope);
        byte[] bytes = f.files().get(where.path());
        if (bytes == null) {
            throw ApiProblem.notFound("no policy '" + name + "' at scope '" + scope.url() + "' in commit "
                    + SnapshotService.shortId(f.commit()));
        }
        ctx.header("ETag", PolicyJson.etag(bytes));
        ctx.header("X-Gavel-Commit", f.commit());
        String accept = Optional.ofNullable(ctx.header("Accept")).orElse("");
        if (accept.contains("yaml") && !accept.contains("json")) {
            ctx.contentType("application/yaml").result(bytes);
            return;
        }
        boolean atHead = f.version().isEmpty() && ctx.queryParam("at") == null;
        RawPolicy out = PolicyJson.raw(
                where,
                bytes,
                f.commit(),
                atHead
                        ? repository.fileStamp(where.path())
                        : Optional.ofNullable(
                                repository.fileStampsAt(f.commit()).get(where.path())));
        PolicyAnnotations.Annotation a = annotations.begin().annotate(scope, name);
        out = out.withAnnotations(a.usage(), a.circuitBreaker());
        if (atHead) {
            var counts = workloads.counter(Caller.of(ctx));
            out = snapshots
                    .current()
                    .flatMap(snap -> snap.policies().definition(scope, name))
                    .map(counts::apply)
                    .map(out::withWorkloads)
                    .orElse(out);
        }
        Json.ok(ctx, out);
    }

    // ---- resolved

    void resolved(Context ctx) {
        ScopePath scope = RequestInput.scope(ctx);
        Caller.of(ctx).requireVisible(scope);
        Optional<Integer> version = RequestInput.intQuery(ctx, "version", 1, Integer.MAX_VALUE);
        String at = ctx.queryParam("at");
        PolicySnapshot snap;
        if (version.isPresent() || at != null) {
            String commit = version.isPresent()
                    ? repository
                            .scopeAtVersion(scope.dotted(), version.get())
                            .version()
                            .commit()
                            .id()
                    : repository.resolve(RequestInput.revision("at", at));
            snap = snapshotAt(commit);
        } else {
            snap = snapshots.require();
        }
        List<ResolvedSet.Resolved> data = new ArrayList<>();
        for (ResolvedPolicy r : snap.resolve(scope)) {
            List<ResolvedSet.Layer> layers = r.layers().stream()
                    .map(d -> new ResolvedSet.Layer(d.scope().dotted(), d.file()))
                    .toList();
            Map<String, String> provenance = new TreeMap<>();
            r.provenance().forEach((field, from) -> provenance.put(field, from.dotted()));
            data.add(new ResolvedSet.Resolved(
                    r.name(), r.definedAt().dotted(), PolicyWriter.tree(r.policy()), layers, provenance));
        }
        Json.ok(ctx, new ResolvedSet(scope.dotted(), snap.commit(), data));
    }

    /** The served snapshot when it is that commit, else a compile of it (422 when it does not compile). */
    PolicySnapshot snapshotAt(String commit) {
        Optional<PolicySnapshot> served = snapshots.current();
        if (served.isPresent() && served.get().commit().equals(commit)) {
            return served.get();
        }
        RepoFiles files = repository.filesAt(commit);
        CompileResult r = SnapshotCompiler.compile(commit, files.files(), files.unreadable(), served);
        if (r instanceof CompileResult.Compiled ok) {
            return ok.snapshot();
        }
        throw ApiProblem.invalidPolicies(
                "commit " + SnapshotService.shortId(commit) + " does not compile",
                r.diagnostics().stream().filter(d -> d.isError()).toList());
    }

    // ---- parameters

    static ScopePath parseScope(String field, String value) {
        try {
            return ScopePath.fromUrl(value.strip());
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("invalid " + field, FieldError.of(field, e.getMessage()));
        }
    }

    private static <T> Optional<T> enumParam(
            Context ctx, String name, java.util.function.Function<String, Optional<T>> parse, List<String> spellings) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(parse.apply(v.strip())
                .orElseThrow(() -> ApiProblem.badRequest(
                        "invalid " + name,
                        FieldError.of(
                                name, "'" + Names.printable(v) + "' is not one of " + String.join(", ", spellings)))));
    }
}
