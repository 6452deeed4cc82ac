package dev.gavel.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.engine.compile.CompiledPartition;
import dev.gavel.engine.compile.CompiledRule;
import dev.gavel.engine.compile.ConstraintCompiler;
import dev.gavel.engine.compile.DrlOracle;
import dev.gavel.engine.compile.TestRuleRefs;
import dev.gavel.engine.eval.Request;
import dev.gavel.engine.eval.RequestFact;
import java.util.BitSet;
import java.util.List;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * The served engine (conditions compiled to Java predicates, knowledge bases built with the
 * executable model) agrees with the reference interpreter and with the DRL rendering of the same
 * rules compiled by drools-mvel (the oracle), on random conditions and requests.
 */
class ExecutableModelPropertyTest {

    @Property(tries = 3000)
    @Label("a compiled condition is true exactly when the reference interpreter says so")
    void predicatesAgreeWithInterpreter(@ForAll("conditions") Expr condition, @ForAll("requests") Request request) {
        RequestFact fact = new RequestFact(request);
        boolean all = ConstraintCompiler.constraints(condition).stream().allMatch(c -> {
            try {
                return c.test().test(fact);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertThat(all)
                .as(ExprPrinter.print(condition) + " on " + request)
                .isEqualTo(ExprInterpreter.eval(condition, request));
    }

    @Property(tries = 4, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    @Label("the executable-model knowledge base and the DRL oracle fire exactly the same rules")
    void executableModelAgreesWithDrlOracle(
            @ForAll("batches") List<Expr> conditions, @ForAll("requestBatches") List<Request> requests) {
        List<CompiledRule> rules = IntStream.range(0, conditions.size())
                .mapToObj(i -> new CompiledRule(
                        ConstraintCompiler.constraints(conditions.get(i)), TestRuleRefs.blockingDeny("p" + i)))
                .toList();
        CompiledPartition partition = CompiledPartition.build("", rules);
        DrlOracle oracle = new DrlOracle();
        int fired = 0;
        for (Request request : requests) {
            BitSet served = fire(partition, request, false, oracle);
            BitSet drl = fire(partition, request, true, oracle);
            assertThat(served).as("served vs DRL oracle for " + request).isEqualTo(drl);
            assertThat(served)
                    .as("served vs interpreter for " + request)
                    .isEqualTo(DroolsHarness.expected(conditions, request));
            fired += served.cardinality();
        }
        partition.close();
        assertThat(fired).isPositive();
    }

    private static BitSet fire(CompiledPartition partition, Request request, boolean drl, DrlOracle oracle) {
        RequestFact fact = new RequestFact(request);
        if (drl) {
            oracle.fire(partition, fact);
        } else {
            partition.fire(fact);
        }
        BitSet out = new BitSet();
        for (int hit : fact.takeHits()) {
            out.set(hit);
        }
        return out;
    }

    @Provide
    Arbitrary<Expr> conditions() {
        return Generators.conditions(4);
    }

    @Provide
    Arbitrary<Request> requests() {
        return Generators.requests();
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
