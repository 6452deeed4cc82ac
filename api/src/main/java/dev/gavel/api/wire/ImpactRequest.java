package dev.gavel.api.wire;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Two revisions of the served repository to compare. */
public record ImpactRequest(
        @Doc(value = "A ref or commit id", example = "main~1")
        String base,

        @Doc(value = "A ref or commit id; default: the branch head") @JsonInclude(JsonInclude.Include.NON_NULL)
        String head) {}
