package dev.gavel.engine.compile;

import dev.gavel.engine.eval.RequestFact;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.drools.model.functions.Predicate1;

/**
 * One constraint of a generated rule's single {@code RequestFact} pattern, in the two forms the
 * engine has: a compiled Java predicate (what the executable-model knowledge base evaluates) and
 * its DRL text (only for people, {@code gavel compile --drl}, and for the drools-mvel oracle the
 * tests compare decisions with). Both are generated from the same checked condition AST.
 *
 * @param drl the DRL text: field names from a whitelist, escaped literals; doubles as the
 *     constraint's identity (equal text means equal test), never handed to Drools as a name
 * @param test the predicate; typed constants are captured as values, never as text
 * @param hash when the constraint is {@code property == "constant"} on a typed property, how the
 *     alpha network hashes it; null otherwise
 * @param range when the constraint is {@code property > n} on an integer property; null otherwise
 * @param prefix when the constraint is {@code startsWith(property, "constant")} on a string property;
 *     null otherwise
 */
public record Constraint(String drl, Predicate1<RequestFact> test, Hash hash, Range range, Prefix prefix, Check check) {
    /**
     * From how many sibling alpha nodes on one property a knowledge base hashes (or range-indexes) them
     * instead of evaluating each (Drools' defaults: 3 and 9; a threshold of 1 fails in Drools 10.2's
     * {@code CompositeObjectSinkAdapter.hashSinks}).
     */
    public static final int INDEXED_FROM = 2;

    public Constraint {
        Objects.requireNonNull(drl);
        Objects.requireNonNull(test);
    }

    public Constraint(String drl, Predicate1<RequestFact> test, Hash hash) {
        this(drl, test, hash, null, null, null);
    }

    public Constraint(String drl, Predicate1<RequestFact> test, Hash hash, Range range, Prefix prefix) {
        this(drl, test, hash, range, prefix, null);
    }

    /** This guard, marked as the one of a deciding rule that makes {@code check} after it. */
    Constraint checking(Check check) {
        return new Constraint(drl, test, hash, range, prefix, check);
    }

    /** Whether Drools can select this constraint's node among its siblings without evaluating it. */
    public boolean indexed() {
        return hash != null || range != null || prefix != null;
    }

    /**
     * An equality on a typed string property, which Drools indexes in a hash table of the sibling
     * alpha nodes on that property: only the rules for the request's value are visited.
     *
     * @param property the property's name ({@code scope1}, {@code resourceType}, {@code labels[team]}, ...):
     *     siblings on the same property share one hash table; numbered per knowledge base
     */
    public record Hash(String property, Function<RequestFact, String> getter, String value) {}

    /**
     * A comparison {@code property > constant} on an integer property, which Drools keeps in a range
     * index of the sibling alpha nodes on that property (from {@link #INDEXED_FROM} of them): only the nodes whose limit is
     * below the request's value are visited. A missing value (null) reaches none, as the predicate says.
     */
    public record Range(String property, Function<RequestFact, Long> getter, long value) {}

    /**
     * A test {@code startsWith(property, "constant")} on a string property. A value can start with several
     * constants, so it cannot be hashed as it is; the knowledge base turns it into a hashed equality on one of
     * a few derived properties ({@link PrefixIndex}): the constants of a base that start the request's value
     * are worked out once per request, and each is the value of the derived property of its height.
     *
     * @param property the string property's name ({@code resourceName}, {@code labels[team]}, ...)
     */
    public record Prefix(String property, Function<RequestFact, String> getter, String value) {}

    /**
     * On the "given" guard of a built-in policy's deciding rule: the check the rule makes after it, so that the
     * knowledge base can hash the guard on whether any check of the family holds ({@link FamilyVerdict}). Not
     * part of the constraint's identity: the guard's test and text are the family's.
     */
    public sealed interface Check {
        /**
         * The rule denies what its allowed list does not hold.
         *
         * @param entries the list's entries ({@code [country, IE]}, {@code [name, l4, type, gpu]})
         * @param requestEntries a request's entries in the same form
         */
        record AllowedList(Set<List<String>> entries, List<FamilyVerdict.RequestEntry> requestEntries)
                implements Check {
            public AllowedList {
                entries = Set.copyOf(entries);
                requestEntries = List.copyOf(requestEntries);
            }
        }

        /** The rule denies {@code value > limit}. */
        record Limit(Function<RequestFact, Long> value, long limit) implements Check {}

        /** The rule denies {@code tokensInput > ratio * tokensOutput}. */
        record Ratio(long ratio) implements Check {}
    }

    /** The suffix of a built-in family's guard property ({@code location given}): such guards lead their rules. */
    public static final String GIVEN = " given";

    /** Whether this is a built-in family's given/missing guard, which a rule starts with. */
    public boolean familyGuard() {
        return hash != null && hash.property().endsWith(GIVEN);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Constraint c && c.drl.equals(drl);
    }

    @Override
    public int hashCode() {
        return drl.hashCode();
    }

    @Override
    public String toString() {
        return drl;
    }
}
