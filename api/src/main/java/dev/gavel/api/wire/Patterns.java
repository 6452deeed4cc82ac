package dev.gavel.api.wire;

import dev.gavel.engine.model.Names;

/** Patterns of names on the wire, as the document states them: the engine's one name rule. */
public final class Patterns {
    /** A policy name. */
    public static final String NAME = "^" + Names.REGEX + "$";
    /** A scope, dotted ("" is the global scope). */
    public static final String SCOPE = "^(" + Names.REGEX + "(\\." + Names.REGEX + ")*)?$";
    /** A scope in a URL path ("_" is the global scope). */
    public static final String SCOPE_URL = "^(_|" + Names.REGEX + "(\\." + Names.REGEX + ")*)$";
    /** A full commit id. */
    public static final String COMMIT = "^[0-9a-f]{40}$";

    private Patterns() {}
}
