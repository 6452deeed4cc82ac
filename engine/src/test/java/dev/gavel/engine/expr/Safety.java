package dev.gavel.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.engine.eval.Request;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks shared by the injection tests: what untrusted condition text may and may not do. */
final class Safety {
    private Safety() {}

    /** A system property and a file that the payloads in the corpus try to set and create. */
    static final String CANARY_PROPERTY = "gavel.canary";

    static final Path CANARY_FILE = Path.of(System.getProperty("java.io.tmpdir"), "gavel-canary-expr");

    /** Everything a generated constraint may contain once its string literals are removed. */
    private static final Pattern ALLOWED_DRL_TOKEN =
            Pattern.compile("\\s+|[(),\\[\\]]|&&|\\|\\||==|!=|<=|>=|<|>|!|-?[0-9]+|true|false|in"
                    + "|DrlFunctions\\.(?:contains|startsWith|endsWith|matches)"
                    + "|labels|attributeStrings|attributeLongs|attributeBooleans|scope[0-7]|" + fieldProperties());

    private static String fieldProperties() {
        List<String> names = new ArrayList<>();
        for (Field field : Field.values()) {
            names.add(field.drlProperty());
        }
        return String.join("|", names);
    }

    /**
     * Parses untrusted text: it must give a checked condition or well-formed diagnostics, never an
     * exception. A checked condition must print and parse back to itself.
     */
    static ConditionResult parseSafely(String text) {
        ConditionResult result = Conditions.parse(text, RequestSchema.DEFAULT);
        if (result instanceof ConditionResult.Rejected rejected) {
            assertThat(rejected.errors()).isNotEmpty().allSatisfy(error -> {
                assertThat(error.line()).isPositive();
                assertThat(error.column()).isPositive();
                assertThat(error.message()).isNotBlank();
            });
        } else {
            Expr expr = ((ConditionResult.Checked) result).expr();
            assertThat(Asts.strip(Asts.parse(ExprPrinter.print(expr)))).isEqualTo(Asts.strip(expr));
            assertOnlyWhitelistedDrl(expr);
        }
        return result;
    }

    /** Outside its escaped string literals, the generated DRL holds only whitelisted tokens. */
    static void assertOnlyWhitelistedDrl(Expr expr) {
        DrlConstraintWriter.constraints(expr).forEach(Safety::assertWhitelisted);
    }

    static void assertWhitelisted(String constraint) {
        String code = withoutStringLiterals(constraint);
        Matcher tokens = ALLOWED_DRL_TOKEN.matcher(code);
        int at = 0;
        while (at < code.length()) {
            tokens.region(at, code.length());
            assertThat(tokens.lookingAt())
                    .as("unexpected DRL at %d in %s", at, constraint)
                    .isTrue();
            at = tokens.end();
        }
    }

    /**
     * The constraint with each DRL string literal replaced by a space. A literal may only hold
     * escapes DRL reads as plain characters; a raw line break or any other escape fails the test.
     */
    static String withoutStringLiterals(String constraint) {
        StringBuilder code = new StringBuilder();
        int i = 0;
        while (i < constraint.length()) {
            char c = constraint.charAt(i);
            if (c != '"') {
                code.append(c);
                i++;
                continue;
            }
            i++;
            while (true) {
                assertThat(i).as("unterminated literal in %s", constraint).isLessThan(constraint.length());
                char d = constraint.charAt(i);
                if (d == '"') {
                    i++;
                    break;
                }
                assertThat(Character.isISOControl(d))
                        .as("raw control character in %s", constraint)
                        .isFalse();
                if (d == '\\') {
                    assertThat("\\\"ntr")
                            .as("escape in %s", constraint)
                            .contains(String.valueOf(constraint.charAt(i + 1)));
                    i += 2;
                } else {
                    i++;
                }
            }
            code.append(' ');
        }
        return code.toString();
    }

    /** Builds the conditions into one knowledge base and runs sample requests through it. */
    static void buildAndRun(List<Expr> conditions) {
        if (conditions.isEmpty()) {
            return;
        }
        DroolsHarness drools = DroolsHarness.build(conditions);
        for (Request request : sampleRequests()) {
            assertThat(drools.fired(request)).isEqualTo(DroolsHarness.expected(conditions, request));
        }
    }

    static void assertCanaryUntouched() {
        assertThat(System.getProperty(CANARY_PROPERTY)).isNull();
        assertThat(Files.exists(CANARY_FILE)).isFalse();
    }

    static List<Request> sampleRequests() {
        return List.of(
                new Request(null, null, null, null, null, null, null),
                new Request(
                        List.of("acme", "chat", "bot", "prod"),
                        new Request.Resource("model", "x\") || eval(true) || (\"", Map.of("team", "\" || true || \"")),
                        "\" || true || \"",
                        new Request.Location("eu-1", "DE", "EU"),
                        new Request.Flavor("a100", "gpu"),
                        new Request.Tokens(5000L, 10L),
                        Map.of("x", true, "n", 7L, "s", "${x}")),
                new Request(
                        List.of("acme"),
                        new Request.Resource("tool", "true", Map.of()),
                        "invoke",
                        null,
                        null,
                        new Request.Tokens(1L, null),
                        Map.of("x", "true", "n", "7")));
    }
}
