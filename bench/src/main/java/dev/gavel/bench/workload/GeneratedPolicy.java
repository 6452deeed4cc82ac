package dev.gavel.bench.workload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One generated policy file as plain data: what the file says, not what it resolves to. Kept as data
 * (not only as YAML) so that a translation for another engine can be generated from the same workload.
 *
 * @param scope dotted scope the file lives in; {@code ""} for the global scope
 * @param type the file's {@code spec.type} as written ({@code location}, {@code maxTokens}, ...)
 * @param enforcement {@code off|audit|warn|block}
 * @param paused {@code spec.status: paused}
 * @param resourceTypes empty = every resource type
 * @param settings the file's settings: values are String, Long, Boolean, List or Map (insertion ordered)
 * @param overrides the scope of the definition of the same name this file overrides, if any
 */
public record GeneratedPolicy(
        String scope,
        String name,
        String type,
        String enforcement,
        boolean paused,
        boolean locked,
        List<String> resourceTypes,
        Map<String, Object> settings,
        List<GeneratedRule> rules,
        Optional<String> overrides) {

    /** A custom rule: a {@code when:} condition of docs/conditions.md and what a match means. */
    public record GeneratedRule(String name, String when, String effect, String message) {}

    private static final YAMLMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                    .build())
            .build();

    public GeneratedPolicy {
        resourceTypes = List.copyOf(resourceTypes);
        settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        rules = List.copyOf(rules);
    }

    /** The repository path: {@code policies/<scope dirs>/<name>.yaml}. */
    public String path() {
        return "policies/" + (scope.isEmpty() ? "" : scope.replace('.', '/') + "/") + name + ".yaml";
    }

    /** Scope depth: 0 global, 1 tenant, ... 4 env. */
    public int depth() {
        return scope.isEmpty() ? 0 : scope.split("\\.").length;
    }

    public String tenant() {
        return scope.isEmpty() ? "" : scope.split("\\.")[0];
    }

    public GeneratedPolicy withSettings(Map<String, Object> newSettings) {
        return new GeneratedPolicy(
                scope, name, type, enforcement, paused, locked, resourceTypes, newSettings, rules, overrides);
    }

    public GeneratedPolicy withRules(List<GeneratedRule> newRules) {
        return new GeneratedPolicy(
                scope, name, type, enforcement, paused, locked, resourceTypes, settings, newRules, overrides);
    }

    /** The policy file, as a person would write it. */
    public byte[] yaml() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", name);
        metadata.put(
                "displayName",
                (type + " policy " + name).substring(0, Math.min(63, type.length() + 8 + name.length())));
        metadata.put("owner", scope.isEmpty() ? "platform-team" : tenant() + "-platform");
        metadata.put(
                "category",
                switch (type) {
                    case "location" -> "compliance";
                    case "flavor", "maxTokens" -> "finance";
                    case "custom" -> "security";
                    default -> "operations";
                });
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("type", type);
        spec.put("enforcement", enforcement);
        if (paused) {
            spec.put("status", "paused");
        }
        if (locked) {
            spec.put("locked", true);
        }
        if (!resourceTypes.isEmpty()) {
            spec.put("resourceTypes", resourceTypes);
        }
        if (!settings.isEmpty()) {
            spec.put("settings", settings);
        }
        if (!rules.isEmpty()) {
            spec.put(
                    "rules",
                    rules.stream()
                            .map(r -> {
                                Map<String, Object> m = new LinkedHashMap<>();
                                m.put("name", r.name());
                                m.put("when", r.when());
                                m.put("effect", r.effect());
                                m.put("message", r.message());
                                return m;
                            })
                            .toList());
        }
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("apiVersion", "gavel/v1");
        file.put("kind", "Policy");
        file.put("metadata", metadata);
        file.put("spec", spec);
        try {
            return YAML.writeValueAsString(file).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
