package dev.gavel.api.validate.replay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gavel.store.log.LoggedMatch;
import java.time.Instant;
import java.util.List;

/**
 * One logged evaluation as replay needs it: what was asked, what was decided then, and which rules matched.
 *
 * @param scope dotted ({@code ""} = global)
 * @param request the request body as the runtime sent it
 */
public record LoggedRequest(
        String id, Instant time, String scope, String decision, List<LoggedMatch> matches, JsonNode request) {
    public LoggedRequest {
        matches = List.copyOf(matches);
    }
}
