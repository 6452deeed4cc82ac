package dev.gavel.engine.compile;

import dev.gavel.engine.eval.RequestFact;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Whether any deciding rule of one built-in family (a location or flavor allowed list, a token limit, the token
 * ratio) in one knowledge base may fire for a request, worked out once per request: so that a request no such
 * rule can fire for (most of them) reaches none of the family's rules.
 *
 * <p>A built-in policy's rules start with the family's guard: its deciding rule
 * {@code [location given, scope..., type, !(allowed list)]}, its missing-field rule
 * {@code [location missing, scope..., type]}. The knowledge base hashes the guard not on given/missing but on
 * this verdict: {@code missing} when the request lacks the field, {@code flagged} when at least one deciding
 * check of the family in the base holds, else {@code clear}. Deciding rules' guards select {@code flagged},
 * missing-field rules' {@code missing}. A deciding rule fires only when its own check holds, and then the
 * verdict is {@code flagged}: no rule that would fire is cut off. A {@code clear} request stops at one lookup
 * per family and partition, however many policies of the family apply to it.
 *
 * <p>The checks: an allowed list denies when none of the request's entries (its location name, country and
 * continent; its flavor type, and name with type) is in it, found with an inverted index from entries to the
 * lists holding them; a limit {@code field > n} holds for some limit when the value is above the smallest; the
 * ratio {@code input > r * output} is tried for each distinct {@code r} of the base.
 */
public final class FamilyVerdict {
    static final String MISSING = "missing";
    static final String CLEAR = "clear";
    static final String FLAGGED = "flagged";

    private final Function<RequestFact, String> given;
    private final Predicate<RequestFact> someCheckHolds;
    /** The key of {@link RequestFact#derived}: one object per base and family. */
    private final Function<RequestFact, String> verdict = this::decide;

    private FamilyVerdict(Function<RequestFact, String> given, Predicate<RequestFact> someCheckHolds) {
        this.given = given;
        this.someCheckHolds = someCheckHolds;
    }

    /** The verdicts of a base's families, by the property of their guard ({@code location given}); may be empty. */
    public static Map<String, FamilyVerdict> of(List<CompiledRule> rules) {
        Map<String, List<Constraint.Check>> checks = new LinkedHashMap<>();
        Map<String, Constraint.Hash> guards = new HashMap<>();
        for (CompiledRule rule : rules) {
            for (Constraint c : rule.constraints()) {
                if (c.check() != null) {
                    checks.computeIfAbsent(c.hash().property(), k -> new ArrayList<>())
                            .add(c.check());
                    guards.putIfAbsent(c.hash().property(), c.hash());
                }
            }
        }
        Map<String, FamilyVerdict> out = new HashMap<>();
        checks.forEach((family, list) ->
                out.put(family, new FamilyVerdict(guards.get(family).getter(), someCheckHolds(list))));
        return out;
    }

    private static Predicate<RequestFact> someCheckHolds(List<Constraint.Check> checks) {
        Constraint.Check first = checks.get(0);
        if (!checks.stream().allMatch(c -> c.getClass() == first.getClass())) {
            throw new IllegalStateException("one family, one kind of check");
        }
        if (first instanceof Constraint.Check.AllowedList list) {
            return allowedLists(
                    checks.stream()
                            .map(c -> ((Constraint.Check.AllowedList) c).entries())
                            .toList(),
                    list.requestEntries());
        }
        if (first instanceof Constraint.Check.Limit limit) {
            long smallest = checks.stream()
                    .mapToLong(c -> ((Constraint.Check.Limit) c).limit())
                    .min()
                    .orElseThrow();
            Function<RequestFact, Long> value = limit.value();
            return f -> {
                Long v = value.apply(f);
                return v != null && v > smallest;
            };
        }
        long[] ratios = checks.stream()
                .mapToLong(c -> ((Constraint.Check.Ratio) c).ratio())
                .distinct()
                .toArray();
        return f -> {
            Long input = f.getTokensInput();
            Long output = f.getTokensOutput();
            if (input == null || output == null) {
                return false;
            }
            for (long r : ratios) {
                if (input > r * output) { // the deciding rule's own test, overflow included
                    return true;
                }
            }
            return false;
        };
    }

