package dev.gavel.engine.expr;

import java.util.List;

/** Entry point of the {@code when:} condition language (docs/conditions.md). */
public final class Conditions {
    /** Longest condition accepted, in chars. */
    public static final int MAX_LENGTH = 4096;

    /** Deepest nesting of '(' and '!' accepted. */
    public static final int MAX_DEPTH = 64;

    private Conditions() {}

    /**
     * Parses and type-checks a condition against the request model. Never throws for any input
     * text: every problem is a {@link ConditionError} with a line and column relative to {@code
     * text}.
     */
    public static ConditionResult parse(String text, RequestSchema schema) {
        if (text == null || text.isBlank()) {
            return rejected(new Position(1, 1), "the condition is empty");
        }
        if (text.length() > MAX_LENGTH) {
            return rejected(
                    new Position(1, 1),
                    "the condition is " + text.length() + " characters long; at most " + MAX_LENGTH + " are allowed");
        }
        List<Token> tokens;
        try {
            tokens = Lexer.tokens(text);
        } catch (SyntaxError e) {
            return new ConditionResult.Rejected(List.of(e.error));
        }
        return ConditionParser.parse(tokens, schema, MAX_DEPTH);
    }

    private static ConditionResult rejected(Position pos, String message) {
        return new ConditionResult.Rejected(List.of(new ConditionError(pos, message)));
    }
}
