package dev.gavel.bench.engine;

import dev.gavel.bench.workload.RequestMix;
import dev.gavel.bench.workload.Workload;
import dev.gavel.bench.workload.WorkloadGenerator;
import dev.gavel.engine.compile.CompiledPartition;
import dev.gavel.engine.compile.CompiledRule;
import dev.gavel.engine.compile.Constraint;
import dev.gavel.engine.compile.FamilyVerdict;
import dev.gavel.engine.compile.PrefixIndex;
import dev.gavel.engine.eval.Request;
import dev.gavel.engine.eval.RequestFact;
import dev.gavel.engine.snapshot.PolicySnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a request costs in the alpha network, counted rather than timed: walks the shared prefix tree
 * of each partition's rules the way Drools' alpha network does (siblings that are equalities on the
 * same property, or {@code startsWith} constants of the same height, are hashed and comparisons {@code > n}
 * on the same property range-indexed when there are {@link Constraint#INDEXED_FROM} or more; every other
 * sibling is evaluated one by one) and
 * counts, per constraint shape (literals replaced by {@code ?}), the constraints a request evaluates.
 *
 * <p>{@code scripts/bench main dev.gavel.bench.engine.AlphaWalkReport --policies 10000 --requests 2000}
 */
public final class AlphaWalkReport {
    private AlphaWalkReport() {}

    static final class Node {
        final Constraint constraint;
        final Map<String, Node> children = new LinkedHashMap<>();

        Node(Constraint constraint) {
            this.constraint = constraint;
        }
    }

    public static void main(String[] args) {
        int policies = Integer.parseInt(arg(args, "--policies", "10000"));
        int count = Integer.parseInt(arg(args, "--requests", "2000"));
        Workload workload = WorkloadGenerator.generate(policies);
        PolicySnapshot snapshot = workload.compile("walk").snapshot();
        Map<String, Node> roots = new HashMap<>();
        snapshot.partitions().forEach((key, p) -> roots.put(key, tree(p)));
        Map<String, Map<String, PrefixIndex>> prefixIndexes = new HashMap<>();
        snapshot.partitions().forEach((key, p) -> prefixIndexes.put(key, prefixIndexes(p)));
        Map<String, Map<String, FamilyVerdict>> families = new HashMap<>();
        snapshot.partitions().forEach((key, p) -> families.put(key, FamilyVerdict.of(p.compiled())));
        List<Request> mix = RequestMix.generate(workload, workload.seed(), count);
        Map<String, long[]> shapes = new TreeMap<>();
        long lookups = 0;
        long evaluated = 0;
        for (Request r : mix) {
            RequestFact fact = new RequestFact(r);
            List<String> keys = new ArrayList<>(List.of(""));
            if (!r.scope().isEmpty()) {
                keys.add(r.scope().get(0));
            }
            for (String key : keys) {
                Node root = roots.get(key);
                if (root != null) {
                    long[] c = walk(
                            root,
                            fact,
                            new Indexes(prefixIndexes.get(key), families.get(key)),
                            shapes,
                            key.isEmpty() ? "global" : "tenant");
                    lookups += c[0];
                    evaluated += c[1];
                }
            }
        }
        System.out.printf(
                "%d policies, %d requests: %.1f hash lookups and %.1f constraints evaluated per request"
                        + " (per request, by shape; lookups by property)%n",
                policies, count, lookups / (double) count, evaluated / (double) count);
        shapes.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
                .limit(Integer.parseInt(arg(args, "--top", "30")))
                .forEach(e -> System.out.printf("%8.1f  %s%n", e.getValue()[0] / (double) count, e.getKey()));
    }

    static Node tree(CompiledPartition partition) {
        Node root = new Node(null);
        // The knowledge base puts one shared test in front of every built-in rule (ExecutableModelBuild).
        Map<String, FamilyVerdict> families = FamilyVerdict.of(partition.compiled());
        Constraint someFamilyNeedsALook =
                new Constraint("someFamilyNeedsALook", FamilyVerdict.someNeedsALook(families), null);
        for (CompiledRule rule : partition.compiled()) {
            Node at = root;
            if (!rule.constraints().isEmpty()
                    && rule.constraints().get(0).familyGuard()
                    && families.containsKey(rule.constraints().get(0).hash().property())) {
                at = at.children.computeIfAbsent(someFamilyNeedsALook.drl(), k -> new Node(someFamilyNeedsALook));
            }
            for (Constraint c : rule.constraints()) {
                at = at.children.computeIfAbsent(c.drl(), k -> new Node(c));
            }
        }
        return root;
    }

    /** The partition's {@code startsWith} constants per property, as its knowledge base indexes them. */
    static Map<String, PrefixIndex> prefixIndexes(CompiledPartition partition) {
        Map<String, List<String>> constants = new HashMap<>();
        for (CompiledRule rule : partition.compiled()) {
            for (Constraint c : rule.constraints()) {
                if (c.prefix() != null) {
                    constants
                            .computeIfAbsent(c.prefix().property(), k -> new ArrayList<>())
                            .add(c.prefix().value());
                }
            }
        }
        Map<String, PrefixIndex> out = new HashMap<>();
        constants.forEach((property, values) -> out.put(property, PrefixIndex.of(values)));
        return out;
    }

    /** What a partition's base indexes beyond the constraints themselves (startsWith constants, family verdicts). */
    record Indexes(Map<String, PrefixIndex> prefixes, Map<String, FamilyVerdict> families) {}

    /** Whether a hashed node is selected: its value, or for a family guard the family's verdict (FamilyVerdict). */
    static boolean selected(Constraint.Hash h, RequestFact fact, Indexes indexes) {
        FamilyVerdict family = indexes.families().get(h.property());
        return family == null
                ? h.value().equals(h.getter().apply(fact))
                : FamilyVerdict.selected(h).equals(family.verdictOf(fact));
    }

    /** {lookups, evaluations} under {@code node}. */
    static long[] walk(Node node, RequestFact fact, Indexes indexes, Map<String, long[]> shapes, String partition) {
        long[] out = new long[2];
        Map<String, List<Node>> hashed = new HashMap<>();
        Map<String, List<Node>> ranged = new HashMap<>();
        List<Node> plain = new ArrayList<>();
        for (Node child : node.children.values()) {
            Constraint.Hash h = child.constraint.hash();
            Constraint.Range r = child.constraint.range();
            Constraint.Prefix x = child.constraint.prefix();
            if (x != null) {
                // hashed on "the constant of this height the value starts with" (PrefixIndex)
                String property =
                        "prefix " + indexes.prefixes().get(x.property()).height(x.value()) + " of " + x.property();
                hashed.computeIfAbsent(property, k -> new ArrayList<>()).add(child);
            } else if (h != null) {
                hashed.computeIfAbsent(h.property(), k -> new ArrayList<>()).add(child);
            } else if (r != null) {
                ranged.computeIfAbsent(r.property(), k -> new ArrayList<>()).add(child);
            } else {
                plain.add(child);
            }
        }
        List<Node> passed = new ArrayList<>();
        for (List<Node> group : ranged.values()) {
            if (group.size() >= Constraint.INDEXED_FROM) {
                out[0]++;
                shapes.computeIfAbsent(
                                partition + "  lookup "
                                        + group.get(0).constraint.range().property() + " > ?",
                                k -> new long[1])[0]++;
                for (Node n : group) {
                    Long v = n.constraint.range().getter().apply(fact);
                    if (v != null && v > n.constraint.range().value()) {
                        passed.add(n);
                    }
                }
            } else {
                plain.addAll(group);
            }
        }
        for (Map.Entry<String, List<Node>> e : hashed.entrySet()) {
            List<Node> group = e.getValue();
            if (group.size() >= Constraint.INDEXED_FROM) {
                out[0]++;
                shapes.computeIfAbsent(
                                partition + "  lookup "
                                        + e.getKey()
                                                .replaceAll("\\[.*\\]", "[?]")
                                                .replaceAll("prefix \\d+", "prefix N"),
                                k -> new long[1])[0]++;
                for (Node n : group) {
                    if (n.constraint.hash() != null
                            ? selected(n.constraint.hash(), fact, indexes)
                            : holds(n.constraint, fact)) {
                        passed.add(n);
                    }
                }
            } else {
                plain.addAll(group);
            }
        }
        for (Node n : plain) {
            out[1]++;
            shapes.computeIfAbsent(partition + "  " + shape(n.constraint.drl()), k -> new long[1])[0]++;
            try {
                if (n.constraint.test().test(fact)) {
                    passed.add(n);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        for (Node n : passed) {
            long[] c = walk(n, fact, indexes, shapes, partition);
            out[0] += c[0];
            out[1] += c[1];
        }
        return out;
    }

    static boolean holds(Constraint c, RequestFact fact) {
        try {
            return c.test().test(fact);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String shape(String drl) {
        String s = drl.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "?").replaceAll("\\b\\d+L?\\b", "N");
        s = s.replaceAll("\\(\\?(, \\?)*\\)", "(?..)");
        return s.length() > 110 ? s.substring(0, 110) + "..." : s;
    }

    static String arg(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
