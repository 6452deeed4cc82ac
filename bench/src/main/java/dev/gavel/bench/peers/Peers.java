package dev.gavel.bench.peers;

import dev.gavel.bench.peers.cedar.CedarPeer;
import dev.gavel.bench.peers.easyrules.EasyRulesPeer;
import dev.gavel.bench.peers.jcasbin.CasbinPeer;
import java.util.List;

/** The in-process peers by benchmark name. */
public final class Peers {
    private Peers() {}

    /** Peers the in-process benchmark and the equivalence test run, Gavel first. */
    public static final List<String> IN_PROCESS = List.of("gavel", "cedar", "jcasbin", "easyrules");

    public static Peer create(String name, FlatRepository repository) {
        return switch (name) {
            case "gavel" -> new GavelPeer(repository.gavel());
            case "reference" -> new FlatReference(repository);
            case "cedar" -> new CedarPeer(repository);
            case "jcasbin" -> new CasbinPeer(repository);
            case "easyrules" -> new EasyRulesPeer(repository);
            default -> throw new IllegalArgumentException("no peer named " + name + "; known: " + IN_PROCESS);
        };
    }
}
