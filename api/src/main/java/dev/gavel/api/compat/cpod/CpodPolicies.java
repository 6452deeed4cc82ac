package dev.gavel.api.compat.cpod;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.api.auth.Role;
import dev.gavel.api.compat.FaceCaller;
import dev.gavel.api.http.ApiProblem;
import dev.gavel.api.http.FieldError;
import dev.gavel.api.http.Json;
import dev.gavel.api.http.RequestInput;
import dev.gavel.api.server.CommitPipeline;
import dev.gavel.api.snapshot.SnapshotService;
import dev.gavel.api.wire.Mappers;
import dev.gavel.engine.model.Enforcement;
import dev.gavel.engine.model.Names;
import dev.gavel.engine.model.Policy;
import dev.gavel.engine.model.PolicyId;
import dev.gavel.engine.model.PolicyPath;
import dev.gavel.engine.model.PolicyType;
import dev.gavel.engine.parse.Diagnostic;
import dev.gavel.engine.parse.ParseResult;
import dev.gavel.engine.parse.PolicyParser;
import dev.gavel.engine.parse.PolicyWriter;
import dev.gavel.engine.resolve.PolicyDefinition;
import dev.gavel.engine.resolve.ResolvedPolicy;
import dev.gavel.engine.snapshot.PolicySnapshot;
import dev.gavel.store.git.ChangeSet;
import dev.gavel.store.git.FileStamp;
import dev.gavel.store.git.GitPolicyRepository;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * Seed 004's operations over the core: a record is a policy file in the caller's tenant (or an app scope
 * below it), read from the served snapshot and Git's history of the file; every write is one commit through
 * the {@link CommitPipeline} (validated by the policy file's schema, compiled, compare-and-swap, author = the
 * token's principal).
 */
final class CpodPolicies {
    private static final String VIA = " via the policy documents API";

    private final GitPolicyRepository repository;
    private final SnapshotService snapshots;
    private final CommitPipeline pipeline;
    private final Clock clock;

    CpodPolicies(GitPolicyRepository repository, SnapshotService snapshots, CommitPipeline pipeline, Clock clock) {
        this.repository = repository;
        this.snapshots = snapshots;
        this.pipeline = pipeline;
        this.clock = clock;
    }

    void list(Context ctx) {
        FaceCaller caller = FaceCaller.of(ctx);
        CpodListQuery query = CpodListQuery.of(ctx);
        Map<String, FileStamp> stamps = repository.fileStamps();
        PolicySnapshot snap = snapshots.require();
        List<CpodRecord> all = snap.policies().all().stream()
                .filter(d -> caller.owns(d.scope()))
                .map(d -> CpodRecords.of(d, resolved(snap, d), stamps.get(d.file())))
                .toList();
        Json.ok(ctx, query.page(all));
    }

    void get(Context ctx) {
        FaceCaller caller = FaceCaller.of(ctx);
        Json.ok(ctx, record(definition(caller, id(ctx))));
    }

    void create(Context ctx) {
        FaceCaller caller = FaceCaller.of(ctx);
        JsonNode body = object(ctx);
        List<FieldError> errors = new ArrayList<>();
        requireKnown(body, errors);
        if (body.has("is_deleted") && body.get("is_deleted").asBoolean(false)) {
            errors.add(FieldError.of("is_deleted", "a record is created live; soft-delete it with an update"));
        }
        PolicyType type = CpodRecords.typeFor(body);
        ObjectNode tree = Json.object();
        tree.put("apiVersion", Policy.API_VERSION);
        tree.put("kind", Policy.KIND);
        ObjectNode md = tree.putObject("metadata");
        md.put("name", "x"); // the file name is chosen against the head, below
        ObjectNode spec = tree.putObject("spec");
        spec.put("type", type.value());
        spec.put("enforcement", Enforcement.AUDIT.value()); // documents and SLA policies decide nothing
        CpodRecords.apply(body, tree, errors);
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        parse(tree, null); // every field checked before a name is taken
        String slug = slug(body.path("name").asText(""));
        String[] chosen = new String[1];
        pipeline.write(
                ctx,
                caller.caller(),
                "Create policy record '" + slug + "' in " + caller.tenant() + VIA,
                false,
                files -> {
                    String name = freeName(files, caller.tenant(), slug);
                    chosen[0] = name;
                    PolicyPath where = new PolicyPath(caller.tenantScope(), name);
                    md.put("name", name);
                    return ChangeSet.put(where.path(), bytes(parse(tree, where), where));
                });
        Json.send(ctx, 201, record(definition(caller, PolicyId.of(caller.tenantScope(), chosen[0]))));
    }

    void update(Context ctx) {
        FaceCaller caller = FaceCaller.of(ctx);
        PolicyDefinition d = definition(caller, id(ctx));
        JsonNode body = object(ctx);
        List<FieldError> errors = new ArrayList<>();
        requireKnown(body, errors);
        JsonNode deleted = body.get("is_deleted");
        if (deleted != null && !deleted.isBoolean()) {
            errors.add(FieldError.of("is_deleted", "true or false"));
        }
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        if (deleted != null && deleted.booleanValue() != d.policy().metadata().isDeleted()) {
            caller.caller().requireRole(Role.ADMIN); // a soft delete (or restore) is a delete: owners and admins
        }
        PolicyPath where = new PolicyPath(d.scope(), d.name());
        String verb = deleted == null ? "Update" : deleted.booleanValue() ? "Soft-delete" : "Restore";
        change(ctx, caller, where, verb, tree -> {
            CpodRecords.apply(body, tree, errors);
            ObjectNode md = (ObjectNode) tree.get("metadata");
            if (deleted != null && deleted.booleanValue() && !md.has("deleted")) {
                md.putObject("deleted")
                        .put("at", clock.instant().toString())
                        .put("by", caller.caller().author().name());
            } else if (deleted != null && !deleted.booleanValue()) {
                md.remove("deleted");
            }
            if (!errors.isEmpty()) {
                throw invalid(errors);
            }
        });
        Json.ok(ctx, record(definition(caller, d.id())));
    }

    /**
     * {@code complete}: the seed does not describe it; Gavel reads it as completing the record's review. The
     * review is recorded today (lastReviewed), a hand-set due date is met; the next one follows from the
     * review cadence, or is the body's {@code next_review_at} when given.
     */
    void complete(Context ctx) {
        FaceCaller caller = FaceCaller.of(ctx);
        PolicyDefinition d = definition(caller, id(ctx));
        byte[] raw = RequestInput.body(ctx);
        JsonNode body = raw.length == 0 ? Json.object() : object(raw);
        List<FieldError> errors = new ArrayList<>();
        body.fieldNames().forEachRemaining(f -> {
            if (!f.equals("next_review_at")) {
                errors.add(FieldError.of(Names.printable(f), "unknown field; complete takes only next_review_at"));
            }
        });
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        if (d.policy().metadata().isDeleted()) {
            throw ApiProblem.conflict(
                    "the record is deleted; restore it (is_deleted: false) before completing its review",
                    List.of(FieldError.of("is_deleted", "true")));
        }
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        change(ctx, caller, new PolicyPath(d.scope(), d.name()), "Complete the review of", tree -> {
            ObjectNode md = (ObjectNode) tree.get("metadata");
            md.put("lastReviewed", today.toString());
            md.remove("nextReviewAt");
            if (body.has("next_review_at") && !body.get("next_review_at").isNull()) {
                md.set("nextReviewAt", body.get("next_review_at").deepCopy());
            }
        });
        Json.ok(ctx, record(definition(caller, d.id())));
    }

    // ---- pieces

    private interface TreeEdit {
        void apply(ObjectNode tree);
    }

    /** One commit of an edit of the file at head; none when the edit changes nothing. */
    private void change(Context ctx, FaceCaller caller, PolicyPath where, String verb, TreeEdit edit) {
        pipeline.write(
                ctx,
                caller.caller(),
                verb + " policy record " + where.scope().dotted() + "/" + where.name() + VIA,
                false,
                files -> {
                    byte[] current = files.get(where.path());
                    if (current == null) {
                        throw ApiProblem.notFound("policy '" + CpodRecord.ID_PREFIX
                                + PolicyId.of(where).ulid() + "' does not exist");
                    }
                    Policy before = parse(current, where);
                    ObjectNode tree = PolicyWriter.tree(before);
                    edit.apply(tree);
                    Policy after = parse(tree, where);
                    return after.equals(before)
                            ? ChangeSet.builder().build()
                            : ChangeSet.put(where.path(), bytes(after, where));
                });
    }

    private CpodRecord record(PolicyDefinition d) {
        return CpodRecords.of(
                d,
                resolved(snapshots.require(), d),
                repository.fileStamp(d.file()).orElse(null));
    }

    private static Policy resolved(PolicySnapshot snap, PolicyDefinition d) {
        return snap.resolver().variant(d).map(ResolvedPolicy::policy).orElse(d.policy());
    }

    /** The record with this id in the caller's tenant, else 404 (another tenant's too). */
    private PolicyDefinition definition(FaceCaller caller, PolicyId id) {
        return snapshots
                .require()
                .policies()
                .byId(id)
                .filter(d -> caller.owns(d.scope()))
                .orElseThrow(
                        () -> ApiProblem.notFound("policy '" + CpodRecord.ID_PREFIX + id.ulid() + "' does not exist"));
    }

    private static PolicyId id(Context ctx) {
        String raw = ctx.pathParam("id");
        return (raw.startsWith(CpodRecord.ID_PREFIX)
                        ? PolicyId.parseUlid(raw.substring(CpodRecord.ID_PREFIX.length()))
                        : java.util.Optional.<PolicyId>empty())
                .orElseThrow(() -> ApiProblem.notFound("policy '" + Names.printable(raw) + "' does not exist"));
    }

    /** A file name from the human name: lower-case words joined by '-', at most 40 characters; "policy" if none. */
    static String slug(String name) {
        String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (s.length() > 40) {
            s = s.substring(0, 40).replaceAll("-+$", "");
        }
        return s.isEmpty() ? "policy" : s;
    }

    /**
     * The slug, or slug-2, slug-3... : a name no policy file of the global scope or of the tenant (at any depth)
     * has, so a new record never becomes an override of another policy nor gets one.
     */
    static String freeName(SortedMap<String, byte[]> files, String tenant, String slug) {
        Set<String> taken = new HashSet<>();
        String dir = PolicyPath.ROOT + "/" + tenant + "/";
        for (String path : files.keySet()) {
            if (!PolicyPath.isPolicyPath(path)) {
                continue;
            }
            PolicyPath p = PolicyPath.parse(path);
            if (p.scope().isGlobal() || path.startsWith(dir)) {
                taken.add(p.name());
            }
        }
        String name = slug;
        for (int i = 2; taken.contains(name); i++) {
            name = slug + "-" + i;
        }
        return name;
    }

    private static void requireKnown(JsonNode body, List<FieldError> errors) {
        body.fieldNames().forEachRemaining(f -> {
            if (!CpodRecords.INPUT.contains(f) && !CpodRecords.STAMPS.contains(f)) {
                errors.add(FieldError.of(Names.printable(f), "unknown field"));
            }
        });
    }

    /** Parses a tree as the policy file at {@code where} (null: no file-name checks); field errors in the seed's words. */
    private static Policy parse(ObjectNode tree, PolicyPath where) {
        try {
            return parse(Mappers.YAML.writeValueAsBytes(tree), where);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Policy parse(byte[] yaml, PolicyPath where) {
        ParseResult<Policy> r = PolicyParser.parse(yaml, where == null ? null : where.path());
        if (r instanceof ParseResult.Parsed<Policy> ok) {
            return ok.value();
        }
        throw invalid(r.diagnostics().stream()
                .filter(Diagnostic::isError)
                .map(x -> FieldError.of(CpodRecords.seedField(x.field()), x.message()))
                .toList());
    }

    private static byte[] bytes(Policy p, PolicyPath where) {
        return PolicyWriter.toYaml(p, where.path()).getBytes(StandardCharsets.UTF_8);
    }

    static ApiProblem invalid(List<FieldError> errors) {
        return new ApiProblem(
                422,
                "validation-failed",
                "Validation failed",
                "the record is invalid; nothing was written"
                        + (errors.isEmpty()
                                ? ""
                                : ": " + errors.get(0).field() + " "
                                        + errors.get(0).message()),
                errors);
    }

    private static JsonNode object(Context ctx) {
        return object(RequestInput.body(ctx));
    }

    private static JsonNode object(byte[] raw) {
        JsonNode body;
        try {
            body = raw.length == 0 ? null : Json.MAPPER.readTree(raw);
        } catch (java.io.IOException e) {
            throw ApiProblem.badRequest("the body is not valid JSON", FieldError.of("request", "not JSON"));
        }
        if (body == null || !body.isObject()) {
            throw ApiProblem.badRequest("the body is a JSON object", FieldError.of("request", "not an object"));
        }
        return body;
    }
}
