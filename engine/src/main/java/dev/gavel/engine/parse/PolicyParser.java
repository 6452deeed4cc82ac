package dev.gavel.engine.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.engine.expr.ConditionProviders;
import dev.gavel.engine.model.Category;
import dev.gavel.engine.model.CircuitBreaker;
import dev.gavel.engine.model.Effect;
import dev.gavel.engine.model.Enforcement;
import dev.gavel.engine.model.Metadata;
import dev.gavel.engine.model.Names;
import dev.gavel.engine.model.Policy;
import dev.gavel.engine.model.PolicyPath;
import dev.gavel.engine.model.PolicyType;
import dev.gavel.engine.model.PromotionRule;
import dev.gavel.engine.model.ProviderCheck;
import dev.gavel.engine.model.ResourceType;
import dev.gavel.engine.model.Rule;
import dev.gavel.engine.model.Settings;
import dev.gavel.engine.model.SourceLocation;
import dev.gavel.engine.model.Spec;
import dev.gavel.engine.model.Status;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.Period;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads a policy file ({@code kind: Policy}) into a {@link Policy}, or says precisely what is wrong.
 *
 * <p>Checks, in order: size and encoding, YAML safety (no aliases, anchors, tags, duplicate keys, second
 * documents), the JSON Schema {@code gavel/schema/policy.schema.json} (unknown fields at every level,
 * including the settings of each built-in type), then what a schema cannot say: the file name equals
 * {@code metadata.name}, rule names are unique, periods and durations are real. A custom policy without
 * rules is a warning, not an error: a file at a nearer scope may override only its enforcement and
 * inherit the rules; resolution checks the merged result.
 *
 * <p>Thread-safe; schemas are compiled once.
 */
public final class PolicyParser {
    static final String SCHEMA_FILE = "policy.schema.json";
    private static final SchemaCheck SCHEMA = SchemaCheck.of(SCHEMA_FILE);
    private static final Map<PolicyType, SchemaCheck> SETTINGS_SCHEMAS = settingsSchemas();

    private PolicyParser() {}

    private static Map<PolicyType, SchemaCheck> settingsSchemas() {
        Map<PolicyType, SchemaCheck> m = new EnumMap<>(PolicyType.class);
        for (PolicyType t : PolicyType.values()) {
            m.put(t, SchemaCheck.of(SCHEMA_FILE, "#/$defs/" + t.value() + "Settings"));
        }
        return m;
    }

    /**
     * Parses one policy file.
     *
     * @param path the repository-relative path (e.g. {@code policies/acme/token-limits.yaml}) used in
     *             diagnostics and for the file-name checks; null or empty skips those checks
     */
    public static ParseResult<Policy> parse(byte[] bytes, String path) {
        String file = path == null ? "" : path;
        Optional<String> fileName = checkPath(file);
        List<Diagnostic> pathErrors = pathErrors(file);
        MappingDocument<Policy> opened =
                MappingDocument.open(bytes, file, pathErrors, "apiVersion, kind, metadata and spec");
        if (!(opened instanceof MappingDocument.Open<Policy> open)) {
            return ((MappingDocument.Closed<Policy>) opened).result();
        }
        YamlDocument doc = open.doc();
        JsonNode root = open.root();
        Findings findings = open.findings();
        findings.addAll(SCHEMA.validate(root, doc, FieldPath.ROOT));
        checkName(root, fileName, findings);
        checkRules(root, findings);
        if (findings.hasErrors()) {
            return findings.result(null);
        }
        Policy policy = build(root, doc, findings);
        return findings.result(policy);
    }

    /**
     * Checks settings against the schema of {@code type}, e.g. settings deep-merged across scopes.
     * Diagnostics have no file and sit at line 1; field paths start at {@code settings}.
     */
    public static List<Diagnostic> validateSettings(PolicyType type, JsonNode settings) {
        if (settings == null || settings.isNull() || settings.isMissingNode()) {
            return List.of();
        }
        return SETTINGS_SCHEMAS.get(type).validate(settings, null, FieldPath.of("settings"));
    }

    /** The policy name the file name promises, when the path names a {@code .yaml} file with a valid name. */
    private static Optional<String> checkPath(String file) {
        if (file.isEmpty()) {
            return Optional.empty();
        }
        String base = file.substring(file.lastIndexOf('/') + 1);
        if (!base.endsWith(PolicyPath.EXTENSION)) {
            return Optional.empty();
        }
        String name = base.substring(0, base.length() - PolicyPath.EXTENSION.length());
        return Names.isValid(name) ? Optional.of(name) : Optional.empty();
    }

