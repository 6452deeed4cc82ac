package dev.gavel.engine.expr;

/**
 * One lexeme. {@code text} is the decoded value of a string, the digits of an integer, the dotted
 * path of a word; {@code start}/{@code end} are char offsets in the condition text.
 */
record Token(Kind kind, String text, Position pos, int start, int end) {
    enum Kind {
        WORD, // a keyword or a dotted field path
        STRING,
        INTEGER,
        LPAREN("("),
        RPAREN(")"),
        LBRACKET("["),
        RBRACKET("]"),
        COMMA(","),
        AND("&&"),
        OR("||"),
        NOT("!"),
        EQ("=="),
        NE("!="),
        LT("<"),
        LE("<="),
        GT(">"),
        GE(">="),
        END;

        final String symbol;

        Kind() {
            this(null);
        }

        Kind(String symbol) {
            this.symbol = symbol;
        }
    }

    /** How a message quotes this token. */
    String describe() {
        return switch (kind) {
            case END -> "the end of the condition";
            case STRING -> "a string";
            case INTEGER -> "'" + text + "'";
            case WORD -> "'" + text + "'";
            default -> "'" + kind.symbol + "'";
        };
    }
}
