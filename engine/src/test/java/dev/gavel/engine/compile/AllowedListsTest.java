package dev.gavel.engine.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.engine.eval.CircuitBreakers;
import dev.gavel.engine.eval.Evaluation;
import dev.gavel.engine.eval.Request;
import dev.gavel.engine.snapshot.CompileResult;
import dev.gavel.engine.snapshot.PolicySnapshot;
import dev.gavel.engine.snapshot.SnapshotCompiler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Hashing the allowed-list guards on the verdict of all of a base's lists ({@link AllowedLists}) cuts off no
 * rule that would fire: with overlapping lists, partial locations and flavors, and missing ones, the served
 * engine decides exactly as the DRL oracle, whose rules have no such guard; and the verdict is "allowed" only
 * when every list allows.
 */
class AllowedListsTest {
    private static final String[] LOCATION_LISTS = {
        "[{name: EU, type: continent}]",
        "[{name: EU, type: continent}, {name: JP, type: country}]",
        "[{name: eu-west-1, type: location}, {name: US, type: country}]",
        "[{name: IE, type: country}, {name: AS, type: continent}]",
    };
    private static final String[] FLAVOR_LISTS = {
        "[{type: cpu}]",
        "[{type: cpu}, {name: l4, type: gpu}]",
        "[{type: gpu}]",
        "[{name: b200, type: gpu}, {name: l4, type: cpu}]",
    };

    private static PolicySnapshot snapshot() {
        Map<String, byte[]> files = new TreeMap<>();
        for (int i = 0; i < LOCATION_LISTS.length; i++) {
            files.put("policies/where-" + i + ".yaml", policy("where-" + i, "location", LOCATION_LISTS[i]));
            files.put("policies/flavors-" + i + ".yaml", policy("flavors-" + i, "flavor", FLAVOR_LISTS[i]));
        }
        CompileResult r = SnapshotCompiler.compile("c1", files);
        assertThat(r).as("diagnostics: %s", r.diagnostics()).isInstanceOf(CompileResult.Compiled.class);
        return ((CompileResult.Compiled) r).snapshot();
    }

    private static byte[] policy(String name, String type, String allowed) {
        return ("apiVersion: gavel/v1\nkind: Policy\nmetadata: {name: " + name + "}\nspec:\n  type: " + type
                        + "\n  enforcement: block\n  settings:\n    allowed: " + allowed + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theServedEngineDecidesAsTheOracleOnEveryCombinationOfLocationAndFlavorFields() {
        PolicySnapshot snap = snapshot();
        DrlOracle oracle = new DrlOracle();
        int denied = 0;
        int missing = 0;
        int locatedAndAllowedByEveryLocationList = 0;
        for (String name : Arrays.asList("eu-west-1", "ap-1", null)) {
            for (String country : Arrays.asList("IE", "JP", "US", null)) {
                for (String continent : Arrays.asList("EU", "AS", null)) {
                    for (String flavorName : Arrays.asList("l4", "b200", null)) {
                        for (String flavorType : Arrays.asList("cpu", "gpu", "tpu", null)) {
                            Request r = new Request(
                                    List.of(),
                                    new Request.Resource("model", "n", Map.of()),
                                    "invoke",
                                    new Request.Location(name, country, continent),
                                    new Request.Flavor(flavorName, flavorType),
                                    Request.Tokens.NONE,
                                    Map.of());
                            Evaluation served = snap.evaluate(r);
                            assertThat(served)
                                    .as("%s", r)
                                    .isEqualTo(snap.evaluate(r, CircuitBreakers.NONE_OPEN, oracle));
                            denied += served.matches().size();
                            missing += served.missing().size();
                            if ((name != null || country != null || continent != null)
                                    && served.matches().stream()
                                            .noneMatch(m -> m.policy().startsWith("where-"))) {
                                locatedAndAllowedByEveryLocationList++;
                            }
                        }
                    }
                }
            }
        }
        assertThat(denied).isPositive();
        assertThat(missing).isPositive();
        assertThat(locatedAndAllowedByEveryLocationList).isPositive();
    }

    @Test
    void theVerdictIsAllowedOnlyWhenEveryListAllows() {
        PolicySnapshot snap = snapshot();
        Map<String, AllowedLists> lists =
                AllowedLists.of(snap.partitions().get("").compiled());
        assertThat(lists).containsOnlyKeys("location given", "flavor given");
        AllowedLists locations = lists.get("location given");
        List<String> verdicts = new ArrayList<>();
        for (Request.Location l : List.of(
                new Request.Location("eu-west-1", "IE", "EU"), // every list
                new Request.Location(null, "IE", "EU"), // not the third
                new Request.Location(null, null, null),
                new Request.Location("eu-west-1", "US", "AS"))) { // every list but the first
            verdicts.add(locations.verdictOf(new dev.gavel.engine.eval.RequestFact(new Request(
                    List.of(), Request.Resource.NONE, null, l, Request.Flavor.NONE, Request.Tokens.NONE, Map.of()))));
        }
        assertThat(verdicts).containsExactly("allowed", "denied", "missing", "denied");
    }
}
