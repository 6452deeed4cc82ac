package dev.gavel.api.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gavel.engine.model.PolicyType;
import java.util.List;

/** One ready example policy per built-in type. */
public record TemplateList(List<Template> data) {
    /** An example: its YAML and its parsed tree. */
    public record Template(
            @Doc(oneOf = PolicyType.class) String type,
            @Doc(pattern = Patterns.NAME) String name,
            String source,
            @Doc(ref = "Policy") JsonNode policy) {}
}
