package dev.gavel.engine.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.engine.model.Decision;
import dev.gavel.engine.model.Names;
import dev.gavel.engine.model.PolicyTestCase;
import dev.gavel.engine.model.PolicyTestSuite;
import dev.gavel.engine.model.ScopePath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a policy test file ({@code tests/*.yaml}, {@code kind: PolicyTest}) against
 * {@code gavel/schema/policy-test.schema.json}; test names must be unique within the file. Thread-safe.
 */
public final class TestSuiteParser {
    private static final SchemaCheck SCHEMA = SchemaCheck.of("policy-test.schema.json");

    private TestSuiteParser() {}

    public static ParseResult<PolicyTestSuite> parse(byte[] bytes, String path) {
        String file = path == null ? "" : path;
        MappingDocument<PolicyTestSuite> opened =
                MappingDocument.open(bytes, file, List.of(), "apiVersion, kind, name and tests");
        if (!(opened instanceof MappingDocument.Open<PolicyTestSuite> open)) {
            return ((MappingDocument.Closed<PolicyTestSuite>) opened).result();
        }
        YamlDocument doc = open.doc();
        JsonNode root = open.root();
        Findings findings = open.findings();
        if (!file.isEmpty() && file.endsWith(".yml")) {
            findings.fileError("test files end in .yaml, not .yml");
        }
        findings.addAll(SCHEMA.validate(root, doc, FieldPath.ROOT));
        JsonNode tests = root.path("tests");
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < tests.size(); i++) {
            JsonNode name = tests.get(i).path("name");
            if (name.isTextual()) {
                Integer first = seen.putIfAbsent(name.asText(), i);
                if (first != null) {
                    findings.error(
                            FieldPath.of("tests", i, "name"),
                            "duplicate test name '" + Names.printable(name.asText()) + "' (also tests[" + first + "])");
                }
            }
        }
        if (findings.hasErrors()) {
            return findings.result(null);
        }
        List<PolicyTestCase> cases = new ArrayList<>();
        for (int i = 0; i < tests.size(); i++) {
            JsonNode t = tests.get(i);
            JsonNode expect = t.get("expect");
            Optional<Set<String>> matched = Optional.ofNullable(expect.get("matched"))
                    .map(m -> {
                        Set<String> s = new LinkedHashSet<>();
                        m.forEach(n -> s.add(n.asText()));
                        return s;
                    });
            cases.add(new PolicyTestCase(
                    t.get("name").asText(),
                    ScopePath.parse(t.get("scope").asText()),
                    (ObjectNode) t.get("request"),
                    Decision.fromValue(expect.get("decision").asText()).orElseThrow(),
                    matched,
                    doc.valueAt(FieldPath.of("tests", i))));
        }
        JsonNode description = root.get("description");
        return findings.result(new PolicyTestSuite(
                root.get("name").asText(),
                description == null || description.isNull() ? Optional.empty() : Optional.of(description.asText()),
                cases));
    }
}