    private static List<Diagnostic> pathErrors(String file) {
        if (file.isEmpty()) {
            return List.of();
        }
        Findings f = new Findings(file, null);
        String base = file.substring(file.lastIndexOf('/') + 1);
        if (base.endsWith(".yml")) {
            f.fileError("policy files end in .yaml, not .yml: rename it to "
                    + Names.printable(base.substring(0, base.length() - 4)) + ".yaml");
        } else if (!base.endsWith(PolicyPath.EXTENSION)) {
            f.fileError("policy files end in .yaml; '" + Names.printable(base) + "' does not");
        } else if (!Names.isValid(base.substring(0, base.length() - PolicyPath.EXTENSION.length()))) {
            f.fileError("file name '" + Names.printable(base) + "' is not a valid policy name: " + Names.RULE_TEXT);
        }
        if (file.startsWith(PolicyPath.ROOT + "/") && base.endsWith(PolicyPath.EXTENSION)) {
            String[] parts = file.split("/", -1);
            for (int i = 1; i < parts.length - 1; i++) {
                if (!Names.isValid(parts[i])) {
                    f.fileError("directory '" + Names.printable(parts[i]) + "' is not a valid scope name: "
                            + Names.RULE_TEXT);
                }
            }
        }
        return f.sorted();
    }

    private static void checkName(JsonNode root, Optional<String> fileName, Findings findings) {
        JsonNode name = root.path("metadata").path("name");
        if (fileName.isPresent()
                && name.isTextual()
                && Names.isValid(name.asText())
                && !name.asText().equals(fileName.get())) {
            findings.error(
                    FieldPath.of("metadata", "name"),
                    "'" + name.asText() + "' must equal the file name '" + fileName.get() + "' (rename the file to "
                            + name.asText() + ".yaml or change the name)");
        }
    }

    private static void checkRules(JsonNode root, Findings findings) {
        JsonNode spec = root.path("spec");
        JsonNode rules = spec.path("rules");
        Map<String, Integer> seen = new HashMap<>();
        if (rules.isArray()) {
            for (int i = 0; i < rules.size(); i++) {
                JsonNode name = rules.get(i).path("name");
                if (name.isTextual()) {
                    Integer first = seen.putIfAbsent(name.asText(), i);
                    if (first != null) {
                        findings.error(
                                FieldPath.of("spec", "rules", i, "name"),
                                "duplicate rule name '" + Names.printable(name.asText()) + "' (also spec.rules[" + first
                                        + "]); rule names are unique in a policy");
                    }
                }
            }
        }
        if ("custom".equals(spec.path("type").asText()) && (!rules.isArray() || rules.isEmpty())) {
            findings.warning(
                    FieldPath.of("spec", "type"),
                    "a custom policy decides through its rules and this one "
                            + "has none; fine if it overrides a policy of the same name at an outer scope");
        }
    }

