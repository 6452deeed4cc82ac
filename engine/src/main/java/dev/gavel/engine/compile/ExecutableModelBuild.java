package dev.gavel.engine.compile;

import static org.drools.model.PatternDSL.alphaIndexedBy;
import static org.drools.model.PatternDSL.declarationOf;
import static org.drools.model.PatternDSL.on;
import static org.drools.model.PatternDSL.pattern;
import static org.drools.model.PatternDSL.rule;

import dev.gavel.engine.eval.RequestFact;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.drools.model.Index;
import org.drools.model.PatternDSL;
import org.drools.model.Variable;
import org.drools.model.functions.Predicate1;
import org.drools.model.impl.ModelImpl;
import org.drools.modelcompiler.KieBaseBuilder;
import org.kie.api.KieBase;
import org.kie.api.KieBaseConfiguration;
import org.kie.api.KieServices;
import org.kie.api.conf.KieBaseMutabilityOption;
import org.kie.internal.conf.AlphaRangeIndexThresholdOption;
import org.kie.internal.conf.AlphaThresholdOption;

/**
 * Builds one immutable knowledge base from generated rules with Drools' executable model, from
 * Java code (PatternDSL): no DRL text is parsed, no MVEL is analysed or jitted, no class is
 * generated. Drools still builds and runs the Rete network; constraints are the compiled
 * predicates of {@link Constraint}.
 *
 * <p>Node sharing: Drools shares an alpha node between rules whose constraints carry the same
 * {@code exprId}. The id is a number given per distinct constraint <em>text</em> (field, operator
 * and value) within this base, so equal ids always mean equal tests (NOTES.md: an id reused for a
 * different test gives wrong answers), and no policy text is used as an identifier.
 */
final class ExecutableModelBuild {
    private ExecutableModelBuild() {}

    static KieBase build(List<CompiledRule> rules) {
        ModelImpl model = new ModelImpl();
        Map<String, String> ids = new HashMap<>();
        Map<String, Integer> properties = new HashMap<>();
        Map<String, PrefixLookup> prefixes = prefixLookups(rules);
        Map<String, Function<RequestFact, String>> verdicts = new HashMap<>();
        Map<String, FamilyVerdict> families = FamilyVerdict.of(rules);
        families.forEach((property, family) -> verdicts.put(property, family.verdictGetter()));
        // In front of every built-in rule, one test shared by all: does any family of this base need a look (a
        // check that holds, a missing field)? Most requests stop there, before the families' own lookups. It is
        // implied by each rule (its family's verdict is flagged or missing when it fires), so the DRL omits it.
        Predicate1<RequestFact> someFamilyNeedsALook = FamilyVerdict.someNeedsALook(families);
        for (int i = 0; i < rules.size(); i++) {
            Variable<RequestFact> fact = declarationOf(RequestFact.class);
            PatternDSL.PatternDef<RequestFact> p = pattern(fact);
            List<Constraint> constraints = rules.get(i).constraints();
            if (!constraints.isEmpty()
                    && constraints.get(0).familyGuard()
                    && families.containsKey(constraints.get(0).hash().property())) {
                // (a family with no deciding rule in this base has no verdict: its guards stay given/missing)
                p = p.expr(FamilyVerdict.SOME_NEEDS_A_LOOK, someFamilyNeedsALook);
            }
            for (Constraint c : constraints) {
                String id = ids.computeIfAbsent(c.drl(), k -> "c" + ids.size());
                Constraint.Hash h = c.hash();
                Constraint.Range r = c.range();
                Constraint.Prefix x = c.prefix();
                if (x != null) {
                    // Hashed on the derived property "the constant of height h the value starts with" (PrefixIndex).
                    PrefixLookup lookup = prefixes.get(x.property());
                    int height = lookup.index().height(x.value());
                    int property = properties.computeIfAbsent(
                            "prefix " + height + " of " + x.property(), k -> properties.size());
                    p = p.expr(
                            id,
                            c.test(),
                            alphaIndexedBy(
                                    String.class,
                                    Index.ConstraintType.EQUAL,
                                    property,
                                    f -> PrefixIndex.at(f.derived(lookup.matching()), height),
                                    x.value()));
                } else if (h != null) {
                    int property = properties.computeIfAbsent(h.property(), k -> properties.size());
                    // A built-in family's given/missing guard is hashed on the family's verdict (FamilyVerdict): a
                    // deciding rule's guard selects "flagged", a missing-field rule's "missing".
                    Function<RequestFact, String> verdict = verdicts.get(h.property());
                    p = p.expr(
                            id,
                            c.test(),
                            verdict == null
                                    ? alphaIndexedBy(
                                            String.class,
                                            Index.ConstraintType.EQUAL,
                                            property,
                                            h.getter()::apply,
                                            h.value())
                                    : alphaIndexedBy(
                                            String.class,
                                            Index.ConstraintType.EQUAL,
                                            property,
                                            verdict::apply,
                                            FamilyVerdict.selected(h)));
                } else if (r != null) {
                    int property = properties.computeIfAbsent(r.property(), k -> properties.size());
                    p = p.expr(
                            id,
                            c.test(),
                            alphaIndexedBy(
                                    Long.class,
                                    Index.ConstraintType.GREATER_THAN,
                                    property,
                                    r.getter()::apply,
                                    r.value()));
                } else {
                    p = p.expr(id, c.test());
                }
            }
            int number = i;
            model.addRule(rule("gavel.rules", "r" + i).build(p, on(fact).execute(f -> f.hit(number))));
        }
        KieBaseConfiguration conf = KieServices.get().newKieBaseConfiguration();
        // Immutable bases skip the locks a mutable one takes on every session (NOTES.md).
        conf.setOption(KieBaseMutabilityOption.DISABLED);
        // Index sibling alpha nodes from 2 on one property (Drools: hashed from 3, range-indexed from 9): behind the
        // scope prefix, a request meets many small groups of siblings, and a lookup costs less than evaluating two.
        conf.setOption(AlphaThresholdOption.get(Constraint.INDEXED_FROM));
        conf.setOption(AlphaRangeIndexThresholdOption.get(Constraint.INDEXED_FROM));
        return KieBaseBuilder.createKieBaseFromModel(model, conf);
    }

    /**
     * A base's {@code startsWith} constants on one property and how a request's matches are worked out: once per
     * request ({@code matching} is the key of {@link RequestFact#derived}), then read by every alpha node.
     */
    private record PrefixLookup(PrefixIndex index, Function<RequestFact, String[]> matching) {}

    private static Map<String, PrefixLookup> prefixLookups(List<CompiledRule> rules) {
        Map<String, List<Constraint.Prefix>> byProperty = new HashMap<>();
        for (CompiledRule rule : rules) {
            for (Constraint c : rule.constraints()) {
                if (c.prefix() != null) {
                    byProperty
                            .computeIfAbsent(c.prefix().property(), k -> new ArrayList<>())
                            .add(c.prefix());
                }
            }
        }
        Map<String, PrefixLookup> out = new HashMap<>();
        byProperty.forEach((property, tests) -> {
            PrefixIndex index =
                    PrefixIndex.of(tests.stream().map(Constraint.Prefix::value).toList());
            Function<RequestFact, String> getter = tests.get(0).getter();
            out.put(property, new PrefixLookup(index, f -> index.matching(getter.apply(f))));
        });
        return out;
    }
}
