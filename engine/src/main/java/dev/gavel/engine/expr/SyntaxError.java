package dev.gavel.engine.expr;

/** Stops parsing at the first syntax error; caught by {@link Conditions}, never thrown to callers. */
final class SyntaxError extends RuntimeException {
    final transient ConditionError error;

    SyntaxError(Position pos, String message) {
        super(message, null, false, false); // user input, not a bug: no stack trace
        this.error = new ConditionError(pos, message);
    }
}
