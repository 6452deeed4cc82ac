package dev.gavel.api.compat.workspace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.api.http.Json;
import dev.gavel.api.server.eval.EvaluationFeature;
import dev.gavel.api.snapshot.SnapshotService;
import dev.gavel.engine.model.Policy;
import dev.gavel.engine.model.Rule;
import dev.gavel.engine.model.Status;
import dev.gavel.engine.resolve.PolicyDefinition;
import dev.gavel.store.git.FileStamp;
import dev.gavel.store.git.GitPolicyRepository;
import dev.gavel.store.log.BreakerState;
import dev.gavel.store.log.PolicyEvaluationPage;
import dev.gavel.store.log.PolicyKey;
import java.util.Optional;

/** The workspace face's records: a Gavel policy and its evaluations in the seed's shape (seed 000). */
final class WorkspaceRecords {
    private final GitPolicyRepository repository;
    private final SnapshotService snapshots;
    private final EvaluationFeature evaluations;

    WorkspaceRecords(GitPolicyRepository repository, SnapshotService snapshots, EvaluationFeature evaluations) {
        this.repository = repository;
        this.snapshots = snapshots;
        this.evaluations = evaluations;
    }

    /** A page of the evaluations in which the policy applied, passes included. */
    ObjectNode evaluationPage(PolicyEvaluationPage p) {
        ObjectNode out = Json.object();
        ArrayNode items = out.putArray("evaluations");
        for (PolicyEvaluationPage.Item it : p.items()) {
            ObjectNode n = items.addObject();
            n.put("id", it.evaluation().id());
            n.put("result", it.match() == null ? "pass" : it.match().effect().equals("deny") ? "fail" : "warn");
            n.put("timestamp", it.evaluation().time().toString());
            n.set("context", context(it.evaluation().requestJson()));
            n.put("decision", it.evaluation().decision());
            n.put("rule", it.match() == null ? null : it.match().rule());
            n.put("message", it.match() == null ? null : it.match().message());
        }
        out.put("total", p.total());
        out.put("page", p.page());
        out.put("pageSize", p.pageSize());
        return out;
    }

    /** The seed's context is what the caller said about the change: the request's attributes. */
    private static JsonNode context(String requestJson) {
        try {
            JsonNode r = Json.MAPPER.readTree(requestJson);
            JsonNode a = r.get("attributes");
            return a != null && a.isObject() ? a : Json.object();
        } catch (JsonProcessingException e) {
            return Json.object();
        }
    }

    /** Promotion readiness by the policy's own rule, with the figures (the core's {@code PromotionReadiness}). */
    dev.gavel.api.wire.Evaluations.Promotion readiness(PolicyDefinition d) {
        Policy resolved = snapshots
                .require()
                .resolver()
                .variant(d)
                .map(dev.gavel.engine.resolve.ResolvedPolicy::policy)
                .orElse(d.policy());
        return evaluations.promotion().of(d, resolved);
    }

    static PolicyKey key(PolicyDefinition d) {
        return new PolicyKey(d.name(), d.scope().dotted());
    }

    ObjectNode policy(PolicyDefinition d) {
        return policy(
                d,
                repository.fileStamp(d.file()).orElse(null),
                snapshots.require().commit());
    }

    ObjectNode policy(PolicyDefinition d, FileStamp stamp, String commit) {
        Policy p = d.policy();
        ObjectNode n = Json.object();
        n.put("id", d.id().uuid());
        n.put("name", d.name());
        n.put("displayName", p.metadata().displayName().orElse(null));
        n.put("description", p.metadata().description().orElse(null));
        n.put("scope", d.scope().dotted());
        n.put("type", p.type().value());
        n.put("enforcement", p.spec().enforcement().value());
        n.put("status", p.spec().status() == Status.ACTIVE ? "active" : "inactive");
        ArrayNode conditions = n.putArray("conditions");
        String message = null;
        for (Rule r : p.spec().rules()) {
            if (r.check().isPresent()) {
                ObjectNode c = conditions.addObject();
                c.put("provider", r.check().get().provider());
                c.put("check", r.check().get().check());
                c.set("params", r.check().get().params());
                message = message == null ? r.message() : message;
            }
        }
        n.put("message", message);
        ObjectNode cb = n.putObject("circuitBreaker");
        Optional<BreakerState> open = evaluations.breakers().openState(key(d));
        cb.put("state", open.isPresent() ? "open" : "closed");
        cb.put(
                "openedAt",
                open.flatMap(BreakerState::openedAt).map(Object::toString).orElse(null));
        cb.put("reason", open.flatMap(BreakerState::reason).orElse(null));
        String fallback = java.time.Instant.EPOCH.toString();
        n.put("createdAt", stamp == null ? fallback : stamp.createdAt().toString());
        n.put("createdBy", stamp == null ? null : stamp.createdBy().name());
        n.put("updatedAt", stamp == null ? fallback : stamp.updatedAt().toString());
        n.put("updatedBy", stamp == null ? null : stamp.updatedBy().name());
        n.put("version", commit);
        n.set("promotion", Json.MAPPER.valueToTree(readiness(d)));
        return n;
    }
}
