package dev.gavel.api.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gavel.engine.model.Category;
import dev.gavel.engine.model.Enforcement;
import dev.gavel.engine.model.PolicyType;
import dev.gavel.engine.model.Status;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;

/** One item of the policy list: the policy's head fields, its file's stamps, its usage and breaker. */
public record PolicySummary(
        @Doc(pattern = Patterns.SCOPE, example = "acme.chat")
        String scope,

        @Doc(pattern = Patterns.NAME, example = "gpu-regions")
        String name,

        @Doc(example = "policies/acme/chat/gpu-regions.yaml")
        String file,

        @Doc(oneOf = PolicyType.class) String type,
        @Doc(oneOf = Enforcement.class) String enforcement,
        @Doc(oneOf = Status.class) String status,
        boolean locked,
        Optional<String> displayName,
        @Doc(oneOf = Category.class) Optional<String> category,
        Optional<String> owner,
        Map<String, String> labels,
        Optional<LocalDate> nextReview,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant createdAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Author createdBy,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant updatedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Author updatedBy,
        @JsonInclude(JsonInclude.Include.NON_NULL) Usage usage,
        @JsonInclude(JsonInclude.Include.NON_NULL) CircuitBreaker circuitBreaker,

        @Doc("For a heartbeat policy: the workloads it governs now (docs/workloads.md)")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        Workloads.WorkloadCounts workloads) {}
