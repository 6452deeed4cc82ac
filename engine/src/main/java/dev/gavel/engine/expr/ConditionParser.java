package dev.gavel.engine.expr;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.gavel.engine.expr.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Recursive-descent parser and type checker in one pass: fields are resolved and predicates
 * checked as they are built, so a type error is reported and parsing goes on; a syntax error
 * stops it. Grammar (lowest precedence first):
 *
 * <pre>
 * condition := or END
 * or        := and ('||' and)*
 * and       := unary ('&&' unary)*
 * unary     := '!' unary | '(' or ')' | predicate
 * predicate := operand (('==' | '!=' | '<' | '<=' | '>' | '>=') operand
 *                      | 'in' '[' literal (',' literal)* ']'
 *                      | ('contains' | 'startsWith' | 'endsWith' | 'matches') STRING)?
 * operand   := path ('[' STRING ']')? | STRING | INTEGER | 'true' | 'false'
 * </pre>
 */
final class ConditionParser {
    private static final Map<String, StringOpKind> STRING_OPS = Map.of(
            "contains",
            StringOpKind.CONTAINS,
            "startsWith",
            StringOpKind.STARTS_WITH,
            "endsWith",
            StringOpKind.ENDS_WITH);

    private final List<Token> tokens;
    private final FieldResolver resolver;
    private final int maxDepth;
    private final List<ConditionError> errors = new ArrayList<>();
    private int at;

    private ConditionParser(List<Token> tokens, FieldResolver resolver, int maxDepth) {
        this.tokens = tokens;
        this.resolver = resolver;
        this.maxDepth = maxDepth;
    }

    /** A parsed operand; {@code field == null && literal == null} after an error already reported. */
    private record Parsed(
            FieldRef field, FieldResolver.AttributeKey attribute, Literal literal, Position pos, String text) {
        boolean failed() {
            return field == null && attribute == null && literal == null;
        }

        boolean isField() {
            return field != null || attribute != null;
        }

        /** The field typed as {@code type}: attributes take the type of what they are compared with. */
        FieldRef typed(ValueType type) {
            return field != null ? field : new FieldRef.Attribute(attribute.key(), type, attribute.pos());
        }

        String describe() {
            if (literal != null) {
                return literal.type().word() + " " + text;
            }
            return (field != null ? field.type().word() + " field '" : "attribute '") + text + "'";
        }
    }

    /** Parses and checks; returns the condition and the list of errors (the condition is meaningless if any). */
    static ConditionResult parse(List<Token> tokens, RequestSchema schema, int maxDepth) {
        ConditionParser parser = new ConditionParser(tokens, new FieldResolver(schema), maxDepth);
        Expr expr;
        try {
            expr = parser.or(0);
            Token end = parser.peek();
            if (end.kind() != Kind.END) {
                throw new SyntaxError(
                        end.pos(),
                        end.kind() == Kind.RPAREN
                                ? "unmatched ')'"
                                : "expected '&&', '||' or the end of the condition, found " + end.describe()
                                        + hint(end));
            }
        } catch (SyntaxError e) {
            parser.errors.add(e.error);
            return new ConditionResult.Rejected(parser.errors);
        }
        return parser.errors.isEmpty()
                ? new ConditionResult.Checked(expr)
                : new ConditionResult.Rejected(parser.errors);
    }

    private Expr or(int depth) {
        Expr left = and(depth);
        while (peek().kind() == Kind.OR) {
            Token op = advance();
            left = new Expr.Or(left, and(depth), op.pos());
        }
        return left;
    }

    private Expr and(int depth) {
        Expr left = unary(depth);
        while (peek().kind() == Kind.AND) {
            Token op = advance();
            left = new Expr.And(left, unary(depth), op.pos());
        }
        return left;
    }

