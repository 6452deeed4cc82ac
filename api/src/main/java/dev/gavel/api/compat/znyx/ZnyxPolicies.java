package dev.gavel.api.compat.znyx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.api.compat.FaceCaller;
import dev.gavel.api.http.ApiProblem;
import dev.gavel.api.http.FieldError;
import dev.gavel.api.http.Json;
import dev.gavel.api.http.RequestInput;
import dev.gavel.api.server.CommitPipeline;
import dev.gavel.api.server.MergePatch;
import dev.gavel.api.snapshot.SnapshotService;
import dev.gavel.engine.model.Names;
import dev.gavel.engine.model.Policy;
import dev.gavel.engine.model.PolicyPath;
import dev.gavel.engine.model.ScopePath;
import dev.gavel.engine.parse.Diagnostic;
import dev.gavel.engine.parse.PolicyWriter;
import dev.gavel.engine.resolve.ResolvedPolicy;
import dev.gavel.engine.snapshot.CompileResult;
import dev.gavel.engine.snapshot.PolicySnapshot;
import dev.gavel.engine.snapshot.SnapshotCompiler;
import dev.gavel.store.git.ChangeSet;
import dev.gavel.store.git.CommitInfo;
import dev.gavel.store.git.FileChange;
import dev.gavel.store.git.GitPolicyRepository;
import dev.gavel.store.git.RepoFiles;
import dev.gavel.store.git.ScopeSnapshot;
import dev.gavel.store.git.ScopeVersion;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The znyx face's handlers: a scope's detectors read from, and written as, the core's scope versions. */
final class ZnyxPolicies {
    private final GitPolicyRepository repository;
    private final SnapshotService snapshots;
    private final CommitPipeline pipeline;

    ZnyxPolicies(GitPolicyRepository repository, SnapshotService snapshots, CommitPipeline pipeline) {
        this.repository = repository;
        this.snapshots = snapshots;
        this.pipeline = pipeline;
    }

    // ---- reads

    void get(Context ctx) {
        ScopePath scope = scope(ctx);
        Optional<Integer> version = positive(ctx.queryParam("version"), "query.version");
        boolean resolved = bool(ctx.queryParam("resolved"), "query.resolved");
        int active = active(scope);
        if (version.isPresent() && version.get() > active) {
            throw ApiProblem.notFound(
                    "version " + version.get() + " of this scope does not exist (the newest is " + active + ")");
        }
        if (!resolved) {
            if (active == 0) {
                throw ApiProblem.notFound("no policy for this scope in this org");
            }
            Json.ok(ctx, raw(scope, version.orElse(active), active, Optional.empty()));
            return;
        }
        int n = version.orElse(active);
        PolicySnapshot snap = version.isPresent()
                ? snapshotAt(repository
                        .scopeAtVersion(scope.dotted(), n)
                        .version()
                        .commit()
                        .id())
                : snapshots.require();
        ObjectNode out = header(scope, n, active, true);
        out.put("commit", snap.commit());
        if (n > 0) {
            stamp(out, repository.scopeAtVersion(scope.dotted(), n).version().commit());
        }
        ObjectNode detectors = out.putObject("detectors");
        ObjectNode sources = out.putObject("sources");
        for (ResolvedPolicy r : snap.resolve(scope)) {
            detectors.set(r.name(), ZnyxDetectors.toWire(r.policy()));
            ArrayNode layers = sources.putArray(r.name());
            r.layers().forEach(d -> layers.add(d.scope().dotted()));
        }
        Json.ok(ctx, out);
    }

    void history(Context ctx) {
        FaceCaller caller = FaceCaller.of(ctx);
        ScopePath scope = scope(ctx);
        List<ScopeVersion> versions = repository.versions(scope.dotted());
        if (versions.isEmpty()) {
            throw ApiProblem.notFound("no policy for this scope in this org");
        }
        int active = versions.get(0).number();
        ObjectNode out = Json.object();
        ids(out, scope);
        out.put("active_version", active);
        ArrayNode list = out.putArray("versions");
        String tenantDir = caller.tenantScope().directory() + "/";
        for (ScopeVersion v : versions) {
            CommitInfo c = v.commit();
            ObjectNode n = list.addObject();
            n.put("version_number", v.number());
            n.put("commit", c.id());
            n.put("created_at", c.time().toString());
            n.put("created_by", c.author().name());
            // a commit that also changed other orgs' files keeps its message from a caller limited to this org
            boolean hide = caller.caller().isLimited()
                    && !c.changes().stream().allMatch(f -> f.path().startsWith(tenantDir));
            n.put(
                    "message",
                    hide
                            ? "(hidden: this commit also changed other orgs' policies)"
                            : c.message().strip());
            n.put("is_active", v.number() == active);
            ArrayNode changed = n.putArray("detectors_changed");
            for (FileChange f : v.changes()) {
                if (PolicyPath.isPolicyPath(f.path())) {
                    changed.add(PolicyPath.parse(f.path()).name());
                }
            }
        }
        Json.ok(ctx, out);
    }

