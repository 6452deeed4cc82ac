package dev.gavel.api.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Whether a document (or a list of conditions) would be accepted, and why not. */
public record ValidationResult(
        @Doc("true when no diagnostic is an error") boolean valid,
        List<DiagnosticBody> diagnostics,

        @Doc(value = "The parsed policy, when the document parses", ref = "Policy")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        JsonNode policy) {}
