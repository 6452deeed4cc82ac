package dev.gavel.api.wire;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** The resolved policies of a scope, each with the layers that made it and where each field came from. */
public record ResolvedSet(
        @Doc(pattern = Patterns.SCOPE) String scope,
        @Doc(pattern = Patterns.COMMIT) String commit,
        List<Resolved> data) {

    /** One resolved policy. */
    public record Resolved(
            @Doc(pattern = Patterns.NAME) String name,
            @Doc(pattern = Patterns.SCOPE) String definedAt,
            @Doc(ref = "Policy") JsonNode policy,
            List<Layer> layers,

            @Doc("Field path -> the scope whose layer set it")
            Map<String, String> provenance) {}

    /** A file that contributed to the resolved policy. */
    public record Layer(@Doc(pattern = Patterns.SCOPE) String scope, String file) {}
}
