package dev.gavel.api.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.gavel.api.http.ApiProblem;
import dev.gavel.api.http.Caller;
import dev.gavel.api.http.FieldError;
import dev.gavel.api.http.Json;
import dev.gavel.api.http.RequestInput;
import dev.gavel.api.snapshot.SnapshotService;
import dev.gavel.api.wire.RawPolicy;
import dev.gavel.api.wire.WriteResult;
import dev.gavel.engine.model.Policy;
import dev.gavel.engine.model.PolicyPath;
import dev.gavel.engine.model.ScopePath;
import dev.gavel.engine.model.Status;
import dev.gavel.engine.parse.ParseResult;
import dev.gavel.engine.parse.PolicyParser;
import dev.gavel.engine.parse.PolicyWriter;
import dev.gavel.store.git.ChangeKind;
import dev.gavel.store.git.ChangeSet;
import dev.gavel.store.git.CommitDetails;
import dev.gavel.store.git.CommitResult;
import dev.gavel.store.git.FileDiff;
import dev.gavel.store.git.GitPolicyRepository;
import dev.gavel.store.git.ScopeSnapshot;
import io.javalin.http.Context;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/** Writes: create, upsert, merge patch, delete, lifecycle steps, rollback, revert, pause/resume all. */
final class PolicyWrites {
    private static final YAMLMapper YAML = dev.gavel.api.wire.Mappers.YAML;

    private final GitPolicyRepository repository;
    private final CommitPipeline pipeline;

    PolicyWrites(GitPolicyRepository repository, CommitPipeline pipeline) {
        this.repository = repository;
        this.pipeline = pipeline;
    }

    /** The lifecycle steps, each one commit on one policy file. */
    enum Lifecycle {
        ACTIVATE("activate", "Set status active"),
        DEACTIVATE("deactivate", "Set status paused"),
        PROMOTE("promote", "One step stronger: off, audit, warn, block (409 past block)"),
        DEMOTE("demote", "One step weaker (409 below off)"),
        REVIEW("review", "Record a review today (metadata.lastReviewed)");

        private final String path;
        private final String summary;

        Lifecycle(String path, String summary) {
            this.path = path;
            this.summary = summary;
        }

        String path() {
            return path;
        }

        String summary() {
            return summary;
        }
    }

    // ---- create, put, patch, delete

    void create(Context ctx) {
        Caller caller = Caller.of(ctx);
        ScopePath scope = RequestInput.scope(ctx);
        caller.requireWritable(scope);
        byte[] body = nonEmptyBody(ctx);
        Policy parsed = parseDocument(body, null);
        PolicyPath where = new PolicyPath(scope, parsed.name());
        byte[] content = fileBytes(ctx, body, where);
        CommitResult r = pipeline.write(ctx, caller, "Create policy " + label(where) + " via API", false, files -> {
            if (files.containsKey(where.path())) {
                throw ApiProblem.conflict(
                        "policy '" + where.name() + "' already exists at scope '" + scope.url()
                                + "'; use PUT to replace it",
                        List.of(FieldError.of("metadata.name", "already exists")));
            }
            return ChangeSet.put(where.path(), content);
        });
        ctx.header("Location", Routes.V1 + "/scopes/" + scope.url() + "/policies/" + where.name());
        answer(ctx, 201, r, where);
    }

    /** The policy a write addresses, from the path parameters, once the caller may write its scope. */
    private static PolicyPath writableTarget(Context ctx, Caller caller) {
        ScopePath scope = RequestInput.scope(ctx);
        String name = RequestInput.name(ctx);
        caller.requireWritable(scope);
        return new PolicyPath(scope, name);
    }

    void put(Context ctx) {
        Caller caller = Caller.of(ctx);
        PolicyPath where = writableTarget(ctx, caller);
        byte[] body = nonEmptyBody(ctx);
        parseDocument(body, where.path());
        byte[] content = fileBytes(ctx, body, where);
        Optional<String> ifMatch = RequestInput.ifMatch(ctx);
        boolean[] existed = {false};
        CommitResult r = pipeline.write(
                ctx, caller, "Update policy " + label(where) + " via API", ifMatch.isPresent(), files -> {
                    existed[0] = files.containsKey(where.path());
                    checkIfMatch(ctx, files, where);
                    return ChangeSet.put(where.path(), content);
                });
        answer(ctx, existed[0] ? 200 : 201, r, where);
    }

