package dev.gavel.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gavel.bench.workload.RequestMix;
import dev.gavel.bench.workload.Workload;
import dev.gavel.bench.workload.WorkloadGenerator;
import dev.gavel.engine.eval.Request;
import dev.gavel.engine.model.Enforcement;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The in-process peers decide every request of a 2,000-request mix over 100 policies as Gavel does. */
class EquivalenceTest {
    static Workload workload;
    static FlatRepository repository;
    static List<Request> mix;

    @BeforeAll
    static void generate() {
        workload = WorkloadGenerator.generate(100);
        repository = FlatRepository.of(workload);
        mix = RequestMix.generate(workload, workload.seed(), 2_000);
    }

    @Test
    void flattening_keeps_one_entry_per_policy_file_and_every_outcome_occurs() {
        assertThat(repository.policies()).hasSize(workload.policies().size());
        Equivalence.Report report = Equivalence.check(repository, new FlatReference(repository), mix, 5)
                .require();
        assertThat(report.outcomes()).containsKeys(Outcome.values()); // the check compares all four outcomes
    }

    @ParameterizedTest
    @ValueSource(strings = {"cedar", "jcasbin", "easyrules"})
    void peer_agrees_with_gavel_on_the_mix(String name) {
        try (Peer peer = Peers.create(name, repository)) {
            Equivalence.Report report = Equivalence.check(repository, peer, mix, 5);
            assertThat(report.disagreements()).as(report.toString()).isEmpty();
            assertThat(report.compared()).isEqualTo(mix.size());
        }
    }

    /** A translation that drops the warn/deny distinction must be caught, or the check proves nothing. */
    @Test
    void a_wrong_translation_is_reported() {
        List<FlatPolicy> blockEverything = repository.policies().stream()
                .map(p -> new FlatPolicy(
                        p.id(),
                        p.name(),
                        p.file(),
                        p.definedAt(),
                        p.overriddenAt(),
                        Enforcement.BLOCK,
                        p.resourceTypes(),
                        p.rules().stream()
                                .map(r -> new FlatPolicy.Rule(
                                        r.id(),
                                        r.name(),
                                        r.reportsMissing(),
                                        r.effect(),
                                        r.when(),
                                        FlatPolicy.outcomeOf(
                                                r.reportsMissing(),
                                                dev.gavel.engine.model.Effect.DENY,
                                                Enforcement.BLOCK)))
                                .toList()))
                .toList();
        FlatRepository wrong = new FlatRepository(repository.gavel(), blockEverything);
        try (Peer peer = Peers.create("easyrules", wrong)) {
            Equivalence.Report report = Equivalence.check(repository, peer, mix, 3);
            assertThat(report.agrees()).isFalse();
            assertThat(report.disagreements()).hasSize(3);
            assertThatThrownBy(report::require).hasMessageContaining("DISAGREES");
        }
    }

    @Test
    void like_patterns_cover_what_the_generator_writes() {
        LikePatterns p = LikePatterns.of("svc-7-(canary|beta)[0-9]*");
        assertThat(p.alternatives())
                .containsExactly(
                        java.util.Arrays.asList("svc-7-canary", null), java.util.Arrays.asList("svc-7-beta", null));
        assertThat(p.exact()).isFalse();
        assertThat(LikePatterns.of("gpt-.*").exact()).isTrue();
        assertThatThrownBy(() -> LikePatterns.of("a+b")).isInstanceOf(UnsupportedOperationException.class);
    }
}
