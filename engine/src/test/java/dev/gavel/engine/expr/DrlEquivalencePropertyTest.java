package dev.gavel.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.engine.eval.Request;
import java.util.BitSet;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

class DrlEquivalencePropertyTest {

    @Property(tries = 2000)
    @Label("printing a condition and parsing it back gives the same condition")
    void printThenParseIsIdentity(@ForAll("conditions") Expr condition) {
        String text = ExprPrinter.print(condition);
        assertThat(Asts.strip(Asts.parse(text))).as(text).isEqualTo(condition);
    }

    @Property(tries = 4, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    @Label("Drools fires exactly the rules whose condition the reference interpreter finds true")
    void droolsAgreesWithInterpreter(
            @ForAll("batches") List<Expr> conditions, @ForAll("requestBatches") List<Request> requests) {
        List<Expr> reparsed =
                conditions.stream().map(c -> Asts.parse(ExprPrinter.print(c))).toList();
        DroolsHarness drools = DroolsHarness.build(reparsed);
        for (Request request : requests) {
            BitSet expected = DroolsHarness.expected(reparsed, request);
            BitSet fired = drools.fired(request);
            if (!fired.equals(expected)) {
                BitSet wrong = (BitSet) fired.clone();
                wrong.xor(expected);
                int first = wrong.nextSetBit(0);
                Expr culprit = reparsed.get(first);
                throw new AssertionError("rule r" + first + " " + (expected.get(first) ? "did not fire" : "fired")
                        + " for " + request + "\ncondition: " + ExprPrinter.print(culprit)
                        + "\nDRL: " + DrlConstraintWriter.pattern(culprit));
            }
        }
        // The batch is worth something only if conditions both match and miss.
        assertThat(requests.stream()
                        .mapToInt(r -> DroolsHarness.expected(reparsed, r).cardinality())
                        .sum())
                .isPositive();
    }

    @Provide
    Arbitrary<Expr> conditions() {
        return Generators.conditions(4);
    }

    @Provide
    Arbitrary<List<Expr>> batches() {
        return Generators.conditions(3).list().ofSize(200);
    }

    @Provide
    Arbitrary<List<Request>> requestBatches() {
        return Generators.requests().list().ofSize(50);
    }
}
