package dev.gavel.api.server.eval;

import dev.gavel.engine.model.CircuitBreaker;
import dev.gavel.engine.model.Enforcement;
import dev.gavel.engine.model.PolicyType;
import dev.gavel.engine.model.ResourceType;
import dev.gavel.engine.model.ScopePath;
import dev.gavel.engine.model.Status;
import dev.gavel.engine.resolve.ResolvedPolicy;
import dev.gavel.engine.snapshot.PolicySnapshot;
import dev.gavel.store.log.PolicyKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which policy definitions a request runs: the resolved set of its scope, active, not off, of a type that
 * decides something, and reaching the request's resource type. The engine reports only matches; usage and
 * breakers also need the requests a policy let through. Cached per snapshot, scope and resource type, so
 * the hot path resolves a scope once per commit.
 */
final class Applicability {
    private static final int MAX_ENTRIES = 10_000;
    private static final Set<PolicyType> SETTINGS_ONLY =
            Set.of(PolicyType.HEARTBEAT, PolicyType.SLA, PolicyType.DOCUMENT);

    /** A definition a request runs, with its breaker settings. */
    record Applicable(PolicyKey key, Optional<CircuitBreaker> breaker) {}

    /**
     * The definitions a request runs, and their keys as the log records them: one list per snapshot, scope and
     * type, so the log's writer finds the set of a repeated list by identity ({@code AppliedSets}).
     */
    record Applying(List<Applicable> all, List<PolicyKey> keys) {}

    private record Cache(PolicySnapshot snapshot, ConcurrentHashMap<String, Applying> entries) {}

    private volatile Cache cache = new Cache(null, new ConcurrentHashMap<>());

    Applying of(PolicySnapshot snapshot, ScopePath scope, String resourceType) {
        Cache c = cache;
        if (c.snapshot() != snapshot) {
            c = new Cache(snapshot, new ConcurrentHashMap<>());
            cache = c;
        }
        if (c.entries().size() > MAX_ENTRIES) {
            c.entries().clear(); // many distinct scopes: start over rather than grow without bound
        }
        String key = scope.dotted() + '\u0000' + (resourceType == null ? "" : resourceType);
        return c.entries().computeIfAbsent(key, k -> compute(snapshot, scope, resourceType));
    }

    private static Applying compute(PolicySnapshot snapshot, ScopePath scope, String resourceType) {
        Optional<ResourceType> type = resourceType == null ? Optional.empty() : ResourceType.fromValue(resourceType);
        List<Applicable> out = new ArrayList<>();
        for (ResolvedPolicy r : snapshot.resolve(scope)) {
            var spec = r.policy().spec();
            if (spec.status() != Status.ACTIVE || spec.enforcement() == Enforcement.OFF) {
                continue;
            }
            if (SETTINGS_ONLY.contains(spec.type()) && spec.rules().isEmpty()) {
                continue;
            }
            boolean reaches =
                    spec.resourceTypes().isEmpty() || type.map(spec::appliesTo).orElse(false);
            if (!reaches) {
                continue;
            }
            out.add(new Applicable(new PolicyKey(r.name(), r.definedAt().dotted()), spec.circuitBreaker()));
        }
        return new Applying(List.copyOf(out), out.stream().map(Applicable::key).toList());
    }
}
