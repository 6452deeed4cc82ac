package dev.gavel.bench.peers;

import dev.gavel.engine.eval.Evaluation;

/**
 * What a request gets, as every peer must say it: Gavel's decision, or {@link #REJECT} when an
 * applicable warn or block policy needs a field the request lacks (Gavel's HTTP API answers 422 there,
 * whatever the decision; an audit policy cannot refuse a request). Ordered weakest first: a request's outcome is the strongest outcome of the rules it matched.
 */
public enum Outcome {
    ALLOW,
    WARN,
    DENY,
    REJECT;

    public static Outcome of(Evaluation e) {
        if (!e.refusing().isEmpty()) {
            return REJECT;
        }
        return switch (e.decision()) {
            case ALLOW -> ALLOW;
            case WARN -> WARN;
            case DENY -> DENY;
        };
    }

    public Outcome atLeast(Outcome other) {
        return other.ordinal() > ordinal() ? other : this;
    }

    /** Lower case, as in Gavel's API ({@code allow}, {@code warn}, {@code deny}) plus {@code reject}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Outcome ofLabel(String label) {
        return valueOf(label.toUpperCase(java.util.Locale.ROOT));
    }
}
