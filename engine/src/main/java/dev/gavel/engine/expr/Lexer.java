package dev.gavel.engine.expr;

import dev.gavel.engine.expr.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/** Splits a condition into tokens with line and column; the first bad character is a {@link SyntaxError}. */
final class Lexer {
    private final String text;
    private int offset;
    private int line = 1;
    private int lineStart;

    private Lexer(String text) {
        this.text = text;
    }

    static List<Token> tokens(String text) {
        Lexer lexer = new Lexer(text);
        List<Token> tokens = new ArrayList<>();
        Token token;
        do {
            token = lexer.next();
            tokens.add(token);
        } while (token.kind() != Kind.END);
        return tokens;
    }

    Position positionOf(int at) {
        return new Position(line, text.codePointCount(lineStart, at) + 1);
    }

    private Token next() {
        skipWhitespace();
        int start = offset;
        Position pos = positionOf(start);
        if (offset >= text.length()) {
            return new Token(Kind.END, "", pos, start, start);
        }
        char c = text.charAt(offset);
        if (isWordStart(c)) {
            return word(start, pos);
        }
        if (isDigit(c) || (c == '-' && offset + 1 < text.length() && isDigit(text.charAt(offset + 1)))) {
            return integer(start, pos);
        }
        if (c == '"') {
            return string(start, pos);
        }
        return symbol(c, start, pos);
    }

    private void skipWhitespace() {
        while (offset < text.length()) {
            char c = text.charAt(offset);
            if (c == '\n' || (c == '\r' && !(offset + 1 < text.length() && text.charAt(offset + 1) == '\n'))) {
                offset++;
                line++;
                lineStart = offset;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                offset++;
            } else {
                return;
            }
        }
    }

    private Token word(int start, Position pos) {
        offset++;
        while (offset < text.length() && isWordPart(text.charAt(offset))) {
            offset++;
        }
        // Later segments of a path may be label or attribute keys: digits first and '-' are allowed.
        while (offset < text.length() && text.charAt(offset) == '.') {
            int dot = offset;
            offset++;
            if (offset >= text.length() || !isKeyPart(text.charAt(offset))) {
                throw new SyntaxError(
                        positionOf(dot + 1), "expected a field name after '" + text.substring(start, dot + 1) + "'");
            }
            while (offset < text.length() && isKeyPart(text.charAt(offset))) {
                offset++;
            }
        }
        return new Token(Kind.WORD, text.substring(start, offset), pos, start, offset);
    }

    private Token integer(int start, Position pos) {
        if (text.charAt(offset) == '-') {
            offset++;
        }
        while (offset < text.length() && isDigit(text.charAt(offset))) {
            offset++;
        }
        if (offset < text.length() && (isWordPart(text.charAt(offset)) || text.charAt(offset) == '.')) {
            throw new SyntaxError(
                    positionOf(offset),
                    "unexpected " + describeChar(offset) + " in a number; integers are whole numbers like 1000");
        }
        String digits = text.substring(start, offset);
        try {
            Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new SyntaxError(pos, "integer " + digits + " is out of range (at most " + Long.MAX_VALUE + ")");
        }
        return new Token(Kind.INTEGER, digits, pos, start, offset);
    }

    private Token string(int start, Position pos) {
        offset++;
        StringBuilder value = new StringBuilder();
        while (true) {
            if (offset >= text.length()) {
                throw new SyntaxError(pos, "unterminated string: missing closing '\"'");
            }
            char c = text.charAt(offset);
            if (c == '"') {
                offset++;
                return new Token(Kind.STRING, value.toString(), pos, start, offset);
            }
            if (c == '\\') {
                if (offset + 1 >= text.length()) {
                    throw new SyntaxError(pos, "unterminated string: missing closing '\"'");
                }
                char escaped = text.charAt(offset + 1);
                switch (escaped) {
                    case '"' -> value.append('"');
                    case '\\' -> value.append('\\');
                    case 'n' -> value.append('\n');
                    case 't' -> value.append('\t');
                    default ->
                        throw new SyntaxError(
                                positionOf(offset),
                                "unknown escape '\\" + printable(escaped)
                                        + "' in a string; only \\\", \\\\, \\n and \\t are allowed");
                }
                offset += 2;
                continue;
            }
            if (Character.isISOControl(c) && c != '\t') {
                throw new SyntaxError(
                        positionOf(offset),
                        (c == '\n' || c == '\r' ? "line break" : "control character " + codePoint(c))
                                + " inside a string; write \\n or \\t, or close the string with '\"'");
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c)
                        && offset + 1 < text.length()
                        && Character.isLowSurrogate(text.charAt(offset + 1))) {
                    value.append(c).append(text.charAt(offset + 1));
                    offset += 2;
                    continue;
                }
                throw new SyntaxError(positionOf(offset), "invalid character " + codePoint(c) + " inside a string");
            }
            value.append(c);
            offset++;
        }
    }

    private Token symbol(char c, int start, Position pos) {
        char n = offset + 1 < text.length() ? text.charAt(offset + 1) : 0;
        Kind kind;
        int length = 1;
        switch (c) {
            case '(' -> kind = Kind.LPAREN;
            case ')' -> kind = Kind.RPAREN;
            case '[' -> kind = Kind.LBRACKET;
            case ']' -> kind = Kind.RBRACKET;
            case ',' -> kind = Kind.COMMA;
            case '!' -> {
                kind = n == '=' ? Kind.NE : Kind.NOT;
                length = n == '=' ? 2 : 1;
            }
            case '<' -> {
                kind = n == '=' ? Kind.LE : Kind.LT;
                length = n == '=' ? 2 : 1;
            }
            case '>' -> {
                kind = n == '=' ? Kind.GE : Kind.GT;
                length = n == '=' ? 2 : 1;
            }
            case '=' -> {
                if (n != '=') {
                    throw new SyntaxError(pos, "use '==' to compare ('=' alone is not an operator)");
                }
                kind = Kind.EQ;
                length = 2;
            }
            case '&' -> {
                if (n != '&') {
                    throw new SyntaxError(pos, "use '&&' for 'and'");
                }
                kind = Kind.AND;
                length = 2;
            }
            case '|' -> {
                if (n != '|') {
                    throw new SyntaxError(pos, "use '||' for 'or'");
                }
                kind = Kind.OR;
                length = 2;
            }
            case '\'' -> throw new SyntaxError(pos, "strings are written in double quotes: \"...\"");
            default -> throw new SyntaxError(pos, "unexpected " + describeChar(offset));
        }
        offset += length;
        return new Token(kind, text.substring(start, offset), pos, start, offset);
    }

    private String describeChar(int at) {
        int cp = text.codePointAt(at);
        if (Character.isISOControl(cp)
                || Character.isWhitespace(cp)
                || Character.isSurrogate(text.charAt(at))
                || Character.getType(cp) == Character.FORMAT) {
            return "character " + codePoint(cp);
        }
        return "character '" + new String(Character.toChars(cp)) + "'";
    }

    private static String printable(char c) {
        return Character.isISOControl(c) || Character.isSurrogate(c) ? codePoint(c) : String.valueOf(c);
    }

    private static String codePoint(int cp) {
        return String.format("U+%04X", cp);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isWordStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isWordPart(char c) {
        return isWordStart(c) || isDigit(c);
    }

    private static boolean isKeyPart(char c) {
        return isWordPart(c) || c == '-';
    }
}
