package dev.gavel.api.compat.workspace;

import static dev.gavel.api.compat.workspace.WorkspaceInput.applyInput;
import static dev.gavel.api.compat.workspace.WorkspaceInput.bytes;
import static dev.gavel.api.compat.workspace.WorkspaceInput.compile;
import static dev.gavel.api.compat.workspace.WorkspaceInput.conditionList;
import static dev.gavel.api.compat.workspace.WorkspaceInput.invalid;
import static dev.gavel.api.compat.workspace.WorkspaceInput.object;
import static dev.gavel.api.compat.workspace.WorkspaceInput.parse;
import static dev.gavel.api.compat.workspace.WorkspaceInput.requireOnly;
import static dev.gavel.api.compat.workspace.WorkspaceInput.stored;
import static dev.gavel.api.compat.workspace.WorkspaceInput.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.api.compat.FaceCaller;
import dev.gavel.api.http.ApiProblem;
import dev.gavel.api.http.FieldError;
import dev.gavel.api.http.Json;
import dev.gavel.api.http.RequestInput;
import dev.gavel.api.server.CommitPipeline;
import dev.gavel.api.server.eval.EvaluationFeature;
import dev.gavel.api.snapshot.SnapshotService;
import dev.gavel.engine.expr.ConditionProviders;
import dev.gavel.engine.model.Names;
import dev.gavel.engine.model.Policy;
import dev.gavel.engine.model.PolicyId;
import dev.gavel.engine.model.PolicyPath;
import dev.gavel.engine.model.ScopePath;
import dev.gavel.engine.model.Status;
import dev.gavel.engine.parse.PolicyWriter;
import dev.gavel.engine.resolve.PolicyDefinition;
import dev.gavel.store.git.ChangeSet;
import dev.gavel.store.git.CommitResult;
import dev.gavel.store.git.FileStamp;
import dev.gavel.store.git.GitPolicyRepository;
import dev.gavel.store.log.LogUnavailableException;
import dev.gavel.store.log.PolicyEvaluationPage;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The workspace face's handlers: translation onto the commit pipeline, the snapshot and the log. */
final class WorkspacePolicies {
    private static final int MAX_PAGE_SIZE = 100;
    private static final Set<String> INPUT_FIELDS = Set.of(
            "name",
            "displayName",
            "description",
            "scope",
            "message",
            "enforcement",
            "status",
            "conditions",
            "promotion");

    private final GitPolicyRepository repository;
    private final SnapshotService snapshots;
    private final CommitPipeline pipeline;
    private final EvaluationFeature evaluations;
    private final WorkspaceRecords records;

    WorkspacePolicies(
            GitPolicyRepository repository,
            SnapshotService snapshots,
            CommitPipeline pipeline,
            EvaluationFeature evaluations) {
        this.repository = repository;
        this.snapshots = snapshots;
        this.pipeline = pipeline;
        this.evaluations = evaluations;
        this.records = new WorkspaceRecords(repository, snapshots, evaluations);
    }

    // ---- templates, attention, validation

    void templates(Context ctx) {
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("templates");
        for (ConditionProviders.Check c : ConditionProviders.catalog()) {
            ObjectNode t = list.addObject();
            String id = c.provider() + "." + c.name();
            t.put("id", id);
            t.put("name", (c.provider() + "-" + c.name()).replace('_', '-'));
            t.put("description", c.description());
            t.put("provider", c.provider());
            t.put("check", c.name());
            t.set("paramsSchema", c.paramsSchema());
            c.facts().forEach(t.putArray("facts")::add);
            ObjectNode policy = t.putObject("policy");
            policy.put("name", (c.provider() + "-" + c.name()).replace('_', '-'));
            policy.put("description", c.description());
            policy.put("enforcement", "warn");
            ObjectNode cond = policy.putObject("conditions");
            cond.put("provider", c.provider());
            cond.put("check", c.name());
            ObjectNode params = cond.putObject("params");
            for (ConditionProviders.Param p : c.params()) {
                switch (p.type()) {
                    case "integer" -> params.put(p.name(), Math.max(p.min(), 1));
                    case "array" -> params.putArray(p.name()).add("ci");
                    default -> params.put(p.name(), "main");
                }
            }
        }
        Json.ok(ctx, out);
    }

