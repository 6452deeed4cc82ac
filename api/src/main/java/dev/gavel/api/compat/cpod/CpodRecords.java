package dev.gavel.api.compat.cpod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.api.http.FieldError;
import dev.gavel.engine.model.Metadata;
import dev.gavel.engine.model.Policy;
import dev.gavel.engine.model.PolicyType;
import dev.gavel.engine.model.Settings;
import dev.gavel.engine.model.Status;
import dev.gavel.engine.resolve.PolicyDefinition;
import dev.gavel.store.git.FileStamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one translation between a policy file and seed 004's record: a definition read as a record, and the
 * seed's input fields written onto a policy file's tree (what the file's schema then checks), with the
 * file's field names translated back into the seed's for errors.
 */
final class CpodRecords {
    /** Written when the file says nothing (the seed's documented defaults). */
    static final String DEFAULT_SOURCE = "edm";

    static final String DEFAULT_SOURCE_TYPE = "api";
    /** The seed's schema_version: the policy file format's major version ({@code gavel/v1}). */
    static final int SCHEMA_VERSION = 1;

    /** Seed field -> where it lives in the policy file, for the fields every record has. */
    static final Map<String, String> METADATA_FIELDS = Map.of(
            "name",
            "displayName",
            "description",
            "description",
            "category",
            "category",
            "owner_id",
            "owner",
            "next_review_at",
            "nextReviewAt",
            "tags",
            "tags",
            "source",
            "source",
            "source_type",
            "sourceType");
    /** Seed field -> settings field of an SLA policy. */
    static final Map<String, String> SLA_FIELDS = orderedMap(
            "applies_to",
            "appliesTo",
            "priority",
            "priority",
            "first_response_minutes",
            "firstResponseMinutes",
            "resolution_minutes",
            "resolutionMinutes",
            "business_hours_only",
            "businessHoursOnly");
    /** Seed field -> settings field of a document. */
    static final Map<String, String> DOCUMENT_FIELDS =
            orderedMap("body", "body", "version", "version", "published_at", "publishedAt");
    /** Server stamps a client may send back (the seed's own example does); they are ignored. */
    static final Set<String> STAMPS = Set.of(
            "id",
            "tenant_id",
            "app_id",
            "created_at",
            "updated_at",
            "created_by",
            "updated_by",
            "deleted_at",
            "deleted_by",
            "schema_version");
    /** Fields a body may carry besides the stamps. */
    static final Set<String> INPUT;

    static {
        Set<String> s = new java.util.HashSet<>(METADATA_FIELDS.keySet());
        s.addAll(SLA_FIELDS.keySet());
        s.addAll(DOCUMENT_FIELDS.keySet());
        s.add("status");
        s.add("is_deleted");
        INPUT = Set.copyOf(s);
    }

    private CpodRecords() {}

    private static Map<String, String> orderedMap(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * The record of one policy file: its content as it applies at its scope ({@code resolved}: an override shows
     * what it inherits), its id and scope its own; {@code stamp} is its Git history (null only for a file not yet
     * stamped).
     */
    static CpodRecord of(PolicyDefinition d, Policy resolved, FileStamp stamp) {
        Policy p = resolved;
        Metadata m = p.metadata();
        Settings s = p.spec().settings();
        Settings.Sla sla = s instanceof Settings.Sla x ? x : null;
        Settings.Document doc = s instanceof Settings.Document x ? x : null;
        List<String> segments = d.scope().segments();
        Instant epoch = Instant.EPOCH;
        return new CpodRecord(
                CpodRecord.ID_PREFIX + d.id().ulid(),
                segments.get(0),
                segments.size() > 1 ? segments.get(1) : null,
                stamp == null ? epoch : stamp.createdAt(),
                stamp == null ? epoch : stamp.updatedAt(),
                stamp == null ? null : stamp.createdBy().name(),
                stamp == null ? null : stamp.updatedBy().name(),
                m.source().orElse(DEFAULT_SOURCE),
                m.sourceType().orElse(DEFAULT_SOURCE_TYPE),
                m.isDeleted(),
                m.deleted().map(Metadata.Deletion::at).orElse(null),
                m.deleted().map(Metadata.Deletion::by).orElse(null),
                SCHEMA_VERSION,
                m.displayName().orElse(d.name()),
                m.description().orElse(null),
                sla == null ? null : sla.appliesTo(),
                sla == null ? null : sla.priority().orElse(null),
                sla == null ? null : sla.firstResponseMinutes().orElse(null),
                sla == null ? null : sla.resolutionMinutes().orElse(null),
                sla == null ? null : sla.businessHoursOnly().orElse(null),
                p.spec().status() == Status.ACTIVE ? "active" : "inactive",
                doc == null ? null : doc.body().orElse(null),
                doc == null ? null : doc.version().orElse(null),
                m.category().map(Object::toString).orElse(null),
                m.owner().orElse(null),
                doc == null ? null : doc.publishedAt().orElse(null),
                m.nextReviewInstant().orElse(null),
                m.tags());
    }

    /** The Gavel type a new record gets: an SLA policy when it carries any SLA field, else a document. */
    static PolicyType typeFor(JsonNode body) {
        return SLA_FIELDS.keySet().stream()
                        .anyMatch(f -> body.has(f) && !body.get(f).isNull())
                ? PolicyType.SLA
                : PolicyType.DOCUMENT;
    }

    /**
     * Writes the seed's fields of {@code body} onto {@code tree} (a policy file as JSON). A null value removes
     * the field (merge-patch reading). Fields that the policy's type does not have are errors. {@code is_deleted}
     * is handled by the caller (it needs the principal and the clock).
     */
    static void apply(JsonNode body, ObjectNode tree, List<FieldError> errors) {
        ObjectNode md = (ObjectNode) tree.get("metadata");
        ObjectNode spec = (ObjectNode) tree.get("spec");
        PolicyType type = PolicyType.fromValue(spec.path("type").asText()).orElse(PolicyType.CUSTOM);
        for (Map.Entry<String, String> f : METADATA_FIELDS.entrySet()) {
            if (body.has(f.getKey())) {
                set(md, f.getValue(), body.get(f.getKey()));
            }
        }
        if (body.has("status")) {
            JsonNode st = body.get("status");
            if (st.isNull() || "active".equals(st.asText()) && st.isTextual()) {
                spec.remove("status");
            } else if ("inactive".equals(st.asText()) && st.isTextual()) {
                spec.put("status", Status.PAUSED.value());
            } else {
                errors.add(FieldError.of("status", "one of active, inactive"));
            }
        }
        typed(body, spec, type, PolicyType.SLA, SLA_FIELDS, errors);
        typed(body, spec, type, PolicyType.DOCUMENT, DOCUMENT_FIELDS, errors);
    }

    private static void typed(
            JsonNode body,
            ObjectNode spec,
            PolicyType type,
            PolicyType owner,
            Map<String, String> fields,
            List<FieldError> errors) {
        for (Map.Entry<String, String> f : fields.entrySet()) {
            if (!body.has(f.getKey())) {
                continue;
            }
            if (type != owner) {
                if (!body.get(f.getKey()).isNull()) {
                    errors.add(FieldError.of(
                            f.getKey(),
                            "only " + (owner == PolicyType.SLA ? "an SLA policy" : "a policy document") + " has "
                                    + f.getKey() + "; this record is " + describe(type)));
                }
                continue;
            }
            ObjectNode settings = spec.has("settings") && spec.get("settings").isObject()
                    ? (ObjectNode) spec.get("settings")
                    : spec.putObject("settings");
            set(settings, f.getValue(), body.get(f.getKey()));
            if (settings.isEmpty()) {
                spec.remove("settings");
            }
        }
    }

    static String describe(PolicyType type) {
        return switch (type) {
            case SLA -> "an SLA policy";
            case DOCUMENT -> "a policy document";
            default -> "a " + type.value() + " policy";
        };
    }

    private static void set(ObjectNode target, String field, JsonNode value) {
        if (value == null || value.isNull()) {
            target.remove(field);
        } else {
            target.set(field, value.deepCopy());
        }
    }

    /** A policy file's field (as the parser names it) in the seed's words, e.g. spec.settings.appliesTo[0] -> applies_to[0]. */
    static String seedField(String fileField) {
        if (fileField == null || fileField.isEmpty()) {
            return "request";
        }
        List<Map.Entry<String, String>> all = new ArrayList<>();
        METADATA_FIELDS.forEach((seed, file) -> all.add(Map.entry("metadata." + file, seed)));
        SLA_FIELDS.forEach((seed, file) -> all.add(Map.entry("spec.settings." + file, seed)));
        DOCUMENT_FIELDS.forEach((seed, file) -> all.add(Map.entry("spec.settings." + file, seed)));
        all.add(Map.entry("metadata.deleted", "is_deleted"));
        all.add(Map.entry("spec.status", "status"));
        for (Map.Entry<String, String> e : all) {
            String f = e.getKey();
            if (fileField.equals(f) || fileField.startsWith(f + ".") || fileField.startsWith(f + "[")) {
                return e.getValue() + fileField.substring(f.length());
            }
        }
        return fileField;
    }
}