    /**
     * Whether some list denies: the lists holding none of the request's entries (inverted index, bit sets). The
     * index is a tree of maps keyed by the entries' parts, so a lookup hashes the request's own strings and
     * allocates nothing (up to 64 lists in a base's family: one {@code long}).
     */
    private static Predicate<RequestFact> allowedLists(List<Set<List<String>>> all, List<RequestEntry> requestEntries) {
        List<Set<List<String>>> lists = new ArrayList<>(new LinkedHashSet<>(all));
        long[] every = new long[(lists.size() + 63) / 64];
        EntryNode root = new EntryNode();
        for (int j = 0; j < lists.size(); j++) {
            every[j / 64] |= 1L << (j % 64);
            for (List<String> entry : lists.get(j)) {
                EntryNode node = root;
                for (String part : entry) {
                    node = node.next.computeIfAbsent(part, k -> new EntryNode());
                }
                if (node.lists == null) {
                    node.lists = new long[every.length];
                }
                node.lists[j / 64] |= 1L << (j % 64);
            }
        }
        RequestEntry[] entries = requestEntries.toArray(RequestEntry[]::new);
        if (every.length == 1) {
            long all64 = every[0];
            return f -> {
                long allowing = 0;
                for (RequestEntry entry : entries) {
                    EntryNode node = entry.find(root, f);
                    if (node != null && node.lists != null) {
                        allowing |= node.lists[0];
                    }
                }
                return allowing != all64;
            };
        }
        return f -> {
            long[] allowing = new long[every.length];
            for (RequestEntry entry : entries) {
                EntryNode node = entry.find(root, f);
                if (node != null && node.lists != null) {
                    for (int i = 0; i < node.lists.length; i++) {
                        allowing[i] |= node.lists[i];
                    }
                }
            }
            return !java.util.Arrays.equals(allowing, every);
        };
    }

    /** A node of the entries' tree: the lists holding the entry that ends here, and the longer entries. */
    private static final class EntryNode {
        final Map<String, EntryNode> next = new HashMap<>();
        long[] lists;
    }

    /**
     * One entry a request may have, in the allowed lists' form: labels, each followed by a value of the request
     * ({@code name <flavor name> type <flavor type>}); the request lacks the entry when one of its values is null.
     */
    public record RequestEntry(List<String> labels, List<Function<RequestFact, String>> values) {
        public RequestEntry {
            labels = List.copyOf(labels);
            values = List.copyOf(values);
            if (labels.size() != values.size()) {
                throw new IllegalArgumentException("one value per label");
            }
        }

        /** The tree's node of this entry of {@code f}, or null when {@code f} lacks it or no list holds it. */
        private EntryNode find(EntryNode root, RequestFact f) {
            EntryNode node = root;
            for (int p = 0; p < labels.size() && node != null; p++) {
                String value = values.get(p).apply(f);
                if (value == null) {
                    return null;
                }
                node = node.next.get(labels.get(p));
                if (node != null) {
                    node = node.next.get(value);
                }
            }
            return node;
        }
    }

    /** The id of the test in front of every built-in rule of a base (no constraint text is an id: they are c<n>). */
    static final String SOME_NEEDS_A_LOOK = "someFamilyNeedsALook";

    /**
     * Whether the verdict of any of {@code families} (a base's) is not {@code clear}: true whenever a built-in
     * rule of the base can fire. Computed once per request and base.
     */
    public static org.drools.model.functions.Predicate1<RequestFact> someNeedsALook(
            Map<String, FamilyVerdict> families) {
        FamilyVerdict[] all = families.values().toArray(FamilyVerdict[]::new);
        Function<RequestFact, Boolean> compute = f -> {
            for (FamilyVerdict family : all) {
                if (!CLEAR.equals(f.derived(family.verdict))) {
                    return true;
                }
            }
            return false;
        };
        return f -> f.derived(compute);
    }

    /** The getter the guards of this family are hashed on instead of given/missing (computed once per request). */
    Function<RequestFact, String> verdictGetter() {
        return f -> f.derived(verdict);
    }

    /** The value a guard selects: {@code flagged} for a deciding rule's "given", {@code missing} for "missing". */
    public static String selected(Constraint.Hash guard) {
        return guard.value().equals(MISSING) ? MISSING : FLAGGED;
    }

    /** {@code missing}, {@code clear} (no deciding check of the family holds) or {@code flagged}. */
    public String verdictOf(RequestFact f) {
        return decide(f);
    }

    private String decide(RequestFact f) {
        if (MISSING.equals(given.apply(f))) {
            return MISSING;
        }
        return someCheckHolds.test(f) ? FLAGGED : CLEAR;
    }

    /** The entries of a request for the location family: its name, country and continent. */
    static final List<RequestEntry> LOCATION_ENTRIES = List.of(
            new RequestEntry(List.of("name"), List.of(RequestFact::getLocationName)),
            new RequestEntry(List.of("country"), List.of(RequestFact::getLocationCountry)),
            new RequestEntry(List.of("continent"), List.of(RequestFact::getLocationContinent)));

    /** The entries of a request for the flavor family: its type, and its name with its type (every entry names a type). */
    static final List<RequestEntry> FLAVOR_ENTRIES = List.of(
            new RequestEntry(List.of("type"), List.of(RequestFact::getFlavorType)),
            new RequestEntry(List.of("name", "type"), List.of(RequestFact::getFlavorName, RequestFact::getFlavorType)));
}
