package dev.gavel.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Typed settings, one record per built-in {@link PolicyType}. Every field is optional in a file
 * because a policy at a nearer scope may override just one setting; the merged result is typed again
 * with {@link #fromJson}.
 */
public sealed interface Settings {

    PolicyType type();

    /**
     * Types settings given as JSON (for example settings deep-merged across scopes). Expects input that
     * passed the schema ({@code dev.gavel.engine.parse.PolicyParser#validateSettings}); a missing or
     * null node means no settings.
     *
     * @throws IllegalArgumentException when the node does not have the shape of the type's settings
     */
    static Settings fromJson(PolicyType type, JsonNode node) {
        JsonNode n = node == null || node.isNull() || node.isMissingNode()
                ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                : node;
        if (!n.isObject()) {
            throw new IllegalArgumentException("settings must be an object");
        }
        return switch (type) {
            case LOCATION ->
                new Location(list(
                        n.get("allowed"),
                        e -> new Location.Allowed(
                                text(e, "name")
                                        .orElseThrow(() -> new IllegalArgumentException("location entry without name")),
                                enumOf(e, "type", LocationKind::fromValue)
                                        .orElseThrow(
                                                () -> new IllegalArgumentException("location entry without type")))));
            case FLAVOR ->
                new Flavor(list(
                        n.get("allowed"),
                        e -> new Flavor.Allowed(
                                text(e, "name"),
                                enumOf(e, "type", FlavorKind::fromValue)
                                        .orElseThrow(
                                                () -> new IllegalArgumentException("flavor entry without type")))));
            case MAX_TOKENS ->
                new MaxTokens(
                        integer(n, "input"),
                        integer(n, "output"),
                        integer(n, "total"),
                        integer(n, "ratioInputOverOutput"),
                        text(n, "granularity"),
                        integer(n, "step"));
            case HEARTBEAT ->
                new Heartbeat(
                        integer(n, "interval"),
                        enumOf(n, "resource", HeartbeatResource::fromValue),
                        Optional.ofNullable(n.get("jobFilter"))
                                .filter(JsonNode::isObject)
                                .map(f -> new Heartbeat.JobFilter(text(f, "namespace"), integer(f, "priority"))),
                        text(n, "clusterId"),
                        list(n.get("resourceIds"), JsonNode::asText),
                        text(n, "resourceName"),
                        text(n, "runcRoot"));
            case SLA ->
                new Sla(
                        text(n, "priority"),
                        list(n.get("appliesTo"), JsonNode::asText),
                        integer(n, "firstResponseMinutes"),
                        integer(n, "resolutionMinutes"),
                        bool(n, "businessHoursOnly"));
            case DOCUMENT ->
                new Document(
                        text(n, "body"),
                        text(n, "version"),
                        text(n, "publishedAt").map(Settings::instant));
            case CUSTOM -> {
                if (n.size() > 0) {
                    throw new IllegalArgumentException("custom policies take no settings");
                }
                yield new Custom();
            }
        };
    }

    /** {@code allowed: [{name, type: location|country|continent}]}: a location must match one entry. */
    record Location(List<Allowed> allowed) implements Settings {
        public Location {
            allowed = List.copyOf(allowed);
        }

        public record Allowed(String name, LocationKind type) {}

        @Override
        public PolicyType type() {
            return PolicyType.LOCATION;
        }
    }

    /** {@code allowed: [{name?, type: cpu|gpu}]}: a flavor must match one entry (no name = any of that type). */
    record Flavor(List<Allowed> allowed) implements Settings {
        public Flavor {
            allowed = List.copyOf(allowed);
        }

        public record Allowed(Optional<String> name, FlavorKind type) {}

        @Override
        public PolicyType type() {
            return PolicyType.FLAVOR;
        }
    }

    /** Token limits; each is optional and at least 0. {@code granularity} is what a limit counts over (request, day). */
    record MaxTokens(
            Optional<Long> input,
            Optional<Long> output,
            Optional<Long> total,
            Optional<Long> ratioInputOverOutput,
            Optional<String> granularity,
            Optional<Long> step)
            implements Settings {
        @Override
        public PolicyType type() {
            return PolicyType.MAX_TOKENS;
        }
    }

    /**
     * How often workloads are checkpointed ({@code interval} in seconds) and which workloads: its
     * selectors ({@code resource}, {@code clusterId}, {@code resourceIds}, {@code resourceName},
     * {@code jobFilter}) compile into selection rules (docs/workloads.md). Decides nothing.
     *
     * @param resourceIds ids (UUIDs) of the pods or jobs selected; empty = any
     * @param resourceName the pod or job name, or the namespace's name for {@code resource: namespace}
     * @param runcRoot carried for the checkpointing agent; selects nothing
     */
    record Heartbeat(
            Optional<Long> interval,
            Optional<HeartbeatResource> resource,
            Optional<JobFilter> jobFilter,
            Optional<String> clusterId,
            List<String> resourceIds,
            Optional<String> resourceName,
            Optional<String> runcRoot)
            implements Settings {
        public Heartbeat {
            resourceIds = List.copyOf(resourceIds);
        }

        /** What is selected: pods when no resource is named. */
        public HeartbeatResource selects() {
            return resource.orElse(HeartbeatResource.PODS);
        }

        public record JobFilter(Optional<String> namespace, Optional<Long> priority) {}

        @Override
        public PolicyType type() {
            return PolicyType.HEARTBEAT;
        }
    }

    /** Service levels for a ticket priority. Decides nothing. */
    record Sla(
            Optional<String> priority,
            List<String> appliesTo,
            Optional<Long> firstResponseMinutes,
            Optional<Long> resolutionMinutes,
            Optional<Boolean> businessHoursOnly)
            implements Settings {
        public Sla {
            appliesTo = List.copyOf(appliesTo);
        }

        @Override
        public PolicyType type() {
            return PolicyType.SLA;
        }
    }

    /**
     * A policy document in Markdown with a semantic version. Decides nothing.
     *
     * @param publishedAt a date (read as 00:00 UTC) or a date-time in the file
     */
    record Document(Optional<String> body, Optional<String> version, Optional<Instant> publishedAt)
            implements Settings {
        @Override
        public PolicyType type() {
            return PolicyType.DOCUMENT;
        }
    }

    /** Custom policies have no settings; their rules decide. */
    record Custom() implements Settings {
        @Override
        public PolicyType type() {
            return PolicyType.CUSTOM;
        }
    }

    /** A date (YYYY-MM-DD, at 00:00 UTC) or an RFC 3339 date-time. */
    static Instant instant(String s) {
        try {
            return s.length() == 10
                    ? LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC)
                    : OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + s + "' is not a date (YYYY-MM-DD) or a date-time (RFC 3339)");
        }
    }

    private static Optional<String> text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }

    private static Optional<Long> integer(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        // JSON Schema's "integer" is mathematical: 5000.0 is the integer 5000, as the schema (and editors) say.
        boolean whole = v.isIntegralNumber()
                || (v.isFloatingPointNumber()
                        && v.doubleValue() == Math.rint(v.doubleValue())
                        && Math.abs(v.doubleValue()) < 1e15);
        if (!whole || !v.canConvertToLong()) {
            throw new IllegalArgumentException(field + " must be an integer");
        }
        return Optional.of(v.longValue());
    }

    private static Optional<Boolean> bool(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isBoolean()) {
            throw new IllegalArgumentException(field + " must be true or false");
        }
        return Optional.of(v.booleanValue());
    }

    private static <E> Optional<E> enumOf(JsonNode n, String field, Function<String, Optional<E>> lookup) {
        return text(n, field)
                .map(s -> lookup.apply(s)
                        .orElseThrow(() -> new IllegalArgumentException(field + " '" + s + "' is not allowed")));
    }

    private static <T> List<T> list(JsonNode n, Function<JsonNode, T> element) {
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw new IllegalArgumentException("expected a list");
        }
        List<T> out = new ArrayList<>();
        n.forEach(e -> out.add(element.apply(e)));
        return out;
    }
}