    void attentionCount(Context ctx) {
        FaceCaller caller = FaceCaller.of(ctx);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        int overdue = 0;
        int open = 0;
        int ready = 0;
        for (PolicyDefinition d : tenantPolicies(caller)) {
            if (d.policy().metadata().isDeleted()) {
                continue; // soft-deleted: needs nobody
            }
            if (d.policy().metadata().isReviewOverdue(today)) {
                overdue++;
            }
            if (evaluations.breakers().openState(WorkspaceRecords.key(d)).isPresent()) {
                open++;
            }
            if (records.readiness(d).ready()) {
                ready++;
            }
        }
        ObjectNode out = Json.object();
        out.put("count", overdue + open + ready);
        out.putObject("reasons")
                .put("reviewOverdue", overdue)
                .put("circuitBreakerOpen", open)
                .put("readyToPromote", ready);
        Json.ok(ctx, out);
    }

    void validateConditions(Context ctx) {
        JsonNode body = object(ctx);
        requireOnly(body, Set.of("conditions"));
        JsonNode conditions = body.get("conditions");
        if (conditions == null) {
            throw ApiProblem.badRequest("conditions are required", FieldError.of("conditions", "required"));
        }
        List<FieldError> errors = new ArrayList<>();
        ObjectNode out = Json.object();
        ArrayNode compiled = Json.MAPPER.createArrayNode();
        List<JsonNode> list = conditionList(conditions, errors);
        for (int i = 0; i < list.size(); i++) {
            String at = conditions.isArray() ? "conditions[" + i + "]" : "conditions";
            JsonNode c = list.get(i);
            Optional<ConditionProviders.Compiled.Ok> ok = compile(c, at, errors);
            ok.ifPresent(k -> {
                ObjectNode n = compiled.addObject();
                n.put("provider", c.get("provider").asText());
                n.put("check", c.get("check").asText());
                n.set("params", c.has("params") ? c.get("params") : Json.object());
                n.put("condition", k.when());
                ConditionProviders.find(
                                c.get("provider").asText(), c.get("check").asText())
                        .ifPresent(x -> x.facts().forEach(n.putArray("facts")::add));
            });
        }
        out.put("valid", errors.isEmpty());
        out.set("conditions", compiled);
        ArrayNode errs = out.putArray("errors");
        errors.forEach(e -> errs.addObject().put("field", e.field()).put("message", e.message()));
        Json.ok(ctx, out);
    }

    // ---- CRUD

    void create(Context ctx) {
        FaceCaller caller = FaceCaller.of(ctx);
        JsonNode body = object(ctx);
        requireOnly(body, INPUT_FIELDS);
        List<FieldError> errors = new ArrayList<>();
        String name = text(body, "name", errors, true);
        if (name != null && !Names.isValid(name)) {
            errors.add(FieldError.of(
                    "name", "lower-case letters, digits and '-', 1 to 49, starting and ending with a letter or digit"));
        }
        ScopePath scope = caller.tenantScope();
        String scopeText = text(body, "scope", errors, false);
        if (scopeText != null) {
            try {
                scope = ScopePath.parse(scopeText);
            } catch (IllegalArgumentException e) {
                errors.add(FieldError.of("scope", "not a scope: " + e.getMessage()));
            }
            if (!caller.owns(scope)) {
                errors.add(
                        FieldError.of("scope", "must be the workspace '" + caller.tenant() + "' or a scope below it"));
            }
        }
        ObjectNode tree = Json.object();
        tree.put("apiVersion", Policy.API_VERSION);
        tree.put("kind", Policy.KIND);
        ObjectNode md = tree.putObject("metadata");
        md.put("name", name == null ? "x" : name);
        ObjectNode spec = tree.putObject("spec");
        spec.put("type", "custom");
        spec.put("enforcement", "warn");
        applyInput(body, tree, errors);
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        PolicyPath where = new PolicyPath(scope, name);
        Policy policy = parse(tree, where);
        byte[] content = PolicyWriter.toYaml(policy, where.path()).getBytes(StandardCharsets.UTF_8);
        pipeline.write(
                ctx, caller.caller(), "Create policy " + label(where) + " via the workspace API", false, files -> {
                    if (files.containsKey(where.path())) {
                        throw ApiProblem.conflict(
                                "a policy named '" + name + "' already exists in "
                                        + where.scope().dotted(),
                                List.of(FieldError.of("name", "already exists")));
                    }
                    return ChangeSet.put(where.path(), content);
                });
        Json.send(ctx, 201, records.policy(definition(caller, PolicyId.of(where))));
    }

