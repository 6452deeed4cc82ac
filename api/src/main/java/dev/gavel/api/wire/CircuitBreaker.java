package dev.gavel.api.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Optional;

/** A policy's circuit breaker: configured in the file, open or closed, and why it opened. */
public record CircuitBreaker(
        boolean configured,
        @Doc(oneOf = State.class) String state,
        @JsonInclude(JsonInclude.Include.NON_NULL) Optional<Instant> openedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Optional<String> reason) {

    /** The breaker's states. */
    public enum State {
        OPEN,
        CLOSED
    }
}