    void patch(Context ctx) {
        Caller caller = Caller.of(ctx);
        PolicyPath where = writableTarget(ctx, caller);
        JsonNode patch = RequestInput.jsonBody(ctx);
        if (!patch.isObject()) {
            throw ApiProblem.badRequest(
                    "a merge patch of a policy is a JSON object", FieldError.of("body", "not an object"));
        }
        Optional<String> ifMatch = RequestInput.ifMatch(ctx);
        CommitResult r = pipeline.write(
                ctx, caller, "Update policy " + label(where) + " via API", ifMatch.isPresent(), files -> {
                    byte[] current = existing(files, where);
                    checkIfMatch(ctx, files, where);
                    Policy before = parseStored(current, where);
                    JsonNode after = MergePatch.applyToPolicy(PolicyWriter.tree(before), (ObjectNode) patch);
                    if (!where.name().equals(after.path("metadata").path("name").asText(null))) {
                        throw ApiProblem.badRequest(
                                "a patch cannot rename a policy",
                                FieldError.of(
                                        "metadata.name",
                                        "must stay '" + where.name() + "'; create the new name and delete this one"));
                    }
                    Policy patched = parseDocument(yaml(after), where.path());
                    return ChangeSet.put(where.path(), canonical(patched, where));
                });
        answer(ctx, 200, r, where);
    }

    void delete(Context ctx) {
        Caller caller = Caller.of(ctx);
        PolicyPath where = writableTarget(ctx, caller);
        Optional<String> ifMatch = RequestInput.ifMatch(ctx);
        pipeline.write(ctx, caller, "Delete policy " + label(where) + " via API", ifMatch.isPresent(), files -> {
            existing(files, where);
            checkIfMatch(ctx, files, where);
            return ChangeSet.delete(where.path());
        });
        ctx.status(204);
    }

    // ---- lifecycle

    void lifecycle(Context ctx, Lifecycle action) {
        Caller caller = Caller.of(ctx);
        PolicyPath where = writableTarget(ctx, caller);
        Optional<String> ifMatch = RequestInput.ifMatch(ctx);
        String verb =
                action.path().substring(0, 1).toUpperCase() + action.path().substring(1);
        CommitResult r = pipeline.write(
                ctx, caller, verb + " policy " + label(where) + " via API", ifMatch.isPresent(), files -> {
                    byte[] current = existing(files, where);
                    checkIfMatch(ctx, files, where);
                    Policy p = parseStored(current, where);
                    Policy next = switch (action) {
                        case ACTIVATE -> p.withSpec(p.spec().withStatus(Status.ACTIVE));
                        case DEACTIVATE -> p.withSpec(p.spec().withStatus(Status.PAUSED));
                        case PROMOTE ->
                            p.withSpec(p.spec()
                                    .withEnforcement(p.spec()
                                            .enforcement()
                                            .next()
                                            .orElseThrow(() -> ApiProblem.conflict(
                                                    "'" + where.name()
                                                            + "' is already at block, the strongest enforcement",
                                                    List.of(FieldError.of(
                                                            "spec.enforcement", "block cannot be promoted"))))));
                        case DEMOTE ->
                            p.withSpec(p.spec()
                                    .withEnforcement(p.spec()
                                            .enforcement()
                                            .previous()
                                            .orElseThrow(() -> ApiProblem.conflict(
                                                    "'" + where.name() + "' is already at off, the weakest enforcement",
                                                    List.of(FieldError.of(
                                                            "spec.enforcement", "off cannot be demoted"))))));
                        case REVIEW -> p.withMetadata(p.metadata().withLastReviewed(LocalDate.now(ZoneOffset.UTC)));
                    };
                    return next.equals(p)
                            ? ChangeSet.builder().build()
                            : ChangeSet.put(where.path(), canonical(next, where));
                });
        answer(ctx, 200, r, where);
    }

    // ---- rollback, revert, pause-all, resume-all

