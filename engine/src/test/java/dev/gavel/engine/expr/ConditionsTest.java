package dev.gavel.engine.expr;

import static dev.gavel.engine.expr.Asts.errors;
import static dev.gavel.engine.expr.Asts.parse;
import static dev.gavel.engine.expr.Asts.strip;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConditionsTest {
    private static final Position N = Position.NONE;

    private static FieldRef fixed(Field field) {
        return new FieldRef.Fixed(field, N);
    }

    private static Expr eq(Field field, String value) {
        return new Expr.Compare(fixed(field), CompareOp.EQ, new Literal.Str(value, N), N);
    }

    private static Expr gt(Field field, long value) {
        return new Expr.Compare(fixed(field), CompareOp.GT, new Literal.Int(value, N), N);
    }

    private static String message(String text) {
        List<ConditionError> errors = errors(text);
        assertThat(errors).hasSize(1);
        return errors.get(0).message();
    }

    @Nested
    class Structure {
        @Test
        @DisplayName("&& binds tighter than ||")
        void andBindsTighterThanOr() {
            Expr a = eq(Field.ACTION, "a");
            Expr b = eq(Field.ACTION, "b");
            Expr c = eq(Field.ACTION, "c");
            assertThat(strip(parse("action == \"a\" || action == \"b\" && action == \"c\"")))
                    .isEqualTo(new Expr.Or(a, new Expr.And(b, c, N), N));
            assertThat(strip(parse("action == \"a\" && action == \"b\" || action == \"c\"")))
                    .isEqualTo(new Expr.Or(new Expr.And(a, b, N), c, N));
        }

        @Test
        @DisplayName("&& and || associate to the left; parentheses override")
        void leftAssociative() {
            Expr a = eq(Field.ACTION, "a");
            Expr b = eq(Field.ACTION, "b");
            Expr c = eq(Field.ACTION, "c");
            assertThat(strip(parse("action == \"a\" && action == \"b\" && action == \"c\"")))
                    .isEqualTo(new Expr.And(new Expr.And(a, b, N), c, N));
            assertThat(strip(parse("action == \"a\" || action == \"b\" || action == \"c\"")))
                    .isEqualTo(new Expr.Or(new Expr.Or(a, b, N), c, N));
            assertThat(strip(parse("action == \"a\" && (action == \"b\" || action == \"c\")")))
                    .isEqualTo(new Expr.And(a, new Expr.Or(b, c, N), N));
        }

        @Test
        @DisplayName("! applies to the predicate or group that follows it")
        void notBindsTightest() {
            Expr a = eq(Field.ACTION, "a");
            Expr b = eq(Field.ACTION, "b");
            assertThat(strip(parse("!action == \"a\" && action == \"b\"")))
                    .isEqualTo(new Expr.And(new Expr.Not(a, N), b, N));
            assertThat(strip(parse("!(action == \"a\" && action == \"b\")")))
                    .isEqualTo(new Expr.Not(new Expr.And(a, b, N), N));
            assertThat(strip(parse("!!action == \"a\""))).isEqualTo(new Expr.Not(new Expr.Not(a, N), N));
        }

        @ParameterizedTest
        @CsvSource(
                delimiter = '|',
                value = {
                    "tokens.input == 5|EQ", "tokens.input != 5|NE", "tokens.input < 5|LT",
                    "tokens.input <= 5|LE", "tokens.input > 5|GT", "tokens.input >= 5|GE"
                })
        @DisplayName("every comparison operator parses to its CompareOp")
        void comparisonOperators(String text, CompareOp op) {
            assertThat(strip(parse(text)))
                    .isEqualTo(new Expr.Compare(fixed(Field.TOKENS_INPUT), op, new Literal.Int(5, N), N));
        }

        @Test
        @DisplayName("a literal on the left is moved to the right with the operator mirrored")
        void literalOnLeftIsMirrored() {
            assertThat(strip(parse("1000 < tokens.total"))).isEqualTo(gt(Field.TOKENS_TOTAL, 1000));
            assertThat(strip(parse("\"x\" == action"))).isEqualTo(eq(Field.ACTION, "x"));
        }

        @Test
        @DisplayName("in, contains, startsWith, endsWith and matches build their nodes")
        void infixOperators() {
            assertThat(strip(parse("resource.type in [\"model\", \"tool\"]")))
                    .isEqualTo(new Expr.In(
                            fixed(Field.RESOURCE_TYPE),
                            List.of(new Literal.Str("model", N), new Literal.Str("tool", N)),
                            N));
            assertThat(strip(parse("tokens.output in [1, -2]")))
                    .isEqualTo(new Expr.In(
                            fixed(Field.TOKENS_OUTPUT), List.of(new Literal.Int(1, N), new Literal.Int(-2, N)), N));
            for (StringOpKind kind : StringOpKind.values()) {
                assertThat(strip(parse("resource.name " + kind.keyword() + " \"gpt-\"")))
                        .isEqualTo(new Expr.StringOp(fixed(Field.RESOURCE_NAME), kind, new Literal.Str("gpt-", N), N));
            }
            assertThat(strip(parse("resource.name matches \"gpt-[0-9]+\"")))
                    .isEqualTo(new Expr.Matches(fixed(Field.RESOURCE_NAME), new Literal.Str("gpt-[0-9]+", N), N));
        }

        @Test
        @DisplayName("attributes take the type of the literal they meet; a bare attribute is a boolean test")
        void attributeTypesAreInferred() {
            assertThat(strip(parse("attributes.tier == \"gold\"")))
                    .isEqualTo(new Expr.Compare(
                            new FieldRef.Attribute("tier", ValueType.STRING, N),
                            CompareOp.EQ,
                            new Literal.Str("gold", N),
                            N));
            assertThat(strip(parse("attributes.n >= 3")))
                    .isEqualTo(new Expr.Compare(
                            new FieldRef.Attribute("n", ValueType.INTEGER, N), CompareOp.GE, new Literal.Int(3, N), N));
            assertThat(strip(parse("!attributes.internal")))
                    .isEqualTo(new Expr.Not(
                            new Expr.BoolField(new FieldRef.Attribute("internal", ValueType.BOOLEAN, N), N), N));
            assertThat(strip(parse("attributes[\"a.b/c\"] == true")))
                    .isEqualTo(new Expr.Compare(
                            new FieldRef.Attribute("a.b/c", ValueType.BOOLEAN, N),
                            CompareOp.EQ,
                            new Literal.Bool(true, N),
                            N));
        }

        @Test
        @DisplayName("aliases resource.flavor.* and resource.location.* resolve to flavor.* and location.*")
        void aliasesAreNormalised() {
            assertThat(strip(parse("resource.flavor.type == \"gpu\"")))
                    .isEqualTo(strip(parse("flavor.type == \"gpu\"")));
            assertThat(strip(parse("resource.location.country == \"DE\"")))
                    .isEqualTo(strip(parse("location.country == \"DE\"")));
        }

        @Test
        @DisplayName("scope levels come from the schema and map to their position")
        void scopeLevelsFromSchema() {
            RequestSchema custom = new RequestSchema(List.of("org", "team"));
            ConditionResult result = Conditions.parse("scope.team == \"x\"", custom);
            assertThat(result).isInstanceOf(ConditionResult.Checked.class);
            Expr.Compare c = (Expr.Compare) ((ConditionResult.Checked) result).expr();
            assertThat(c.field()).isEqualTo(new FieldRef.Scope(1, "team", new Position(1, 1)));
            assertThat(Conditions.parse("scope.tenant == \"x\"", custom)).isInstanceOf(ConditionResult.Rejected.class);
        }

        @Test
        @DisplayName("string escapes \\\" \\\\ \\n \\t decode; labels with '-' and digits are keys")
        void escapesAndKeys() {
            Expr.Compare c = (Expr.Compare) parse("resource.labels.cost-center == \"a\\\"b\\\\c\\nd\\te\"");
            assertThat(c.field()).isEqualTo(new FieldRef.Label("cost-center", new Position(1, 1)));
            assertThat(c.value().value()).isEqualTo("a\"b\\c\nd\te");
            assertThat(((Expr.Compare) parse("attributes.2fa == true")).field().path())
                    .isEqualTo("attributes.2fa");
        }

        @Test
        @DisplayName("integers span the whole long range")
        void longRange() {
            assertThat(((Expr.Compare) parse("attributes.n == -9223372036854775808"))
                            .value()
                            .value())
                    .isEqualTo(Long.MIN_VALUE);
            assertThat(((Expr.Compare) parse("attributes.n == 9223372036854775807"))
                            .value()
                            .value())
                    .isEqualTo(Long.MAX_VALUE);
            assertThat(message("attributes.n == 9223372036854775808")).contains("out of range");
        }

        @Test
        @DisplayName("nodes carry the line and column they start at")
        void positions() {
            Expr.Or or = (Expr.Or) parse("action == \"a\"\n  || tokens.input > 5");
            assertThat(or.pos()).isEqualTo(new Position(2, 3));
            Expr.Compare right = (Expr.Compare) or.right();
            assertThat(right.field().pos()).isEqualTo(new Position(2, 6));
            assertThat(right.pos()).isEqualTo(new Position(2, 19));
            assertThat(right.value().pos()).isEqualTo(new Position(2, 21));
        }
    }

    @Nested
    class Diagnostics {
        @Test
        @DisplayName("an unknown field gets a did-you-mean suggestion at its column")
        void unknownFieldSuggestion() {
            List<ConditionError> errors = errors("action == \"x\" && resource.flavour.type == \"gpu\"");
            assertThat(errors)
                    .containsExactly(new ConditionError(
                            1, 18, "unknown field 'resource.flavour' — did you mean 'resource.flavor'?"));
            assertThat(message("tokens.totl > 5"))
                    .isEqualTo("unknown field 'tokens.totl' — did you mean 'tokens.total'?");
            assertThat(message("scope.tennant == \"a\""))
                    .isEqualTo("unknown field 'scope.tennant' — did you mean 'scope.tenant'?");
            assertThat(message("Action == \"a\"")).isEqualTo("unknown field 'Action' — did you mean 'action'?");
        }

        @Test
        @DisplayName("an unknown field far from any known one lists the known ones")
        void unknownFieldList() {
            assertThat(message("request.user == \"a\""))
                    .isEqualTo(
                            "unknown field 'request'; fields start with resource, action, scope, location, flavor, tokens, attributes");
            assertThat(message("resource == \"a\"")).startsWith("'resource' is not a field; use one of resource.type");
            assertThat(message("resource.labels == \"a\"")).contains("needs a key");
            assertThat(message("resource.type.x == \"a\"")).isEqualTo("'resource.type' has no field 'x'");
        }

        @Test
        @DisplayName("type errors name the operator, the field and its type")
        void typeErrors() {
            assertThat(message("resource.name < 5")).isEqualTo("'<' needs integers, got string field 'resource.name'");
            assertThat(message("tokens.input > \"5\"")).isEqualTo("'>' needs integers, got string \"5\"");
            assertThat(message("resource.name == 5"))
                    .isEqualTo("'==' compares string field 'resource.name' with integer 5; write \"5\" for a string");
            assertThat(message("tokens.input contains \"a\""))
                    .isEqualTo("'contains' needs a string field, got integer field 'tokens.input'");
            assertThat(message("attributes.x >= true")).isEqualTo("'>=' needs integers, got boolean true");
            assertThat(message("resource.name in [1, 2]"))
                    .isEqualTo("'in' compares string field 'resource.name' with a list of integers");
            assertThat(message("action in [\"a\", 1]")).isEqualTo("the list mixes string and integer values");
            assertThat(message("action in []")).isEqualTo("'in' needs at least one value in the list");
        }

        @Test
        @DisplayName("a bare field must be boolean; literals alone or compared with literals are rejected")
        void bareFieldsAndLiterals() {
            assertThat(message("resource.name")).startsWith("'resource.name' is a string field, not a condition");
            assertThat(message("true")).startsWith("a literal alone is not a condition");
            assertThat(message("1 == 1")).isEqualTo("'==' compares two literals; one side must be a request field");
            assertThat(message("action == resource.name")).startsWith("'==' compares two fields");
        }

        @Test
        @DisplayName("matches needs a string literal holding a valid RE2 pattern")
        void matchesDiagnostics() {
            assertThat(message("resource.name matches resource.type"))
                    .isEqualTo("expected a string literal after 'matches', found 'resource.type'");
            List<ConditionError> errors = errors("resource.name matches \"gpt-(\"");
            assertThat(errors).hasSize(1);
            assertThat(errors.get(0).column()).isEqualTo(23);
            assertThat(errors.get(0).message()).startsWith("invalid regular expression: missing closing )");
            assertThat(message("resource.name matches \"(?<=a)b\"")).startsWith("invalid regular expression");
        }

        @Test
        @DisplayName("several type errors in one condition are all reported")
        void collectsSeveralErrors() {
            List<ConditionError> errors = errors("resource.nme == \"a\" || tokens.input == \"b\"");
            assertThat(errors).extracting(ConditionError::column).containsExactly(1, 37);
        }

        @Test
        @DisplayName("syntax errors point at the offending token with a helpful message")
        void syntaxErrors() {
            assertThat(errors("action = \"a\""))
                    .containsExactly(new ConditionError(1, 8, "use '==' to compare ('=' alone is not an operator)"));
            assertThat(errors("action == \"a\" and tokens.input > 1"))
                    .containsExactly(new ConditionError(
                            1, 15, "expected '&&', '||' or the end of the condition, found 'and'; use '&&' for 'and'"));
            assertThat(errors("(action == \"a\""))
                    .containsExactly(new ConditionError(
                            1, 15, "expected ')' to close the '(' at 1:1, found the end of the condition"));
            assertThat(message("action == \"a\")")).isEqualTo("unmatched ')'");
            assertThat(message("action == 'a'")).isEqualTo("strings are written in double quotes: \"...\"");
            assertThat(message("action == \"a")).isEqualTo("unterminated string: missing closing '\"'");
            assertThat(message("action == \"\\u0022\"")).startsWith("unknown escape '\\u'");
            assertThat(message("action is \"a\"")).startsWith("expected an operator (==, !=");
            assertThat(message("action == \"a\" // comment")).isEqualTo("unexpected character '/'");
            assertThat(errors("action ==\n  \"a\nb\""))
                    .containsExactly(new ConditionError(
                            2, 5, "line break inside a string; write \\n or \\t, or close the string with '\"'"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "   ", "\n"})
        @DisplayName("an empty condition is rejected")
        void empty(String text) {
            assertThat(message(text)).isEqualTo("the condition is empty");
        }

        @Test
        @DisplayName("conditions longer than the limit are rejected before lexing")
        void lengthLimit() {
            String longText = "action == \"" + "a".repeat(Conditions.MAX_LENGTH) + "\"";
            assertThat(message(longText)).contains("at most " + Conditions.MAX_LENGTH);
        }

        @Test
        @DisplayName("nesting is limited: 64 levels parse, 65 and 10,000 are rejected without a stack overflow")
        void depthLimit() {
            int max = Conditions.MAX_DEPTH;
            assertThat(parse("(".repeat(max) + "action == \"a\"" + ")".repeat(max)))
                    .isNotNull();
            assertThat(parse("!".repeat(max) + "attributes.x")).isNotNull();
            List<ConditionError> tooDeep = errors("(".repeat(max + 1) + "action == \"a\"" + ")".repeat(max + 1));
            assertThat(tooDeep)
                    .containsExactly(new ConditionError(
                            1, max + 1, "the condition nests deeper than " + max + " levels of '(' and '!'"));
            assertThat(message("!".repeat(max) + "(attributes.x)")).contains("nests deeper");
            assertThat(message("(".repeat(Conditions.MAX_LENGTH))).contains("nests deeper");
            assertThat(message("(".repeat(10_000))).contains("at most");
        }
    }
}
