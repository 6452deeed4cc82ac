package dev.gavel.engine.expr;

import static dev.gavel.engine.expr.Asts.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gavel.engine.eval.Request;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DrlConstraintWriterTest {

    @Test
    @DisplayName("a top-level && becomes separate constraints; == on a typed property stays a plain comparison")
    void splitsTopLevelAnd() {
        assertThat(
                        DrlConstraintWriter.constraints(
                                parse(
                                        "resource.type == \"model\" && tokens.input > 1000 && (action == \"a\" || scope.app != \"b\")")))
                .containsExactly(
                        "resourceType == \"model\"", "tokensInput > 1000", "(action == \"a\" || scope1 != \"b\")");
        assertThat(DrlConstraintWriter.pattern(parse("resource.flavor.type == \"gpu\"")))
                .isEqualTo("RequestFact( flavorType == \"gpu\" )");
    }

    @Test
    @DisplayName("every operator maps to fixed DRL; string tests and matches call DrlFunctions")
    void operators() {
        assertThat(DrlConstraintWriter.expression(parse("resource.labels.team in [\"a\", \"b\"]")))
                .isEqualTo("labels[\"team\"] in (\"a\", \"b\")");
        assertThat(DrlConstraintWriter.expression(parse("attributes.n <= -5")))
                .isEqualTo("attributeLongs[\"n\"] <= -5");
        assertThat(DrlConstraintWriter.expression(parse("!attributes[\"a.b/c\"]")))
                .isEqualTo("!(attributeBooleans[\"a.b/c\"] == true)");
        assertThat(DrlConstraintWriter.expression(parse("resource.name startsWith \"gpt-\"")))
                .isEqualTo("DrlFunctions.startsWith(resourceName, \"gpt-\")");
        assertThat(DrlConstraintWriter.expression(parse("attributes.s matches \"a\\\\d+\"")))
                .isEqualTo("DrlFunctions.matches(attributeStrings[\"s\"], \"a\\\\d+\")");
        assertThat(DrlConstraintWriter.expression(parse("!!(tokens.total == 5)")))
                .isEqualTo("tokensTotal == 5");
    }

    @Test
    @DisplayName("string literals escape backslash, quote and line breaks, and keep other text as raw UTF-8")
    void stringLiteralEscaping() {
        assertThat(DrlConstraintWriter.stringLiteral("a\"b\\c\nd\te\rf é€😀 ${x} \\u0022"))
                .isEqualTo("\"a\\\"b\\\\c\\nd\\te\\rf é€😀 ${x} \\\\u0022\"");
        assertThatThrownBy(() -> DrlConstraintWriter.stringLiteral("a\u0000b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("U+0000");
    }

    @Test
    @DisplayName("keys that are not valid label or attribute keys are refused even in hand-built trees")
    void invalidKeysRefused() {
        assertThatThrownBy(() -> new FieldRef.Label("a\"] || true || [\"", Position.NONE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FieldRef.Scope(8, "x", Position.NONE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("null semantics: a missing value fails every test except !=, in Drools and the interpreter alike")
    void missingValues() {
        List<String> texts = List.of(
                "resource.name == \"a\"",
                "resource.name != \"a\"",
                "tokens.input > 1",
                "tokens.input <= 1",
                "tokens.input != 1",
                "resource.labels.team in [\"a\"]",
                "resource.name contains \"\"",
                "resource.name matches \".*\"",
                "attributes.x",
                "!attributes.x",
                "attributes.x != true",
                "!(tokens.input > 1)",
                "attributes.n == 7",
                "attributes.n != 7");
        List<Expr> conditions = texts.stream().map(Asts::parse).toList();
        DroolsHarness drools = DroolsHarness.build(conditions);
        // attributes.n is a string here: for a condition that compares it with an integer it is missing.
        Request empty = new Request(null, null, null, null, null, null, Map.of("n", "7"));
        List<String> fired = drools.fired(empty).stream().mapToObj(texts::get).toList();
        assertThat(fired)
                .containsExactlyInAnyOrder(
                        "resource.name != \"a\"",
                        "tokens.input != 1",
                        "!attributes.x",
                        "attributes.x != true",
                        "!(tokens.input > 1)",
                        "attributes.n != 7");
        assertThat(DroolsHarness.expected(conditions, empty)).isEqualTo(drools.fired(empty));
    }

    @Test
    @DisplayName("tokens.total defaults to input + output")
    void tokensTotal() {
        Expr condition = parse("tokens.total == 15");
        assertThat(ExprInterpreter.eval(
                        condition, new Request(null, null, null, null, null, new Request.Tokens(10L, 5L), null)))
                .isTrue();
        assertThat(ExprInterpreter.eval(
                        condition, new Request(null, null, null, null, null, new Request.Tokens(10L, 5L, 3L), null)))
                .isFalse();
    }
}