    void rollback(Context ctx) {
        Caller caller = Caller.of(ctx);
        ScopePath scope = RequestInput.scope(ctx);
        int version = RequestInput.intPath(ctx, "version", 1);
        caller.requireWritable(scope);
        ScopeSnapshot target = repository.scopeAtVersion(scope.dotted(), version);
        CommitResult r = pipeline.write(
                ctx,
                caller,
                "Roll back scope " + scope.url() + " to version " + version + "\n\nRestores its files as of commit "
                        + target.version().commit().id() + ".",
                false,
                files -> target.restore(files, scope.directory()));
        answer(ctx, 200, r, null);
    }

    void revert(Context ctx) {
        Caller caller = Caller.of(ctx);
        String sha = RequestInput.revision("sha", ctx.pathParam("sha"));
        CommitDetails d = repository.commitDetails(sha);
        if (caller.isLimited()) {
            if (d.files().stream().noneMatch(f -> caller.canSeeFile(f.path()))) {
                throw ApiProblem.notFound("commit '" + sha + "' does not exist");
            }
            if (!d.files().stream()
                    .allMatch(f -> caller.canSeeFile(f.path()) && !f.path().matches("policies/[^/]+\\.yaml"))) {
                throw ApiProblem.forbidden("the commit changes files outside the token's tenants");
            }
        }
        String message = "Revert \"" + d.commit().subject() + "\"\n\nThis reverts commit "
                + d.commit().id() + ".";
        CommitResult r = pipeline.write(ctx, caller, message, false, files -> {
            ChangeSet.Builder b = ChangeSet.builder();
            List<FieldError> conflicts = new ArrayList<>();
            for (FileDiff f : d.files()) {
                if (f.kind() == ChangeKind.ADDED && f.newContent().isEmpty()) {
                    b.delete(f.path()); // added a file too large to read (or a link): reverting it removes it
                    continue;
                }
                byte[] now = files.get(f.path());
                boolean unchanged = f.kind() == ChangeKind.DELETED
                        ? now == null
                        : now != null
                                && f.newContent()
                                        .map(c -> Arrays.equals(c, now))
                                        .orElse(false);
                if (!unchanged) {
                    conflicts.add(FieldError.of(
                            "path",
                            f.path() + " changed again since "
                                    + SnapshotService.shortId(d.commit().id())));
                } else if (f.kind() == ChangeKind.ADDED) {
                    b.delete(f.path());
                } else {
                    b.put(f.path(), f.oldContent().orElseThrow());
                }
            }
            if (!conflicts.isEmpty()) {
                throw ApiProblem.conflict(
                        "cannot revert " + SnapshotService.shortId(d.commit().id())
                                + ": files it changed were changed again",
                        conflicts);
            }
            return b.build();
        });
        answer(ctx, 200, r, null);
    }

    void setAll(Context ctx, boolean pause) {
        Caller caller = Caller.of(ctx);
        caller.requireUnlimited(pause ? "pause-all" : "resume-all");
        Status target = pause ? Status.PAUSED : Status.ACTIVE;
        CommitResult r = pipeline.write(
                ctx,
                caller,
                pause ? "Pause every policy via API" : "Resume every paused policy via API",
                false,
                files -> {
                    ChangeSet.Builder b = ChangeSet.builder();
                    for (Map.Entry<String, byte[]> f : files.entrySet()) {
                        if (!PolicyPath.isPolicyPath(f.getKey())) {
                            continue;
                        }
                        PolicyPath where = PolicyPath.parse(f.getKey());
                        Policy p = parseStored(f.getValue(), where);
                        if (p.spec().status() != target) {
                            b.put(f.getKey(), canonical(p.withSpec(p.spec().withStatus(target)), where));
                        }
                    }
                    return b.build();
                });
        answer(ctx, 200, r, null);
    }

    // ---- pieces