    void list(Context ctx) {
        FaceCaller caller = FaceCaller.of(ctx);
        String status = ctx.queryParam("status");
        String enforcement = ctx.queryParam("enforcement");
        ArrayNode items = Json.MAPPER.createArrayNode();
        Map<String, FileStamp> stamps = repository.fileStamps();
        String commit = snapshots.require().commit();
        for (PolicyDefinition d : tenantPolicies(caller)) {
            ObjectNode p = records.policy(d, stamps.get(d.file()), commit);
            if ((status == null || status.equals(p.get("status").asText()))
                    && (enforcement == null
                            || enforcement.equals(p.get("enforcement").asText()))) {
                items.add(p);
            }
        }
        ObjectNode out = Json.object();
        out.set("policies", items);
        out.put("total", items.size());
        Json.ok(ctx, out);
    }

    void get(Context ctx) {
        FaceCaller caller = FaceCaller.of(ctx);
        Json.ok(ctx, records.policy(definition(caller, id(ctx))));
    }

    void update(Context ctx) {
        FaceCaller caller = FaceCaller.of(ctx);
        PolicyDefinition d = definition(caller, id(ctx));
        JsonNode body = object(ctx);
        requireOnly(body, INPUT_FIELDS);
        List<FieldError> errors = new ArrayList<>();
        if (body.has("name") && !d.name().equals(body.get("name").asText())) {
            errors.add(FieldError.of("name", "a policy keeps its name (its id is derived from it)"));
        }
        if (body.has("scope") && !d.scope().dotted().equals(body.get("scope").asText())) {
            errors.add(FieldError.of("scope", "a policy keeps its scope (its id is derived from it)"));
        }
        PolicyPath where = d.path();
        change(ctx, caller, where, "Update", current -> {
            ObjectNode tree = PolicyWriter.tree(current);
            applyInput(body, tree, errors);
            if (!errors.isEmpty()) {
                throw invalid(errors);
            }
            return parse(tree, where);
        });
        Json.ok(ctx, records.policy(definition(caller, d.id())));
    }

    void delete(Context ctx) {
        FaceCaller caller = FaceCaller.of(ctx);
        PolicyDefinition d = definition(caller, id(ctx));
        pipeline.write(
                ctx, caller.caller(), "Delete policy " + label(d.path()) + " via the workspace API", false, files -> {
                    if (!files.containsKey(d.file())) {
                        throw ApiProblem.notFound("policy '" + ctx.pathParam("id") + "' does not exist");
                    }
                    return ChangeSet.delete(d.file());
                });
        ctx.status(204);
    }

    // ---- lifecycle

    void lifecycle(Context ctx, String action) {
        FaceCaller caller = FaceCaller.of(ctx);
        PolicyDefinition d = definition(caller, id(ctx));
        String verb = Character.toUpperCase(action.charAt(0)) + action.substring(1);
        change(ctx, caller, d.path(), verb, p -> switch (action) {
            case "activate" -> p.withSpec(p.spec().withStatus(Status.ACTIVE));
            case "deactivate" -> p.withSpec(p.spec().withStatus(Status.PAUSED));
            default ->
                p.withSpec(p.spec()
                        .withEnforcement(p.spec()
                                .enforcement()
                                .next()
                                .orElseThrow(() -> ApiProblem.conflict(
                                        "the policy is already at block, the strongest enforcement",
                                        List.of(FieldError.of("enforcement", "block cannot be promoted"))))));
        });
        Json.ok(ctx, records.policy(definition(caller, d.id())));
    }

