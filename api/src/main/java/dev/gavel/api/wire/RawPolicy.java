package dev.gavel.api.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** A policy file as stored: its parsed tree (or its diagnostics), source text, ETag and stamps. */
public record RawPolicy(
        @Doc(pattern = Patterns.SCOPE, example = "acme.chat")
        String scope,

        @Doc(pattern = Patterns.NAME, example = "gpu-regions")
        String name,

        @Doc(example = "policies/acme/chat/gpu-regions.yaml")
        String file,

        @Doc(pattern = Patterns.COMMIT) String commit,

        @Doc("Git's blob id of the file, quoted: the If-Match of a write")
        String etag,

        @Doc(value = "The parsed policy; null when the file does not parse", ref = "Policy")
        JsonNode policy,

        @JsonInclude(JsonInclude.Include.NON_NULL) List<DiagnosticBody> diagnostics,
        @Doc("The file's YAML text") String source,

        @Doc("metadata.nextReview of the policy") @JsonInclude(JsonInclude.Include.NON_NULL)
        LocalDate nextReview,

        @JsonInclude(JsonInclude.Include.NON_NULL) Instant createdAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Author createdBy,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant updatedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Author updatedBy,
        @JsonInclude(JsonInclude.Include.NON_NULL) Usage usage,
        @JsonInclude(JsonInclude.Include.NON_NULL) CircuitBreaker circuitBreaker,

        @Doc("For a heartbeat policy: the workloads it governs now (docs/workloads.md)")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        Workloads.WorkloadCounts workloads) {

    public RawPolicy(
            String scope,
            String name,
            String file,
            String commit,
            String etag,
            JsonNode policy,
            List<DiagnosticBody> diagnostics,
            String source,
            LocalDate nextReview,
            Instant createdAt,
            Author createdBy,
            Instant updatedAt,
            Author updatedBy,
            Usage usage,
            CircuitBreaker circuitBreaker) {
        this(
                scope,
                name,
                file,
                commit,
                etag,
                policy,
                diagnostics,
                source,
                nextReview,
                createdAt,
                createdBy,
                updatedAt,
                updatedBy,
                usage,
                circuitBreaker,
                null);
    }

    public RawPolicy withAnnotations(Usage u, CircuitBreaker b) {
        return new RawPolicy(
                scope,
                name,
                file,
                commit,
                etag,
                policy,
                diagnostics,
                source,
                nextReview,
                createdAt,
                createdBy,
                updatedAt,
                updatedBy,
                u,
                b,
                workloads);
    }

    public RawPolicy withWorkloads(Workloads.WorkloadCounts w) {
        return new RawPolicy(
                scope,
                name,
                file,
                commit,
                etag,
                policy,
                diagnostics,
                source,
                nextReview,
                createdAt,
                createdBy,
                updatedAt,
                updatedBy,
                usage,
                circuitBreaker,
                w);
    }
}
