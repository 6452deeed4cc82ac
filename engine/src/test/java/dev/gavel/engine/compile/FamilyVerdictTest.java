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
 * Hashing the built-in families' guards on the verdict of all of a base's checks ({@link FamilyVerdict}) cuts
 * off no rule that would fire: with overlapping allowed lists, partial and missing locations and flavors, token
 * counts around several limits and ratios, the served engine decides exactly as the DRL oracle, whose rules
 * have no such verdict; and the verdict is "clear" only when no check of the family holds.
 */
class FamilyVerdictTest {
    private static final String[] LOCATION_LISTS = {
        "[{name: EU, type: continent}]",
        "[{name: EU, type: continent}, {name: JP, type: country}]",
        "[{name: eu-west-1, type: location}, {name: US, type: country}]",
        "[{name: IE, type: country}, {name: AS, type: continent}]",
    };
    private static final String[] TOKEN_LIMITS = {
        "{input: 100, ratioInputOverOutput: 2}",
        "{input: 50, output: 20, total: 300}",
        "{total: 120, ratioInputOverOutput: 5}",
        "{output: 10}",
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
            files.put(
                    "policies/tokens-" + i + ".yaml",
                    ("apiVersion: gavel/v1\nkind: Policy\nmetadata: {name: tokens-" + i
                                    + "}\nspec:\n  type: maxTokens\n  enforcement: block\n  settings: "
                                    + TOKEN_LIMITS[i]
                                    + "\n")
                            .getBytes(StandardCharsets.UTF_8));
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

    /** Counts around the limits (50, 100 / 10, 20 / 120, 300) and ratios (2, 5), missing ones, an output of 0. */
    private static final List<Request.Tokens> TOKENS = List.of(
            new Request.Tokens(10L, 10L, 20L),
            new Request.Tokens(60L, 30L, 90L),
            new Request.Tokens(101L, 60L, 161L),
            new Request.Tokens(40L, 5L, 45L),
            new Request.Tokens(30L, 0L, 30L),
            new Request.Tokens(null, 15L, null),
            new Request.Tokens(50L, null, 301L),
            Request.Tokens.NONE,
            new Request.Tokens(0L, 0L, 0L),
            new Request.Tokens(11L, 21L, 121L),
            new Request.Tokens(Long.MAX_VALUE, Long.MAX_VALUE / 3, null));

    @Test
    void theServedEngineDecidesAsTheOracleOnLocationsFlavorsAndTokens() {
        PolicySnapshot snap = snapshot();
        DrlOracle oracle = new DrlOracle();
        int tokens = 0;
        int denied = 0;
        int missing = 0;
        int locatedAndAllowedByEveryLocationList = 0;
        for (String name : Arrays.asList("eu-west-1", "ap-1", null)) {
            for (String country : Arrays.asList("IE", "JP", "US", null)) {
                for (String continent : Arrays.asList("EU", "AS", null)) {
                    for (String flavorName : Arrays.asList("l4", "b200", null)) {
                        for (String flavorType : Arrays.asList("cpu", "gpu", null)) {
                            Request r = new Request(
                                    List.of(),
                                    new Request.Resource("model", "n", Map.of()),
                                    "invoke",
                                    new Request.Location(name, country, continent),
                                    new Request.Flavor(flavorName, flavorType),
                                    TOKENS.get(tokens++ % TOKENS.size()),
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
    void theVerdictIsClearOnlyWhenNoCheckOfTheFamilyHolds() {
        PolicySnapshot snap = snapshot();
        Map<String, FamilyVerdict> families =
                FamilyVerdict.of(snap.partitions().get("").compiled());
        assertThat(families)
                .containsOnlyKeys(
                        "location given",
                        "flavor given",
                        "tokensInput given",
                        "tokensOutput given",
                        "tokensTotal given",
                        "tokensInput and tokensOutput given");
        FamilyVerdict locations = families.get("location given");
        List<String> verdicts = new ArrayList<>();
        for (Request.Location l : List.of(
                new Request.Location("eu-west-1", "IE", "EU"), // every list
                new Request.Location(null, "IE", "EU"), // not the third
                new Request.Location(null, null, null),
                new Request.Location("eu-west-1", "US", "AS"))) { // every list but the first
            verdicts.add(locations.verdictOf(new dev.gavel.engine.eval.RequestFact(new Request(
                    List.of(), Request.Resource.NONE, null, l, Request.Flavor.NONE, Request.Tokens.NONE, Map.of()))));
        }
        assertThat(verdicts).containsExactly("clear", "flagged", "missing", "flagged");
        FamilyVerdict inputs = families.get("tokensInput given");
        FamilyVerdict ratios = families.get("tokensInput and tokensOutput given");
        assertThat(inputs.verdictOf(tokens(50L, 1L))).isEqualTo("clear"); // the smallest input limit is 50
        assertThat(inputs.verdictOf(tokens(51L, 1L))).isEqualTo("flagged");
        assertThat(inputs.verdictOf(tokens(null, 1L))).isEqualTo("missing");
        assertThat(ratios.verdictOf(tokens(10L, 10L))).isEqualTo("clear"); // ratios 2 and 5
        assertThat(ratios.verdictOf(tokens(21L, 10L))).isEqualTo("flagged");
        assertThat(ratios.verdictOf(tokens(30L, 0L))).isEqualTo("flagged");
        assertThat(ratios.verdictOf(tokens(30L, null))).isEqualTo("missing");
    }

    @Test
    void moreThanSixtyFourListsInABaseAreCheckedAcrossWords() {
        // Lists 0..68 allow their own country and the continent EU; list 69 allows only its country: a
        // request is clear only when every list, the last one in the second word of the bit set, holds it.
        Map<String, byte[]> files = new TreeMap<>();
        for (int i = 0; i < 70; i++) {
            String allowed = i < 69
                    ? "[{name: C" + i + ", type: country}, {name: EU, type: continent}]"
                    : "[{name: C69, type: country}]";
            files.put("policies/where-" + i + ".yaml", policy("where-" + i, "location", allowed));
        }
        CompileResult r = SnapshotCompiler.compile("c1", files);
        assertThat(r).isInstanceOf(CompileResult.Compiled.class);
        PolicySnapshot snap = ((CompileResult.Compiled) r).snapshot();
        FamilyVerdict locations =
                FamilyVerdict.of(snap.partitions().get("").compiled()).get("location given");
        assertThat(locations.verdictOf(located("C69", "EU"))).isEqualTo("clear");
        assertThat(locations.verdictOf(located("C1", "EU"))).isEqualTo("flagged"); // list 69
        assertThat(locations.verdictOf(located("C69", "AS"))).isEqualTo("flagged"); // lists 0..68
        for (String[] where : new String[][] {{"C69", "EU"}, {"C1", "EU"}, {"C69", "AS"}, {"C3", null}}) {
            Request request = located(where[0], where[1]).getRequest();
            Evaluation served = snap.evaluate(request);
            assertThat(served).isEqualTo(snap.evaluate(request, CircuitBreakers.NONE_OPEN, new DrlOracle()));
        }
        assertThat(snap.evaluate(located("C1", "EU").getRequest()).matches())
                .extracting(m -> m.policy())
                .containsExactly("where-69");
    }

    private static dev.gavel.engine.eval.RequestFact located(String country, String continent) {
        return new dev.gavel.engine.eval.RequestFact(new Request(
                List.of(),
                new Request.Resource("model", "n", Map.of()),
                "invoke",
                new Request.Location(null, country, continent),
                Request.Flavor.NONE,
                Request.Tokens.NONE,
                Map.of()));
    }

    private static dev.gavel.engine.eval.RequestFact tokens(Long input, Long output) {
        return new dev.gavel.engine.eval.RequestFact(new Request(
                List.of(),
                Request.Resource.NONE,
                null,
                Request.Location.NONE,
                Request.Flavor.NONE,
                new Request.Tokens(input, output, null),
                Map.of()));
    }
}