    private Expr unary(int depth) {
        Token token = peek();
        if (token.kind() == Kind.NOT || token.kind() == Kind.LPAREN) {
            // Checked before recursing: input nested 10,000 deep gets a diagnostic, not a StackOverflowError.
            if (depth >= maxDepth) {
                throw new SyntaxError(
                        token.pos(), "the condition nests deeper than " + maxDepth + " levels of '(' and '!'");
            }
            advance();
            if (token.kind() == Kind.NOT) {
                return new Expr.Not(unary(depth + 1), token.pos());
            }
            Expr inner = or(depth + 1);
            expect(Kind.RPAREN, "expected ')' to close the '(' at " + token.pos());
            return inner;
        }
        if (token.kind() == Kind.WORD && token.text().equals("not")) {
            throw new SyntaxError(token.pos(), "use '!' for 'not'");
        }
        return predicate();
    }

    private Expr predicate() {
        Parsed left = operand("a field or a literal");
        Token op = peek();
        switch (op.kind()) {
            case EQ, NE, LT, LE, GT, GE -> {
                advance();
                return compare(
                        left, compareOp(op.kind()), op, operand("a field or a literal after '" + op.text() + "'"));
            }
            case WORD -> {
                if (op.text().equals("in")) {
                    advance();
                    return in(left, op);
                }
                StringOpKind kind = STRING_OPS.get(op.text());
                if (kind != null || op.text().equals("matches")) {
                    advance();
                    return stringTest(left, kind, op);
                }
                if (op.text().equals("and") || op.text().equals("or")) {
                    return bare(left); // reported by the caller's "expected '&&', '||'"
                }
                throw new SyntaxError(
                        op.pos(),
                        "expected an operator (==, !=, <, <=, >, >=, in, contains, startsWith, "
                                + "endsWith, matches) after " + quoted(left) + ", found " + op.describe());
            }
            case STRING, INTEGER, LBRACKET ->
                throw new SyntaxError(
                        op.pos(),
                        "expected an operator (==, !=, <, <=, >, >=, in, contains, startsWith, endsWith, matches) after "
                                + quoted(left) + ", found " + op.describe());
            default -> {
                return bare(left);
            }
        }
    }

    private Expr bare(Parsed operand) {
        if (operand.failed()) {
            return placeholder(operand.pos());
        }
        if (operand.literal() != null) {
            return fail(
                    operand.pos(),
                    "a literal alone is not a condition; compare a field with it, e.g. " + "resource.name == "
                            + operand.text());
        }
        if (operand.field() != null && operand.field().type() != ValueType.BOOLEAN) {
            return fail(
                    operand.pos(),
                    "'" + operand.text() + "' is a " + operand.field().type().word()
                            + " field, not a condition; compare it, e.g. " + operand.text() + " == "
                            + (operand.field().type() == ValueType.INTEGER ? "1000" : "\"...\""));
        }
        return new Expr.BoolField(operand.typed(ValueType.BOOLEAN), operand.pos());
    }

    private Expr compare(Parsed left, CompareOp op, Token opToken, Parsed right) {
        if (left.failed() || right.failed()) {
            return placeholder(opToken.pos());
        }
        if (!left.isField() && right.isField()) {
            // "5 < tokens.input" is stored as "tokens.input > 5": the field is always on the left.
            return compare(right, op.mirrored(), opToken, left);
        }
        if (!left.isField()) {
            return fail(opToken.pos(), "'" + op.symbol() + "' compares two literals; one side must be a request field");
        }
        if (right.isField()) {
            return fail(
                    opToken.pos(),
                    "'" + op.symbol() + "' compares two fields; compare a field with a literal "
                            + "(comparing fields with each other is not supported)");
        }
        Literal value = right.literal();
        ValueType type = left.field() != null ? left.field().type() : value.type();
        if (op.isOrdering() && (type != ValueType.INTEGER || value.type() != ValueType.INTEGER)) {
            Parsed offender = left.field() != null && type != ValueType.INTEGER ? left : right;
            return fail(opToken.pos(), "'" + op.symbol() + "' needs integers, got " + offender.describe());
        }
        if (value.type() != type) {
            return fail(
                    opToken.pos(),
                    "'" + op.symbol() + "' compares " + left.describe() + " with " + right.describe()
                            + hintQuotes(type, right));
        }
        return new Expr.Compare(left.typed(type), op, value, opToken.pos());
    }