    /** Builds the model from a schema-valid tree; what only Java can check (real periods) is reported here. */
    private static Policy build(JsonNode root, YamlDocument doc, Findings findings) {
        JsonNode md = root.get("metadata");
        FieldPath mdPath = FieldPath.of("metadata");
        Optional<Period> reviewEvery = text(md, "reviewEvery")
                .flatMap(s -> convert(
                        findings,
                        mdPath.key("reviewEvery"),
                        s,
                        Period::parse,
                        p -> p.isZero() || p.isNegative() ? "must be longer than zero" : null,
                        "is not an ISO-8601 period such as P90D"));
        Optional<LocalDate> lastReviewed = text(md, "lastReviewed")
                .flatMap(s -> convert(
                        findings,
                        mdPath.key("lastReviewed"),
                        s,
                        LocalDate::parse,
                        d -> null,
                        "is not a valid date (YYYY-MM-DD)"));
        Map<String, String> labels = new LinkedHashMap<>();
        md.path("labels")
                .fields()
                .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));

        JsonNode spec = root.get("spec");
        FieldPath specPath = FieldPath.of("spec");
        PolicyType type = PolicyType.fromValue(spec.get("type").asText()).orElseThrow();
        ObjectNode raw = spec.has("settings") ? (ObjectNode) spec.get("settings") : null;
        Settings settings = null;
        try {
            settings = Settings.fromJson(type, raw);
        } catch (IllegalArgumentException | DateTimeException e) {
            findings.error(specPath.key("settings"), e.getMessage());
        }
        List<Rule> rules = new ArrayList<>();
        JsonNode rulesNode = spec.path("rules");
        for (int i = 0; i < rulesNode.size(); i++) {
            JsonNode r = rulesNode.get(i);
            FieldPath rulePath = specPath.key("rules").index(i);
            JsonNode check = r.get("check");
            if (check != null && check.isObject()) {
                // A provider check compiles to the condition it stands for; params problems are field errors.
                ProviderCheck pc = new ProviderCheck(
                        check.path("provider").asText(),
                        check.path("check").asText(),
                        check.get("params") instanceof ObjectNode o ? o : null);
                ConditionProviders.Compiled compiled =
                        ConditionProviders.compile(pc.provider(), pc.check(), check.get("params"));
                if (compiled instanceof ConditionProviders.Compiled.Invalid invalid) {
                    for (ConditionProviders.Problem problem : invalid.problems()) {
                        FieldPath at = rulePath.key("check");
                        for (String part : problem.field().split("\\.", 2)) {
                            at = at.key(part);
                        }
                        findings.error(at, problem.message());
                    }
                    continue;
                }
                rules.add(new Rule(
                        r.get("name").asText(),
                        ((ConditionProviders.Compiled.Ok) compiled).when(),
                        Effect.fromValue(r.get("effect").asText()).orElseThrow(),
                        r.get("message").asText(),
                        SourceLocation.UNKNOWN,
                        Optional.of(pc)));
                continue;
            }
            rules.add(new Rule(
                    r.get("name").asText(),
                    r.get("when").asText(),
                    Effect.fromValue(r.get("effect").asText()).orElseThrow(),
                    r.get("message").asText(),
                    doc.textAt(rulePath.key("when"))));
        }
        Optional<CircuitBreaker> breaker = Optional.empty();
        JsonNode cb = spec.get("circuitBreaker");
        if (cb != null) {
            FieldPath cbPath = specPath.key("circuitBreaker");
            Optional<Duration> window = convert(
                    findings,
                    cbPath.key("window"),
                    cb.get("window").asText(),
                    Duration::parse,
                    d -> d.isZero() || d.isNegative() ? "must be longer than zero" : null,
                    "is not an ISO-8601 duration such as PT5M");
            if (window.isPresent()) {
                breaker = Optional.of(new CircuitBreaker(
                        cb.get("maxDenyRate").asDouble(),
                        window.get(),
                        cb.get("minRequests").asInt(),
                        Optional.ofNullable(cb.get("maxErrors")).map(JsonNode::asInt)));
            }
        }
        if (findings.hasErrors()) {
            return null;
        }
        List<ResourceType> resourceTypes = new ArrayList<>();
        spec.path("resourceTypes")
                .forEach(n ->
                        resourceTypes.add(ResourceType.fromValue(n.asText()).orElseThrow()));
        List<String> tags = new ArrayList<>();
        md.path("tags").forEach(t -> tags.add(t.asText()));
        Optional<Metadata.Deletion> deleted = Optional.ofNullable(md.get("deleted"))
                .filter(JsonNode::isObject)
                .map(d -> new Metadata.Deletion(
                        OffsetDateTime.parse(d.get("at").asText()).toInstant(),
                        d.get("by").asText()));
        Metadata metadata = new Metadata(
                md.get("name").asText(),
                text(md, "displayName"),
                text(md, "description"),
                text(md, "owner"),
                text(md, "category").flatMap(Category::fromValue),
                labels,
                reviewEvery,
                lastReviewed,
                tags,
                text(md, "nextReviewAt").map(t -> OffsetDateTime.parse(t).toInstant()),
                text(md, "source"),
                text(md, "sourceType"),
                deleted);
        Optional<PromotionRule> promotion = Optional.ofNullable(spec.get("promotion"))
                .filter(JsonNode::isObject)
                .map(n -> new PromotionRule(
                        n.path("minEvaluations").asLong(PromotionRule.DEFAULT.minEvaluations()),
                        n.path("minDaysInWarn").asInt(PromotionRule.DEFAULT.minDaysInWarn()),
                        n.path("maxWouldDenyRate").asDouble(PromotionRule.DEFAULT.maxWouldDenyRate())));
        Spec s = new Spec(
                type,
                Enforcement.fromValue(spec.get("enforcement").asText()).orElseThrow(),
                text(spec, "status").flatMap(Status::fromValue).orElse(Status.ACTIVE),
                spec.path("locked").asBoolean(false),
                resourceTypes,
                settings,
                raw,
                rules,
                breaker,
                promotion);
        return new Policy(metadata, s);
    }

    private static Optional<String> text(JsonNode parent, String field) {
        JsonNode v = parent.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }

    /** Parses {@code s}; on failure or when {@code check} returns a problem, records it at {@code at}. */
    private static <T> Optional<T> convert(
            Findings findings,
            FieldPath at,
            String s,
            Function<String, T> parse,
            Function<T, String> check,
            String whenUnparsable) {
        T value;
        try {
            value = parse.apply(s);
        } catch (DateTimeException | ArithmeticException e) {
            findings.error(at, "'" + Names.printable(s) + "' " + whenUnparsable);
            return Optional.empty();
        }
        String problem = check.apply(value);
        if (problem != null) {
            findings.error(at, "'" + s + "' " + problem);
            return Optional.empty();
        }
        return Optional.of(value);
    }
}