    void resetBreaker(Context ctx) {
        FaceCaller caller = FaceCaller.of(ctx);
        PolicyDefinition d = definition(caller, id(ctx));
        try {
            evaluations.breakers().reset(WorkspaceRecords.key(d));
        } catch (LogUnavailableException e) {
            throw ApiProblem.unavailable("the breaker state could not be saved: " + e.getMessage());
        }
        Json.ok(ctx, records.policy(d));
    }

    void setAll(Context ctx, boolean pause) {
        FaceCaller caller = FaceCaller.of(ctx);
        Status target = pause ? Status.PAUSED : Status.ACTIVE;
        String dir = caller.tenantScope().directory() + "/";
        int[] changed = {0};
        CommitResult r = pipeline.write(
                ctx,
                caller.caller(),
                (pause ? "Pause every policy of " : "Resume every policy of ") + caller.tenant()
                        + " via the workspace API",
                false,
                files -> {
                    ChangeSet.Builder b = ChangeSet.builder();
                    for (var f : files.entrySet()) {
                        if (!f.getKey().startsWith(dir) || !PolicyPath.isPolicyPath(f.getKey())) {
                            continue;
                        }
                        PolicyPath where = PolicyPath.parse(f.getKey());
                        Policy p = stored(f.getValue(), where);
                        if (p.spec().status() != target) {
                            b.put(f.getKey(), bytes(p.withSpec(p.spec().withStatus(target)), where));
                            changed[0]++;
                        }
                    }
                    return b.build();
                });
        ObjectNode out = Json.object();
        out.put("changed", changed[0]);
        out.put("commit", r.created() ? r.commitId() : null);
        Json.ok(ctx, out);
    }

    // ---- evaluations

    void evaluations(Context ctx) {
        FaceCaller caller = FaceCaller.of(ctx);
        PolicyDefinition d = definition(caller, id(ctx));
        int page = RequestInput.intQuery(ctx, "page", 1, 1_000_000).orElse(1);
        int pageSize = RequestInput.intQuery(ctx, "pageSize", 1, MAX_PAGE_SIZE).orElse(50);
        PolicyEvaluationPage p;
        try {
            p = evaluations.log().appliedEvaluations(WorkspaceRecords.key(d), page, pageSize);
        } catch (LogUnavailableException e) {
            throw ApiProblem.unavailable("the evaluation log cannot be read: " + e.getMessage());
        }
        Json.ok(ctx, records.evaluationPage(p));
    }

    // ---- pieces

    private List<PolicyDefinition> tenantPolicies(FaceCaller caller) {
        return snapshots.require().policies().all().stream()
                .filter(d -> caller.owns(d.scope()))
                .sorted(Comparator.comparing((PolicyDefinition d) -> d.scope().dotted())
                        .thenComparing(PolicyDefinition::name))
                .toList();
    }

    private static PolicyId id(Context ctx) {
        String raw = ctx.pathParam("id");
        return PolicyId.parseUuid(raw)
                .orElseThrow(() -> ApiProblem.notFound("policy '" + Names.printable(raw) + "' does not exist"));
    }

    /** The policy with this id in the caller's workspace, else 404 (another workspace's too). */
    private PolicyDefinition definition(FaceCaller caller, PolicyId id) {
        return snapshots
                .require()
                .policies()
                .byId(id)
                .filter(d -> caller.owns(d.scope()))
                .orElseThrow(() -> ApiProblem.notFound("policy '" + id.uuid() + "' does not exist"));
    }

    private void change(
            Context ctx,
            FaceCaller caller,
            PolicyPath where,
            String verb,
            java.util.function.UnaryOperator<Policy> edit) {
        pipeline.write(
                ctx, caller.caller(), verb + " policy " + label(where) + " via the workspace API", false, files -> {
                    byte[] current = files.get(where.path());
                    if (current == null) {
                        throw ApiProblem.notFound(
                                "policy '" + PolicyId.of(where).uuid() + "' does not exist");
                    }
                    Policy before = stored(current, where);
                    Policy after = edit.apply(before);
                    return after.equals(before)
                            ? ChangeSet.builder().build()
                            : ChangeSet.put(where.path(), bytes(after, where));
                });
    }

    private static String label(PolicyPath where) {
        return where.scope().dotted() + "/" + where.name();
    }
}
