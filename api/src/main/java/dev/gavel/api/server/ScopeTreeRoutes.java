package dev.gavel.api.server;

import dev.gavel.api.http.Caller;
import dev.gavel.api.http.Json;
import dev.gavel.api.snapshot.SnapshotService;
import dev.gavel.api.wire.ScopeTree;
import dev.gavel.engine.model.ScopePath;
import dev.gavel.engine.resolve.PolicyDefinition;
import dev.gavel.engine.snapshot.PolicySnapshot;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The scope tree with counts and the caller's identity: what a console needs before its first page. */
final class ScopeTreeRoutes {
    private final SnapshotService snapshots;

    ScopeTreeRoutes(SnapshotService snapshots) {
        this.snapshots = snapshots;
    }

    void scopes(Context ctx) {
        Caller caller = Caller.of(ctx);
        PolicySnapshot snap = snapshots.require();
        Map<ScopePath, int[]> counts =
                new TreeMap<>(Comparator.comparing((ScopePath s) -> String.join("\u0000", s.segments())));
        counts.put(ScopePath.GLOBAL, new int[2]);
        for (PolicyDefinition d : snap.policies().all()) {
            if (!caller.canSee(d.scope())) {
                continue;
            }
            counts.computeIfAbsent(d.scope(), s -> new int[2])[0]++;
            for (ScopePath s : d.scope().lineage()) {
                counts.computeIfAbsent(s, x -> new int[2])[1]++;
            }
        }
        List<String> levels = snap.settings().levels();
        List<ScopeTree.ScopeNode> nodes = new ArrayList<>();
        counts.forEach((s, c) -> nodes.add(new ScopeTree.ScopeNode(
                s.dotted(),
                s.depth(),
                s.isGlobal() ? "global" : s.depth() <= levels.size() ? levels.get(s.depth() - 1) : "scope",
                c[0],
                c[1])));
        Json.ok(ctx, new ScopeTree(snap.commit(), nodes));
    }

    void me(Context ctx) {
        Caller caller = Caller.of(ctx);
        Optional<List<String>> tenants =
                caller.principal().tenants().map(t -> t.stream().sorted().toList());
        Json.ok(
                ctx,
                new ScopeTree.Me(
                        caller.principal().name(), caller.principal().role().value(), tenants));
    }
}