    // ---- writes

    void put(Context ctx) {
        FaceCaller caller = FaceCaller.of(ctx);
        ScopePath scope = scope(ctx);
        JsonNode body = object(ctx);
        List<FieldError> errors = new ArrayList<>();
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("detectors")) {
                errors.add(FieldError.of("body." + Names.printable(f), "extra fields not permitted"));
            }
        }
        JsonNode detectors = body.get("detectors");
        if (detectors == null) {
            errors.add(FieldError.of("body.detectors", "field required"));
        } else if (!detectors.isObject()) {
            errors.add(FieldError.of("body.detectors", "an object of detectors by name"));
        }
        Map<String, byte[]> wanted = new TreeMap<>();
        if (detectors != null && detectors.isObject()) {
            detectors.fields().forEachRemaining(e -> {
                String at = "body.detectors." + Names.printable(e.getKey());
                if (!Names.isValid(e.getKey())) {
                    errors.add(FieldError.of(at, "a detector name is lower-case letters, digits and '-', 1 to 49"));
                    return;
                }
                PolicyPath where = new PolicyPath(scope, e.getKey());
                try {
                    wanted.put(where.path(), bytes(ZnyxDetectors.fromWire(e.getValue(), where, at), where));
                } catch (ApiProblem p) {
                    errors.addAll(p.errors());
                }
            });
        }
        if (!errors.isEmpty()) {
            throw ZnyxFace.validation(errors);
        }
        String dir = scope.directory() + "/";
        pipeline.write(
                ctx, caller.caller(), "Replace the policy of " + scope.dotted() + " via the znyx API", false, files -> {
                    ChangeSet.Builder b = ChangeSet.builder();
                    files.keySet().stream()
                            .filter(p -> direct(p, dir) && !wanted.containsKey(p))
                            .forEach(b::delete);
                    wanted.forEach((p, bytes) -> {
                        if (!Arrays.equals(files.get(p), bytes)) {
                            b.put(p, bytes);
                        }
                    });
                    return b.build();
                });
        int active = active(scope);
        Json.ok(ctx, raw(scope, active, active, Optional.empty()));
    }

    void patchDetector(Context ctx) {
        FaceCaller caller = FaceCaller.of(ctx);
        ScopePath scope = scope(ctx);
        String name = ctx.pathParam("name");
        if (!Names.isValid(name)) {
            throw ZnyxFace.validation(List.of(
                    FieldError.of("path.name", "a detector name is lower-case letters, digits and '-', 1 to 49")));
        }
        JsonNode patch = object(ctx);
        PolicyPath where = new PolicyPath(scope, name);
        pipeline.write(
                ctx,
                caller.caller(),
                "Change detector " + name + " of " + scope.dotted() + " via the znyx API",
                false,
                files -> {
                    byte[] current = files.get(where.path());
                    JsonNode before = current == null
                            ? Json.object()
                            : ZnyxDetectors.toWire(ZnyxDetectors.stored(current, where));
                    JsonNode after = MergePatch.apply(before, patch);
                    byte[] bytes = bytes(ZnyxDetectors.fromWire(after, where, "body"), where);
                    return Arrays.equals(current, bytes)
                            ? ChangeSet.builder().build()
                            : ChangeSet.put(where.path(), bytes);
                });
        int active = active(scope);
        Json.ok(ctx, raw(scope, active, active, Optional.empty()));
    }

    void rollback(Context ctx) {
        FaceCaller caller = FaceCaller.of(ctx);
        ScopePath scope = scope(ctx);
        int version = positive(ctx.pathParam("version"), "path.version").orElseThrow();
        int before = active(scope);
        if (version > before) {
            throw ApiProblem.notFound(
                    "version " + version + " of this scope does not exist (the newest is " + before + ")");
        }
        ScopeSnapshot target = repository.scopeAtVersion(scope.dotted(), version);
        pipeline.write(
                ctx,
                caller.caller(),
                "Roll back " + scope.dotted() + " to version " + version
                        + " via the znyx API\n\nRestores its detectors as of commit "
                        + target.version().commit().id() + ".",
                false,
                files -> target.restore(files, scope.directory()));
        int active = active(scope);
        Json.ok(ctx, raw(scope, active, active, Optional.of(version)));
    }

    // ---- pieces

    /** The scope of the path; the org (tenant_id) was checked against the token by the face's plumbing. */
    private static ScopePath scope(Context ctx) {
        List<FieldError> errors = new ArrayList<>();
        for (String p : List.of("app_id", "agent_id", "env")) {
            if (!Names.isValid(ctx.pathParam(p))) {
                errors.add(FieldError.of(
                        "path." + p,
                        "lower-case letters, digits and '-', 1 to 49,"
                                + " starting and ending with a letter or digit"));
            }
        }
        if (!errors.isEmpty()) {
            throw ZnyxFace.validation(errors);
        }
        return ScopePath.of(
                FaceCaller.of(ctx).tenant(), ctx.pathParam("app_id"), ctx.pathParam("agent_id"), ctx.pathParam("env"));
    }

    private int active(ScopePath scope) {
        List<ScopeVersion> versions = repository.versions(scope.dotted());
        return versions.isEmpty() ? 0 : versions.get(0).number();
    }

    private ObjectNode raw(ScopePath scope, int number, int active, Optional<Integer> rolledBackTo) {
        ObjectNode out = header(scope, number, active, false);
        rolledBackTo.ifPresent(v -> out.put("rolled_back_to", v));
        ObjectNode detectors;
        if (number == 0) {
            out.put("commit", repository.head().orElse(""));
            detectors = out.putObject("detectors");
            return out;
        }
        ScopeSnapshot s = repository.scopeAtVersion(scope.dotted(), number);
        out.put("commit", s.version().commit().id());
        stamp(out, s.version().commit());
        detectors = out.putObject("detectors");
        for (Map.Entry<String, byte[]> f : new TreeMap<>(s.files()).entrySet()) {
            if (PolicyPath.isPolicyPath(f.getKey())) {
                PolicyPath where = PolicyPath.parse(f.getKey());
                detectors.set(where.name(), ZnyxDetectors.toWire(ZnyxDetectors.stored(f.getValue(), where)));
            }
        }
        return out;
    }

    private static ObjectNode header(ScopePath scope, int number, int active, boolean resolved) {
        ObjectNode out = Json.object();
        ids(out, scope);
        out.put("version_number", number);
        out.put("active_version", active);
        out.put("is_active", number == active);
        out.put("resolved", resolved);
        return out;
    }

    private static void ids(ObjectNode out, ScopePath scope) {
        List<String> s = scope.segments();
        out.put("tenant_id", s.get(0));
        out.put("app_id", s.get(1));
        out.put("agent_id", s.get(2));
        out.put("env", s.get(3));
    }

    private static void stamp(ObjectNode out, CommitInfo c) {
        out.put("created_at", c.time().toString());
        out.put("created_by", c.author().name());
    }

    private static boolean direct(String path, String dir) {
        return path.startsWith(dir) && path.indexOf('/', dir.length()) < 0 && PolicyPath.isPolicyPath(path);
    }

    /** The served snapshot when it is that commit, else a compile of it (422 when it does not compile). */
    private PolicySnapshot snapshotAt(String commit) {
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
                "that version does not compile",
                r.diagnostics().stream().filter(Diagnostic::isError).toList());
    }

    private static Optional<Integer> positive(String raw, String field) {
        if (raw == null || raw.isBlank() || raw.strip().equals("null")) {
            return Optional.empty();
        }
        try {
            int n = Integer.parseInt(raw.strip());
            if (n >= 1) {
                return Optional.of(n);
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ZnyxFace.validation(List.of(FieldError.of(field, "a version number: an integer from 1")));
    }

    private static boolean bool(String raw, String field) {
        if (raw == null || raw.isBlank()) {
            return false;
        }
        return switch (raw.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw ZnyxFace.validation(List.of(FieldError.of(field, "a boolean (true or false)")));
        };
    }

    private static JsonNode object(Context ctx) {
        JsonNode body = RequestInput.jsonBody(ctx);
        if (!body.isObject()) {
            throw ZnyxFace.validation(List.of(FieldError.of("body", "the body is a JSON object")));
        }
        return body;
    }

    private static byte[] bytes(Policy p, PolicyPath where) {
        return PolicyWriter.toYaml(p, where.path()).getBytes(StandardCharsets.UTF_8);
    }
}
