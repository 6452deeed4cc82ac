package dev.gavel.api.validate.replay;

import java.time.Instant;
import java.util.Optional;

/**
 * Which logged evaluations to replay: the newest {@code limit} made at or after {@code since}.
 */
public record ReplayWindow(Optional<Instant> since, long limit) {
    public ReplayWindow {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
    }
}
