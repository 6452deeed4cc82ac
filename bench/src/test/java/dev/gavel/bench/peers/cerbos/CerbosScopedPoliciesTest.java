package dev.gavel.bench.peers.cerbos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.bench.peers.FlatPolicy;
import dev.gavel.bench.peers.FlatRepository;
import dev.gavel.bench.workload.RequestMix;
import dev.gavel.bench.workload.Workload;
import dev.gavel.bench.workload.WorkloadGenerator;
import dev.gavel.engine.eval.Request;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scoped Cerbos translation keeps every rule of the flat one, each in the policy of the scope that
 * defines it, with the ancestor chain Cerbos requires; decisions are checked against the real server by
 * {@code CerbosEquivalence ... scoped} (docs/peers.md), which needs the binary and so is not a CI test.
 */
class CerbosScopedPoliciesTest {
    static Workload workload;
    static FlatRepository repository;

    @BeforeAll
    static void generate() {
        workload = WorkloadGenerator.generate(100);
        repository = FlatRepository.of(workload);
    }

    @Test
    void every_rule_of_the_flat_translation_sits_once_in_the_policy_of_its_own_scope() {
        Map<String, String> scopeOfRule = new HashMap<>();
        for (FlatPolicy p : repository.policies()) {
            for (FlatPolicy.Rule r : p.rules()) {
                scopeOfRule.put(r.id(), CerbosScopedPolicies.scope(p.definedAt()));
            }
        }
        for (String kind : CerbosPolicies.KINDS) {
            List<String> flat = ruleNames(CerbosPolicies.resourcePolicy(repository, kind));
            List<String> scoped = new ArrayList<>();
            for (Map.Entry<String, ObjectNode> e :
                    CerbosScopedPolicies.policies(repository, kind).entrySet()) {
                List<String> names = ruleNames(e.getValue());
                for (String name : names) {
                    if (!name.equals("allow-all")) {
                        assertThat(scopeOfRule.get(name)).as(name).isEqualTo(e.getKey());
                    }
                }
                scoped.addAll(names);
            }
            assertThat(scoped).as(kind).containsExactlyInAnyOrderElementsOf(flat);
        }
    }

    @Test
    void every_scoped_policy_has_its_ancestors_and_only_the_root_allows() {
        Map<String, ObjectNode> model = CerbosScopedPolicies.policies(repository, "model");
        assertThat(model.keySet()).contains("").anyMatch(s -> s.split("\\.").length == 4);
        assertThat(ruleNames(model.get(""))).contains("allow-all");
        for (Map.Entry<String, ObjectNode> e : model.entrySet()) {
            String scope = e.getKey();
            JsonNode policy = e.getValue().path("resourcePolicy");
            assertThat(policy.path("scope").asText("")).isEqualTo(scope);
            for (int dot = scope.lastIndexOf('.'); dot > 0; dot = scope.lastIndexOf('.', dot - 1)) {
                assertThat(model).containsKey(scope.substring(0, dot));
            }
            for (JsonNode rule : policy.path("rules")) {
                if (rule.path("effect").asText().equals("EFFECT_ALLOW")) {
                    assertThat(scope).as(rule.toString()).isEmpty(); // an allow below would end the walk up
                }
                // the scope is the policy's: a rule tests the path only to step out of a deeper override
                String expr = rule.path("condition").path("match").path("expr").asText();
                assertThat(expr.replace("!R.attr.path.startsWith(", "")).doesNotContain("R.attr.path.startsWith(");
            }
        }
    }

    @Test
    void a_check_names_the_request_scope() {
        List<Request> mix = RequestMix.generate(workload, workload.seed(), 50);
        ObjectNode body = CerbosScopedPolicies.checkRequest(mix);
        for (int i = 0; i < mix.size(); i++) {
            assertThat(body.path("resources")
                            .path(i)
                            .path("resource")
                            .path("scope")
                            .asText(""))
                    .isEqualTo(String.join(".", mix.get(i).scope()));
        }
        assertThatThrownBy(() -> CerbosScopedPolicies.scope(List.of("tenant", "a b")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<String> ruleNames(ObjectNode policy) {
        List<String> names = new ArrayList<>();
        policy.path("resourcePolicy")
                .path("rules")
                .forEach(r -> names.add(r.path("name").asText()));
        return names;
    }
}