    private Expr in(Parsed left, Token opToken) {
        Token open = peek();
        if (open.kind() != Kind.LBRACKET) {
            throw new SyntaxError(
                    open.pos(), "expected a list like [\"a\", \"b\"] after 'in', found " + open.describe());
        }
        advance();
        List<Literal> values = new ArrayList<>();
        boolean mixed = false;
        if (peek().kind() != Kind.RBRACKET) {
            do {
                Token first = peek();
                if (first.kind() == Kind.WORD
                        && !first.text().equals("true")
                        && !first.text().equals("false")) {
                    throw new SyntaxError(first.pos(), "a list holds literals only, found " + first.describe());
                }
                Parsed element = operand("a literal in the list");
                if (!values.isEmpty()
                        && element.literal().type() != values.get(0).type()) {
                    if (!mixed) {
                        errors.add(new ConditionError(
                                element.pos(),
                                "the list mixes " + values.get(0).type().word() + " and "
                                        + element.literal().type().word() + " values"));
                    }
                    mixed = true;
                }
                values.add(element.literal());
            } while (accept(Kind.COMMA));
        }
        expect(Kind.RBRACKET, "expected ',' or ']' in the list after 'in'");
        if (left.failed() || mixed) {
            return placeholder(opToken.pos());
        }
        if (!left.isField()) {
            return fail(left.pos(), "the left side of 'in' must be a request field, found " + left.describe());
        }
        if (values.isEmpty()) {
            return fail(open.pos(), "'in' needs at least one value in the list");
        }
        ValueType type =
                left.field() != null ? left.field().type() : values.get(0).type();
        if (values.get(0).type() != type) {
            return fail(
                    opToken.pos(),
                    "'in' compares " + left.describe() + " with a list of "
                            + values.get(0).type().word() + "s");
        }
        return new Expr.In(left.typed(type), values, opToken.pos());
    }

    /** {@code kind == null} means {@code matches}. */
    private Expr stringTest(Parsed left, StringOpKind kind, Token opToken) {
        String name = kind == null ? "matches" : kind.keyword();
        Token arg = peek();
        if (arg.kind() != Kind.STRING) {
            throw new SyntaxError(arg.pos(), "expected a string literal after '" + name + "', found " + arg.describe());
        }
        advance();
        Literal.Str value = new Literal.Str(arg.text(), arg.pos());
        String regexProblem = kind == null ? regexProblem(arg.text()) : null;
        if (regexProblem != null) {
            errors.add(new ConditionError(arg.pos(), regexProblem));
        }
        if (left.failed() || regexProblem != null) {
            return placeholder(opToken.pos());
        }
        if (!left.isField()) {
            return fail(
                    left.pos(), "the left side of '" + name + "' must be a request field, found " + left.describe());
        }
        if (left.field() != null && left.field().type() != ValueType.STRING) {
            return fail(opToken.pos(), "'" + name + "' needs a string field, got " + left.describe());
        }
        FieldRef field = left.typed(ValueType.STRING);
        return kind == null
                ? new Expr.Matches(field, value, opToken.pos())
                : new Expr.StringOp(field, kind, value, opToken.pos());
    }

    /** Why RE2J cannot use the pattern, or null. */
    private static String regexProblem(String pattern) {
        long size = RegexSize.estimate(pattern);
        if (size > RegexSize.MAX) {
            // Checked before compiling: RE2J would build the whole expanded program first.
            return "the regular expression is too large: its repetition counts expand to about " + size
                    + " instructions (at most " + RegexSize.MAX + ")";
        }
        try {
            Pattern.compile(pattern);
            return null;
        } catch (PatternSyntaxException e) {
            String at = e.getPattern() == null || e.getPattern().isEmpty() ? "" : " at '" + e.getPattern() + "'";
            return "invalid regular expression: " + e.getDescription() + at;
        }
    }

