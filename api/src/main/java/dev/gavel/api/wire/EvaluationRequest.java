package dev.gavel.api.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * One request to decide. The engine's RequestReader reads it and names each missing or wrong field in a
 * 422; which fields a policy needs depends on the policy, so only {@code scope} is always required.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluationRequest(
        @Doc(value = "The scope asking, dotted; \"\" or _ is global", example = "acme.chat.support-bot.prod")
        @JsonInclude(JsonInclude.Include.ALWAYS)
        String scope,

        @Doc(value = "{type, name, ...}: what runs", example = "{\"type\": \"model\", \"name\": \"m1\"}")
        JsonNode resource,

        @Doc(example = "invoke") String action,

        @Doc(
                value = "{name, country, continent}: where it runs",
                example = "{\"name\": \"eu-west-1\", \"country\": \"IE\", \"continent\": \"EU\"}")
        JsonNode location,

        @Doc(value = "{name, type}: on what hardware", example = "{\"name\": \"c7i.large\", \"type\": \"cpu\"}")
        JsonNode flavor,

        @Doc(value = "{input, output}: token counts", example = "{\"input\": 1000, \"output\": 200}")
        JsonNode tokens,

        @Doc("Further attributes custom rules may read") Map<String, JsonNode> attributes) {

    /** Up to 1,000 requests decided together (all or nothing). */
    public record BatchRequest(List<EvaluationRequest> requests) {}
}
