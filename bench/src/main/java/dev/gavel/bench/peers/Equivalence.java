package dev.gavel.bench.peers;

import dev.gavel.bench.workload.RequestMix;
import dev.gavel.bench.workload.Workload;
import dev.gavel.bench.workload.WorkloadGenerator;
import dev.gavel.engine.eval.Evaluation;
import dev.gavel.engine.eval.Match;
import dev.gavel.engine.eval.Request;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checks that a peer gives every request of a mix the outcome Gavel gives it. A disagreement is a bug in
 * the translation, never a result: the benchmark refuses to time a peer that disagrees.
 *
 * <p>Compared per request: Gavel's decision, or {@code reject} when Gavel reports a missing field (its
 * API answers 422; peers translate the missing-field rules too). Requests Gavel cannot evaluate at all
 * (a scope deeper than the repository's levels) are left out and counted; the generated mixes have none.
 *
 * <p>{@code scripts/bench main dev.gavel.bench.peers.Equivalence [--requests N] [SIZE...] [--peers a,b]}
 */
public final class Equivalence {
    private Equivalence() {}

    public record Disagreement(
            int index,
            Request request,
            Outcome gavel,
            List<Match> gavelMatches,
            Outcome peer,
            String peerExplained,
            String reference) {
        @Override
        public String toString() {
            return "request #" + index + " " + request + "\n    gavel " + gavel.label() + " "
                    + gavelMatches.stream()
                            .map(m -> m.policy() + "@" + m.definedAt().dotted() + "/" + m.rule() + "("
                                    + m.enforcement().value() + "," + m.effect().value() + ")")
                            .toList()
                    + "\n    peer  " + peerExplained + "\n    flat reference " + reference;
        }
    }

    /**
     * @param outcomes Gavel's outcomes over the compared requests
     * @param skipped requests Gavel could not evaluate
     */
    public record Report(
            String peer,
            int compared,
            int skipped,
            Map<Outcome, Integer> outcomes,
            List<Disagreement> disagreements,
            int disagreeing) {
        public boolean agrees() {
            return disagreeing == 0;
        }

        /** @throws IllegalStateException listing the first disagreements */
        public Report require() {
            if (!agrees()) {
                throw new IllegalStateException(this + "\n  "
                        + disagreements.stream().map(Disagreement::toString).collect(Collectors.joining("\n  ")));
            }
            return this;
        }

        @Override
        public String toString() {
            return peer + ": " + (agrees() ? "agrees" : "DISAGREES on " + disagreeing) + " of " + compared
                    + " requests (Gavel: " + outcomes + ")"
                    + (skipped > 0 ? ", " + skipped + " Gavel cannot evaluate" : "");
        }
    }

    /** Runs the mix through Gavel and {@code peer}; lists at most {@code listed} disagreements. */
    public static Report check(FlatRepository repository, Peer peer, List<Request> mix, int listed) {
        FlatReference reference = new FlatReference(repository);
        List<Disagreement> out = new ArrayList<>();
        Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
        int compared = 0;
        int skipped = 0;
        int disagreeing = 0;
        for (int i = 0; i < mix.size(); i++) {
            Request r = mix.get(i);
            Evaluation e;
            try {
                e = repository.gavel().evaluate(r);
            } catch (IllegalArgumentException unknownLevels) {
                skipped++;
                continue;
            }
            compared++;
            Outcome expected = Outcome.of(e);
            outcomes.merge(expected, 1, Integer::sum);
            Outcome actual = peer.decide(r);
            if (actual != expected) {
                disagreeing++;
                if (out.size() < listed) {
                    out.add(new Disagreement(
                            i, r, expected, e.matches(), actual, peer.explain(r), reference.explain(r)));
                }
            }
        }
        return new Report(peer.name(), compared, skipped, outcomes, out, disagreeing);
    }

    public static void main(String[] args) {
        int requests = 2_000;
        List<Integer> sizes = new ArrayList<>();
        List<String> peers = new ArrayList<>(List.of("reference", "cedar", "jcasbin", "easyrules"));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--requests" -> requests = Integer.parseInt(args[++i]);
                case "--peers" -> peers = List.of(args[++i].split(","));
                default -> sizes.add(Integer.parseInt(args[i]));
            }
        }
        if (sizes.isEmpty()) {
            sizes = List.of(100);
        }
        boolean ok = true;
        for (int size : sizes) {
            Workload w = WorkloadGenerator.generate(size);
            FlatRepository repository = FlatRepository.of(w);
            List<Request> mix = RequestMix.generate(w, w.seed(), requests);
            System.out.println(
                    size + " policies, " + repository.ruleCount() + " flat rules, " + requests + " requests");
            for (String name : peers) {
                long start = System.nanoTime();
                try (Peer peer = Peers.create(name, repository)) {
                    long built = System.nanoTime();
                    Report report = check(repository, peer, mix, 5);
                    System.out.printf(
                            "  %s (built in %d ms, checked in %d ms)%n",
                            report, (built - start) / 1_000_000, (System.nanoTime() - built) / 1_000_000);
                    if (!report.agrees()) {
                        ok = false;
                        report.disagreements().forEach(d -> System.out.println("  " + d));
                    }
                }
            }
        }
        if (!ok) {
            System.exit(1);
        }
    }
}
