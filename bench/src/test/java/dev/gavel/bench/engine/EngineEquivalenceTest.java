package dev.gavel.bench.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.bench.workload.RequestMix;
import dev.gavel.bench.workload.Workload;
import dev.gavel.bench.workload.WorkloadGenerator;
import dev.gavel.engine.compile.DrlOracle;
import dev.gavel.engine.eval.CircuitBreakers;
import dev.gavel.engine.eval.Evaluation;
import dev.gavel.engine.eval.Request;
import dev.gavel.engine.model.Decision;
import dev.gavel.engine.snapshot.CompileResult;
import dev.gavel.engine.snapshot.PolicySnapshot;
import dev.gavel.engine.snapshot.SnapshotCompiler;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The served engine (executable-model knowledge bases built from Java code) and the DRL rendering of
 * the same partitions compiled by drools-mvel (the engine served before) answer every request of the
 * 1,000-policy benchmark mix identically: decision, matches (policy, scope, rule, effect,
 * enforcement, message, in order) and missing fields.
 */
class EngineEquivalenceTest {

    @Test
    void executable_model_decides_the_whole_benchmark_mix_as_the_drl_oracle() {
        Workload workload = WorkloadGenerator.generate(1_000);
        PolicySnapshot snapshot = ((CompileResult.Compiled)
                        SnapshotCompiler.compile("eq", workload.files(), Optional.empty()))
                .snapshot();
        List<Request> mix = RequestMix.generate(workload, workload.seed(), EvaluationBenchmark.REQUESTS);
        DrlOracle oracle = new DrlOracle();
        List<String> differences = new ArrayList<>();
        Map<Decision, Integer> decisions = new EnumMap<>(Decision.class);
        int matches = 0;
        int missing = 0;
        for (Request request : mix) {
            Evaluation served = snapshot.evaluate(request);
            Evaluation expected = snapshot.evaluate(request, CircuitBreakers.NONE_OPEN, oracle);
            if (!served.equals(expected) && differences.size() < 5) {
                differences.add(request + "\n  served: " + served + "\n  oracle: " + expected);
            }
            decisions.merge(served.decision(), 1, Integer::sum);
            matches += served.matches().size();
            missing += served.missing().size();
        }
        assertThat(differences).isEmpty();
        // The comparison is worth something only if the mix exercises every outcome.
        assertThat(decisions).containsKeys(Decision.values());
        assertThat(matches).isGreaterThan(mix.size() / 5);
        assertThat(missing).isPositive();
    }
}
