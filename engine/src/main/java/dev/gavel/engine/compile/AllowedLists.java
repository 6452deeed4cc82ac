package dev.gavel.engine.compile;

import dev.gavel.engine.eval.RequestFact;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The allowed lists of one built-in family (location or flavor) in one knowledge base, so that a request whose
 * value every list allows reaches none of the "not in the allowed list" tests.
 *
 * <p>A location policy's deciding rule is {@code [scope, type, location given, !(allowed list)]} and its
 * missing-field rule {@code [scope, type, location missing]}. The guard is hashed on a derived property whose
 * value is worked out once per request from all the lists of the base: {@code missing} when the request gives
 * no location, {@code allowed} when every list allows it, else {@code denied}. The deciding rules' guard selects
 * {@code denied}, the missing-field rules' {@code missing}. A list that denies the request makes the verdict
 * {@code denied}, so no rule that would fire is cut off; and a request every list allows (most of them) is
 * stopped at the guard, one lookup per scope prefix instead of one test per policy.
 *
 * <p>The verdict uses an inverted index: each entry (a location kind and value, a flavor type or name and type)
 * maps to the lists holding it; a request's entries, or-ed, give the lists that allow it.
 */
public final class AllowedLists {
    static final String MISSING = "missing";
    static final String ALLOWED = "allowed";
    static final String DENIED = "denied";

    private final Function<RequestFact, String> given;
    private final Function<RequestFact, List<List<String>>> requestEntries;
    private final Map<List<String>, long[]> holders;
    private final long[] every;
    /** The key of {@link RequestFact#derived}: one object per base and family. */
    private final Function<RequestFact, String> verdict = this::decide;

    private AllowedLists(
            Function<RequestFact, String> given,
            Function<RequestFact, List<List<String>>> requestEntries,
            Map<List<String>, long[]> holders,
            long[] every) {
        this.given = given;
        this.requestEntries = requestEntries;
        this.holders = holders;
        this.every = every;
    }

    /**
     * The lists of each family of a base's rules, by the property of their guard ({@code location given}); empty
     * when the base has no allowed-list rule.
     */
    public static Map<String, AllowedLists> of(List<CompiledRule> rules) {
        Map<String, Map<Set<List<String>>, Constraint.Listed>> byFamily = new LinkedHashMap<>();
        Map<String, Constraint.Hash> guards = new HashMap<>();
        for (CompiledRule rule : rules) {
            for (Constraint c : rule.constraints()) {
                if (c.listed() != null) {
                    byFamily.computeIfAbsent(c.hash().property(), k -> new LinkedHashMap<>())
                            .putIfAbsent(c.listed().allowed(), c.listed());
                    guards.putIfAbsent(c.hash().property(), c.hash());
                }
            }
        }
        Map<String, AllowedLists> out = new HashMap<>();
        byFamily.forEach((family, lists) -> {
            int count = lists.size();
            long[] every = new long[(count + 63) / 64];
            Map<List<String>, long[]> holders = new HashMap<>();
            int j = 0;
            for (Set<List<String>> list : lists.keySet()) {
                every[j / 64] |= 1L << (j % 64);
                for (List<String> entry : list) {
                    holders.computeIfAbsent(entry, k -> new long[every.length])[j / 64] |= 1L << (j % 64);
                }
                j++;
            }
            Constraint.Listed first = lists.values().iterator().next();
            out.put(family, new AllowedLists(guards.get(family).getter(), first.requestEntries(), holders, every));
        });
        return out;
    }

    /** The getter the guards of this family are hashed on instead of given/missing (computed once per request). */
    Function<RequestFact, String> verdictGetter() {
        return f -> f.derived(verdict);
    }

    /** The value a guard selects: {@code denied} for a deciding rule's "given", {@code missing} for "missing". */
    public static String selected(Constraint.Hash guard) {
        return guard.value().equals(MISSING) ? MISSING : DENIED;
    }

    /** {@code missing}, {@code allowed} (by every list of the base) or {@code denied} (by at least one). */
    public String verdictOf(RequestFact f) {
        return decide(f);
    }

    private String decide(RequestFact f) {
        if (MISSING.equals(given.apply(f))) {
            return MISSING;
        }
        long[] allowing = new long[every.length];
        for (List<String> entry : requestEntries.apply(f)) {
            long[] h = holders.get(entry);
            if (h != null) {
                for (int i = 0; i < h.length; i++) {
                    allowing[i] |= h[i];
                }
            }
        }
        return java.util.Arrays.equals(allowing, every) ? ALLOWED : DENIED;
    }

    /** The entries of a request for the location family: its non-null name, country and continent. */
    static List<List<String>> locationEntries(RequestFact f) {
        List<List<String>> out = new ArrayList<>(3);
        if (f.getLocationName() != null) {
            out.add(List.of("name", f.getLocationName()));
        }
        if (f.getLocationCountry() != null) {
            out.add(List.of("country", f.getLocationCountry()));
        }
        if (f.getLocationContinent() != null) {
            out.add(List.of("continent", f.getLocationContinent()));
        }
        return out;
    }

    /** The entries of a request for the flavor family: its type, and its name with its type. */
    static List<List<String>> flavorEntries(RequestFact f) {
        if (f.getFlavorType() == null) {
            return List.of(); // every entry names a type
        }
        if (f.getFlavorName() == null) {
            return List.of(List.of("type", f.getFlavorType()));
        }
        return List.of(
                List.of("type", f.getFlavorType()), List.of("name", f.getFlavorName(), "type", f.getFlavorType()));
    }
}
