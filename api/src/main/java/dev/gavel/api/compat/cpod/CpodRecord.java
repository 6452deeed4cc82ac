package dev.gavel.api.compat.cpod;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;

/**
 * One policy as seed 004's record, field for field in the document's order. Every field is always
 * present; what a policy does not have is null (an SLA policy has no body, a document no priority).
 */
@JsonPropertyOrder({
    "id",
    "tenant_id",
    "app_id",
    "created_at",
    "updated_at",
    "created_by",
    "updated_by",
    "source",
    "source_type",
    "is_deleted",
    "deleted_at",
    "deleted_by",
    "schema_version",
    "name",
    "description",
    "applies_to",
    "priority",
    "first_response_minutes",
    "resolution_minutes",
    "business_hours_only",
    "status",
    "body",
    "version",
    "category",
    "owner_id",
    "published_at",
    "next_review_at",
    "tags"
})
public record CpodRecord(
        String id,
        @JsonProperty("tenant_id") String tenantId,
        @JsonProperty("app_id") String appId,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("updated_at") Instant updatedAt,
        @JsonProperty("created_by") String createdBy,
        @JsonProperty("updated_by") String updatedBy,
        String source,
        @JsonProperty("source_type") String sourceType,
        @JsonProperty("is_deleted") boolean deleted,
        @JsonProperty("deleted_at") Instant deletedAt,
        @JsonProperty("deleted_by") String deletedBy,
        @JsonProperty("schema_version") int schemaVersion,
        String name,
        String description,
        @JsonProperty("applies_to") List<String> appliesTo,
        String priority,
        @JsonProperty("first_response_minutes") Long firstResponseMinutes,
        @JsonProperty("resolution_minutes") Long resolutionMinutes,
        @JsonProperty("business_hours_only") Boolean businessHoursOnly,
        String status,
        String body,
        String version,
        String category,
        @JsonProperty("owner_id") String ownerId,
        @JsonProperty("published_at") Instant publishedAt,
        @JsonProperty("next_review_at") Instant nextReviewAt,
        List<String> tags) {

    /** The id prefix of the seed's policy records. */
    public static final String ID_PREFIX = "per_";

    /** A page of records: {@code data}, whether more follow, the cursor to them, and how many match in all. */
    public record Page(
            List<CpodRecord> data,
            @JsonProperty("has_more") boolean hasMore,
            @JsonProperty("next_cursor") String nextCursor,
            int total) {}
}