    private Parsed operand(String expected) {
        Token token = peek();
        switch (token.kind()) {
            case STRING -> {
                advance();
                return new Parsed(
                        null,
                        null,
                        new Literal.Str(token.text(), token.pos()),
                        token.pos(),
                        ExprPrinter.quote(token.text()));
            }
            case INTEGER -> {
                advance();
                return new Parsed(
                        null,
                        null,
                        new Literal.Int(Long.parseLong(token.text()), token.pos()),
                        token.pos(),
                        token.text());
            }
            case WORD -> {
                advance();
                String word = token.text();
                if (word.equals("true") || word.equals("false")) {
                    return new Parsed(
                            null, null, new Literal.Bool(word.equals("true"), token.pos()), token.pos(), word);
                }
                if (isKeyword(word)) {
                    throw new SyntaxError(token.pos(), "expected " + expected + ", found '" + word + "'");
                }
                String quotedKey = null;
                String text = word;
                Token bracket = peek();
                if (bracket.kind() == Kind.LBRACKET && bracket.start() == token.end()) {
                    advance();
                    Token key = peek();
                    if (key.kind() != Kind.STRING) {
                        throw new SyntaxError(key.pos(), "expected a quoted key in " + word + "[\"...\"]");
                    }
                    advance();
                    expect(Kind.RBRACKET, "expected ']' after the key");
                    quotedKey = key.text();
                    text = word + "[" + ExprPrinter.quote(quotedKey) + "]";
                }
                try {
                    FieldResolver.Target target = resolver.resolve(word, quotedKey, token.pos());
                    if (target instanceof FieldResolver.Resolved resolved) {
                        return new Parsed(
                                resolved.ref(),
                                null,
                                null,
                                token.pos(),
                                resolved.ref().path());
                    }
                    return new Parsed(null, (FieldResolver.AttributeKey) target, null, token.pos(), text);
                } catch (SyntaxError e) {
                    errors.add(e.error);
                    return new Parsed(null, null, null, token.pos(), text);
                }
            }
            case LPAREN ->
                throw new SyntaxError(
                        token.pos(), "'(' cannot start " + expected + "; parentheses group whole conditions");
            default -> throw new SyntaxError(token.pos(), "expected " + expected + ", found " + token.describe());
        }
    }

    private static boolean isKeyword(String word) {
        return word.equals("in") || word.equals("matches") || STRING_OPS.containsKey(word);
    }

    private Expr fail(Position pos, String message) {
        errors.add(new ConditionError(pos, message));
        return placeholder(pos);
    }

    /** Stands in for a predicate that was rejected, so parsing can go on; never returned to a caller. */
    private static Expr placeholder(Position pos) {
        return new Expr.BoolField(new FieldRef.Attribute("_", ValueType.BOOLEAN, pos), pos);
    }

    private static String quoted(Parsed operand) {
        return operand.literal() != null ? operand.text() : "'" + operand.text() + "'";
    }

    private static String hint(Token token) {
        if (token.kind() == Kind.WORD && token.text().equals("and")) {
            return "; use '&&' for 'and'";
        }
        if (token.kind() == Kind.WORD && token.text().equals("or")) {
            return "; use '||' for 'or'";
        }
        return "";
    }

    private static String hintQuotes(ValueType expected, Parsed right) {
        if (expected == ValueType.STRING && right.literal() != null) {
            return "; write \"" + right.text() + "\" for a string";
        }
        return "";
    }

    private static CompareOp compareOp(Kind kind) {
        return switch (kind) {
            case EQ -> CompareOp.EQ;
            case NE -> CompareOp.NE;
            case LT -> CompareOp.LT;
            case LE -> CompareOp.LE;
            case GT -> CompareOp.GT;
            case GE -> CompareOp.GE;
            default -> throw new IllegalStateException(kind.name());
        };
    }

    private Token peek() {
        return tokens.get(at);
    }

    private Token advance() {
        Token token = tokens.get(at);
        if (token.kind() != Kind.END) {
            at++;
        }
        return token;
    }

    private boolean accept(Kind kind) {
        if (peek().kind() == kind) {
            advance();
            return true;
        }
        return false;
    }

    private void expect(Kind kind, String message) {
        Token token = peek();
        if (token.kind() != kind) {
            throw new SyntaxError(token.pos(), message + ", found " + token.describe());
        }
        advance();
    }
}
