package dev.gavel.engine.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The policy JSON Schema a user's editor checks against (the template's {@code schema/policy.schema.json})
 * and the server's parser give the same verdict: a value the editor accepts is not refused at commit time,
 * and the other way round. Each case is one field value fed to both.
 */
class SchemaAgreementTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    record Case(String field, String value) {}

    private static final List<Case> CASES = List.of(
            new Case("reviewEvery", "P"),
            new Case("reviewEvery", "P0D"),
            new Case("reviewEvery", "P0Y0M"),
            new Case("reviewEvery", "PT1H"),
            new Case("reviewEvery", "P90D"),
            new Case("reviewEvery", "P1Y"),
            new Case("reviewEvery", "P1W2D"),
            new Case("reviewEvery", "P99999999999D"),
            new Case("reviewEvery", "-P1D"),
            new Case("window", "PT"),
            new Case("window", "PT0S"),
            new Case("window", "PT0H0M"),
            new Case("window", "PT5M"),
            new Case("window", "PT1H30M"),
            new Case("window", "PT0.5S"),
            new Case("window", "P1D"),
            new Case("window", "PT99999999999H"),
            new Case("total", "5000.0"),
            new Case("total", "5000"),
            new Case("total", "5000.5"),
            new Case("total", "-1"),
            new Case("total", "'5000'"),
            new Case("total", "1e3"),
            new Case("total", "1000000000001"),
            new Case("minRequests", "5.0"),
            new Case("minRequests", "0"),
            new Case("maxDenyRate", "1.5"));

    private static String policy(Case c) {
        String reviewEvery = c.field().equals("reviewEvery") ? c.value() : "P90D";
        String window = c.field().equals("window") ? c.value() : "PT5M";
        String total = c.field().equals("total") ? c.value() : "9000";
        String minRequests = c.field().equals("minRequests") ? c.value() : "20";
        String maxDenyRate = c.field().equals("maxDenyRate") ? c.value() : "0.5";
        return "apiVersion: gavel/v1\nkind: Policy\nmetadata:\n  name: limits\n  owner: team\n  reviewEvery: "
                + reviewEvery
                + "\n  lastReviewed: 2026-01-01\nspec:\n  type: maxTokens\n  enforcement: block\n  settings:\n    total: "
                + total
                + "\n  circuitBreaker:\n    maxDenyRate: " + maxDenyRate + "\n    window: " + window
                + "\n    minRequests: "
                + minRequests + "\n";
    }

    @Test
    @DisplayName("for every case, the editor's schema accepts exactly what the server's parser accepts")
    void schemaAndParserAgree() throws Exception {
        Path file = Path.of("../policies-repo-template/schema/policy.schema.json");
        JsonSchema schema =
                JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(Files.readString(file));
        List<String> disagreements = new ArrayList<>();
        int accepted = 0;
        for (Case c : CASES) {
            String yaml = policy(c);
            JsonNode tree = YAML.readTree(yaml);
            boolean editor = schema.validate(tree).isEmpty();
            ParseResult<?> parsed =
                    PolicyParser.parse(yaml.getBytes(StandardCharsets.UTF_8), "policies/acme/limits.yaml");
            boolean server = parsed.isValid();
            if (editor != server) {
                disagreements.add(c.field() + ": " + c.value() + " (schema " + (editor ? "accepts" : "refuses")
                        + ", server "
                        + (server ? "accepts" : "refuses: " + ((ParseResult.Invalid<?>) parsed).diagnostics()) + ")");
            }
            accepted += server ? 1 : 0;
        }
        assertThat(disagreements).isEmpty();
        assertThat(accepted).as("the cases include values both accept").isBetween(5, CASES.size() - 10);
    }

    @Test
    @DisplayName("the template's schema files are the engine's (what editors check is what the server checks)")
    void templateSchemasAreTheEngines() throws Exception {
        for (String f : List.of("policy.schema.json", "policy-test.schema.json", "repository.schema.json")) {
            assertThat(Files.readString(Path.of("../policies-repo-template/schema", f)))
                    .as(f)
                    .isEqualTo(Files.readString(Path.of("src/main/resources/gavel/schema", f)));
        }
    }
}
