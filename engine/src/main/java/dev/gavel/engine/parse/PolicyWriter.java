package dev.gavel.engine.parse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.gavel.engine.model.CircuitBreaker;
import dev.gavel.engine.model.Metadata;
import dev.gavel.engine.model.Policy;
import dev.gavel.engine.model.Rule;
import dev.gavel.engine.model.Spec;
import dev.gavel.engine.model.Status;
import java.io.UncheckedIOException;

/**
 * Writes a {@link Policy} as canonical YAML: fixed field order, defaults left out (status active,
 * locked false, empty lists and settings), multi-line strings as literal blocks. What it writes parses
 * back to an equal policy. Comments of the original file are not kept.
 */
public final class PolicyWriter {
    /** The editor hint that makes yaml-language-server check a file against the published schema. */
    public static final String SCHEMA_COMMENT_PREFIX = "# yaml-language-server: $schema=";

    private static final YAMLMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                    .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
                    .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                    .build())
            .build();

    private PolicyWriter() {}

    public static String toYaml(Policy policy) {
        try {
            return YAML.writeValueAsString(tree(policy));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a tree of plain nodes always serializes
        }
    }

    /** {@link #toYaml(Policy)} headed by the schema comment for a file at {@code path} in a repository. */
    public static String toYaml(Policy policy, String path) {
        return SCHEMA_COMMENT_PREFIX + schemaRefFor(path) + "\n" + toYaml(policy);
    }

    /**
     * The relative reference from a repository file to the published schema, e.g.
     * {@code ../../schema/policy.schema.json} for {@code policies/acme/x.yaml}.
     */
    public static String schemaRefFor(String path) {
        int depth = (int) path.chars().filter(c -> c == '/').count();
        return "../".repeat(depth) + "schema/" + PolicyParser.SCHEMA_FILE;
    }

    /** The policy as a JSON tree in canonical field order. */
    public static ObjectNode tree(Policy policy) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("apiVersion", Policy.API_VERSION);
        root.put("kind", Policy.KIND);
        Metadata m = policy.metadata();
        ObjectNode md = root.putObject("metadata");
        md.put("name", m.name());
        m.displayName().ifPresent(v -> md.put("displayName", v));
        m.description().ifPresent(v -> md.put("description", v));
        m.owner().ifPresent(v -> md.put("owner", v));
        m.category().ifPresent(v -> md.put("category", v.value()));
        if (!m.labels().isEmpty()) {
            ObjectNode labels = md.putObject("labels");
            m.labels().forEach(labels::put);
        }
        m.reviewEvery().ifPresent(v -> md.put("reviewEvery", v.toString()));
        m.lastReviewed().ifPresent(v -> md.put("lastReviewed", v.toString()));
        m.nextReviewAt().ifPresent(v -> md.put("nextReviewAt", v.toString()));
        if (!m.tags().isEmpty()) {
            ArrayNode tags = md.putArray("tags");
            m.tags().forEach(tags::add);
        }
        m.source().ifPresent(v -> md.put("source", v));
        m.sourceType().ifPresent(v -> md.put("sourceType", v));
        m.deleted()
                .ifPresent(d ->
                        md.putObject("deleted").put("at", d.at().toString()).put("by", d.by()));

        Spec s = policy.spec();
        ObjectNode spec = root.putObject("spec");
        spec.put("type", s.type().value());
        spec.put("enforcement", s.enforcement().value());
        if (s.status() != Status.ACTIVE) {
            spec.put("status", s.status().value());
        }
        if (s.locked()) {
            spec.put("locked", true);
        }
        if (!s.resourceTypes().isEmpty()) {
            ArrayNode types = spec.putArray("resourceTypes");
            s.resourceTypes().forEach(t -> types.add(t.value()));
        }
        ObjectNode settings = s.rawSettings();
        if (!settings.isEmpty()) {
            spec.set("settings", settings);
        }
        if (!s.rules().isEmpty()) {
            ArrayNode rules = spec.putArray("rules");
            for (Rule r : s.rules()) {
                ObjectNode rule = rules.addObject();
                rule.put("name", r.name());
                if (r.check().isPresent()) {
                    ObjectNode c = rule.putObject("check");
                    c.put("provider", r.check().get().provider());
                    c.put("check", r.check().get().check());
                    c.set("params", r.check().get().params());
                } else {
                    rule.put("when", r.when());
                }
                rule.put("effect", r.effect().value());
                rule.put("message", r.message());
            }
        }
        if (s.circuitBreaker().isPresent()) {
            CircuitBreaker cb = s.circuitBreaker().get();
            ObjectNode b = spec.putObject("circuitBreaker");
            b.put("maxDenyRate", cb.maxDenyRate());
            b.put("window", cb.window().toString());
            b.put("minRequests", cb.minRequests());
            cb.maxErrors().ifPresent(v -> b.put("maxErrors", v));
        }
        s.promotion()
                .ifPresent(p -> spec.putObject("promotion")
                        .put("minEvaluations", p.minEvaluations())
                        .put("minDaysInWarn", p.minDaysInWarn())
                        .put("maxWouldDenyRate", p.maxWouldDenyRate()));
        return root;
    }
}