    private void answer(Context ctx, int status, CommitResult r, PolicyPath where) {
        if (r.commitId() != null) {
            // the fence tokens, also when nothing changed (the head it stands on)
            ctx.header(ReadFence.COMMIT_HEADER, r.commitId());
            repository
                    .branchVersion(r.commitId())
                    .ifPresent(v -> ctx.header(ReadFence.VERSION_HEADER, Integer.toString(v)));
        }
        RawPolicy policy = null;
        if (where != null && r.commitId() != null) {
            Optional<byte[]> bytes = repository.fileAt(r.commitId(), where.path());
            if (bytes.isPresent()) {
                ctx.header("ETag", PolicyJson.etag(bytes.get()));
                // The stamps of the file as of the head just written (the same as a read right after).
                Optional<dev.gavel.store.git.FileStamp> stamp =
                        repository.head().filter(r.commitId()::equals).isPresent()
                                ? repository.fileStamp(where.path())
                                : Optional.ofNullable(
                                        repository.fileStampsAt(r.commitId()).get(where.path()));
                policy = PolicyJson.raw(where, bytes.get(), r.commitId(), stamp);
            }
        }
        Json.send(ctx, status, new WriteResult(r.commitId(), r.previousHead(), r.created(), policy));
    }

    private static String label(PolicyPath where) {
        return (where.scope().isGlobal() ? "" : where.scope().dotted() + "/") + where.name();
    }

    private static byte[] nonEmptyBody(Context ctx) {
        byte[] body = RequestInput.body(ctx);
        if (body.length == 0) {
            throw ApiProblem.badRequest(
                    "the request needs a policy document (YAML or JSON)", FieldError.of("body", "empty"));
        }
        return body;
    }

    /** Parses a document sent by the caller: invalid is 422 with positions (path null: no file-name check). */
    private static Policy parseDocument(byte[] bytes, String path) {
        ParseResult<Policy> r = PolicyParser.parse(bytes, path);
        if (r instanceof ParseResult.Parsed<Policy> ok) {
            return ok.value();
        }
        throw ApiProblem.invalidPolicies(
                "the policy document is invalid; nothing was committed",
                r.diagnostics().stream().filter(d -> d.isError()).toList());
    }

    /** A file already in the repository; one that does not parse cannot be edited field by field. */
    private static Policy parseStored(byte[] bytes, PolicyPath where) {
        ParseResult<Policy> r = PolicyParser.parse(bytes, where.path());
        if (r instanceof ParseResult.Parsed<Policy> ok) {
            return ok.value();
        }
        throw ApiProblem.invalidPolicies(
                where.path() + " does not parse; replace it with PUT",
                r.diagnostics().stream().filter(d -> d.isError()).toList());
    }

    /** YAML bodies are committed as sent (comments kept); JSON bodies as canonical YAML. */
    private static byte[] fileBytes(Context ctx, byte[] body, PolicyPath where) {
        String type = Optional.ofNullable(ctx.contentType()).orElse("");
        boolean json = type.contains("json") || firstNonBlank(body) == '{';
        if (!json) {
            return body;
        }
        return canonical(parseDocument(body, where.path()), where);
    }

    private static int firstNonBlank(byte[] b) {
        for (byte c : b) {
            if (!Character.isWhitespace(c)) {
                return c;
            }
        }
        return -1;
    }

    private static byte[] canonical(Policy p, PolicyPath where) {
        return PolicyWriter.toYaml(p, where.path()).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] yaml(JsonNode tree) {
        try {
            return YAML.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] existing(SortedMap<String, byte[]> files, PolicyPath where) {
        byte[] b = files.get(where.path());
        if (b == null) {
            throw ApiProblem.notFound("no policy '" + where.name() + "' at scope '"
                    + where.scope().url() + "'");
        }
        return b;
    }

    private static void checkIfMatch(Context ctx, SortedMap<String, byte[]> files, PolicyPath where) {
        Optional<String> ifMatch = RequestInput.ifMatch(ctx);
        if (ifMatch.isEmpty()) {
            return;
        }
        byte[] current = files.get(where.path());
        if (current == null || !PolicyJson.blobId(current).equals(ifMatch.get())) {
            throw ApiProblem.preconditionFailed(
                    "If-Match " + ctx.header("If-Match") + " is not the policy's current ETag"
                            + (current == null ? " (it does not exist)" : " " + PolicyJson.etag(current)));
        }
    }
}
