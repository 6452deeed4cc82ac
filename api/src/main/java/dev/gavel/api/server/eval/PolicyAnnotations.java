package dev.gavel.api.server.eval;

import dev.gavel.api.wire.CircuitBreaker;
import dev.gavel.api.wire.Usage;
import dev.gavel.engine.model.ScopePath;

/**
 * What the log knows about a policy: {@code usage} (evaluations, denies, warns over 24 h and 7 days) and
 * {@code circuitBreaker} (state, openedAt, reason). {@link #begin()} once per response.
 */
@FunctionalInterface
public interface PolicyAnnotations {
    PolicyAnnotations NONE = () -> (definedAt, name) -> new Annotation(null, null);

    Annotator begin();

    /** Usage and breaker of one policy; null parts are left out of the answer. */
    record Annotation(Usage usage, CircuitBreaker circuitBreaker) {}

    @FunctionalInterface
    interface Annotator {
        Annotation annotate(ScopePath definedAt, String name);
    }
}
