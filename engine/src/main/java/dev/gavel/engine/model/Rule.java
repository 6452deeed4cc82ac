package dev.gavel.engine.model;

import java.util.Objects;
import java.util.Optional;

/**
 * One rule: when the condition holds, the effect applies with the message.
 *
 * @param check the provider check the rule was written as; {@code when} is then the condition it compiles to
 * @param when the condition text, unparsed (the expression language lives in {@code dev.gavel.engine.expr})
 * @param whenLocation where the first character of {@code when} is in the source file; not part of equality,
 *                     so a rule read back from rewritten YAML equals the original
 */
public record Rule(
        String name,
        String when,
        Effect effect,
        String message,
        SourceLocation whenLocation,
        Optional<ProviderCheck> check) {

    public Rule {
        Names.requireValid("rule name", name);
        Objects.requireNonNull(when, "when");
        Objects.requireNonNull(effect, "effect");
        Objects.requireNonNull(message, "message");
        if (when.isEmpty() || message.isEmpty()) {
            throw new IllegalArgumentException("rule '" + name + "': when and message must not be empty");
        }
        whenLocation = whenLocation == null ? SourceLocation.UNKNOWN : whenLocation;
        check = check == null ? Optional.empty() : check;
    }

    public Rule(String name, String when, Effect effect, String message, SourceLocation whenLocation) {
        this(name, when, effect, message, whenLocation, Optional.empty());
    }

    public Rule(String name, String when, Effect effect, String message) {
        this(name, when, effect, message, SourceLocation.UNKNOWN);
    }

    /**
     * The source location of the character at {@code offset} in {@link #when()}. Exact for single-line
     * plain or quoted scalars without escapes, and for literal block scalars ({@code |}); for other
     * multi-line forms it is the best guess (same column rules as a literal block).
     */
    public SourceLocation locateInWhen(int offset) {
        int clamped = Math.max(0, Math.min(offset, when.length()));
        int lineBreaks = 0;
        int lastBreak = -1;
        for (int i = 0; i < clamped; i++) {
            if (when.charAt(i) == '\n') {
                lineBreaks++;
                lastBreak = i;
            }
        }
        int column = whenLocation.column() + when.codePointCount(lastBreak + 1, clamped);
        return new SourceLocation(whenLocation.file(), whenLocation.line() + lineBreaks, column);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rule r
                && name.equals(r.name)
                && when.equals(r.when)
                && effect == r.effect
                && message.equals(r.message)
                && check.equals(r.check);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, when, effect, message, check);
    }
}
