package dev.gavel.bench.peers;

import dev.gavel.engine.eval.Request;

/**
 * Another engine holding the same policies, asked in-process (or over HTTP for Cerbos). Implementations
 * are built once per repository and then shared by threads, as Gavel's snapshot is.
 */
public interface Peer extends AutoCloseable {
    /** Short name used in benchmark parameters and reports ({@code cedar}, {@code jcasbin}, ...). */
    String name();

    /** The outcome, including the conversion of the request into the peer's input (Gavel times that too). */
    Outcome decide(Request request);

    /** What the peer matched for a request, for disagreement reports; not timed. */
    default String explain(Request request) {
        return decide(request).label();
    }

    @Override
    default void close() {}
}
