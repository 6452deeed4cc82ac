package dev.gavel.engine.eval;

import dev.gavel.engine.model.ScopePath;

/** A request field that an applicable policy needs to decide and the request does not carry. */
public record MissingField(String policy, ScopePath definedAt, String field, String message) {}
