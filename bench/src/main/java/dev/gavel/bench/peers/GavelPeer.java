package dev.gavel.bench.peers;

import dev.gavel.engine.eval.Request;
import dev.gavel.engine.snapshot.PolicySnapshot;

/** Gavel itself behind the peer interface, so the benchmark times every engine through the same call. */
public final class GavelPeer implements Peer {
    private final PolicySnapshot snapshot;

    public GavelPeer(PolicySnapshot snapshot) {
        this.snapshot = snapshot;
    }

    @Override
    public String name() {
        return "gavel";
    }

    @Override
    public Outcome decide(Request request) {
        return Outcome.of(snapshot.evaluate(request));
    }
}
