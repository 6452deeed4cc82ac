package dev.gavel.api.workloads;

import dev.gavel.api.wire.Workloads;
import dev.gavel.engine.eval.Request;
import dev.gavel.engine.snapshot.PolicySnapshot;
import dev.gavel.engine.workload.HeartbeatSelection;
import dev.gavel.engine.workload.Workload;
import java.util.List;
import java.util.Optional;

/** The heartbeat part of an evaluate answer: which heartbeat policy governs a pod or job request. */
public final class HeartbeatAnswers {
    private HeartbeatAnswers() {}

    /** Empty for a request that is no pod or job, or that no heartbeat policy selects. */
    public static Optional<Workloads.GoverningHeartbeat> governing(PolicySnapshot snapshot, Request request) {
        if (Workload.Kind.ofResourceType(request.resource().type()).isEmpty()) {
            return Optional.empty();
        }
        List<HeartbeatSelection> all = snapshot.heartbeats(request);
        if (all.isEmpty()) {
            return Optional.empty();
        }
        HeartbeatSelection s = all.get(0);
        var settings = snapshot.policies()
                .definition(s.definedAt(), s.policy())
                .flatMap(snapshot.resolver()::variant)
                .map(v -> (com.fasterxml.jackson.databind.JsonNode)
                        v.policy().spec().rawSettings())
                .orElseGet(dev.gavel.api.http.Json::object);
        return Optional.of(new Workloads.GoverningHeartbeat(
                s.policy(),
                s.definedAt().dotted(),
                s.id().uuid(),
                s.interval(),
                s.settings().selects().value(),
                settings,
                all.subList(1, all.size()).stream()
                        .map(o -> o.definedAt().dotted() + "/" + o.policy())
                        .toList()));
    }
}
