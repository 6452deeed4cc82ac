package dev.gavel.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Hostile condition texts: each is rejected with a diagnostic or becomes an inert condition. */
class InjectionTest {
    private static final String SET_CANARY =
            "System.setProperty(\\\"" + Safety.CANARY_PROPERTY + "\\\", \\\"pwned\\\")";
    private static final String CREATE_FILE =
            "new java.io.File(\\\"" + Safety.CANARY_FILE.toString().replace("\\", "/") + "\\\").createNewFile()";

    /** Payloads inside string literals: the only place user text reaches DRL. */
    static final List<String> LITERAL_PAYLOADS = List.of(
            "\\\"",
            "\\\\",
            "\\\\\\\"",
            "x\\\") || eval(true) || (\\\"",
            "\\\" || true || \\\"",
            "\\\" ) || eval(" + SET_CANARY + " != null) || ( \\\"",
            "\\\"); " + CREATE_FILE + "; (\\\"",
            "\\\"\\n then System.exit(0); end rule \\\"x\\\" when then System.exit(0); end\\n",
            "rule",
            "end",
            "then",
            "when",
            "import",
            "function",
            "global",
            "eval(",
            "new java.io.File(\\\"x\\\")",
            "System.exit(0)",
            "java.lang.Runtime.getRuntime().exec(\\\"touch /tmp/x\\\")",
            "${" + SET_CANARY + "}",
            "#{" + SET_CANARY + "}",
            "@{" + SET_CANARY + "}",
            "\\\\u0022 || true || \\\\u0022",
            "\\\\\\u0022",
            "// comment",
            "/* comment",
            "*/",
            "\\n",
            "\\t",
            "é€😀 \u2028 \u2029 \uFEFF",
            "'",
            "`",
            "\\\\n");

    static final List<String> CORPUS = corpus();

    private static List<String> corpus() {
        List<String> corpus = new ArrayList<>();
        for (String payload : LITERAL_PAYLOADS) {
            corpus.add("resource.name == \"" + payload + "\"");
            corpus.add("action != \"" + payload + "\" && resource.labels.team in [\"" + payload + "\", \"b\"]");
            corpus.add("attributes.s contains \"" + payload + "\" || resource.type endsWith \"" + payload + "\"");
            corpus.add("resource.name matches \"" + payload + "\"");
            corpus.add("resource.name matches \"(" + payload + ")|x\"");
            corpus.add("resource.labels[\"" + payload + "\"] == \"a\"");
            corpus.add("attributes[\"" + payload + "\"]");
        }
        corpus.addAll(List.of(
                "resource.name == \"x\") || eval(true) || (\"\"",
                "resource.name == \"x\" || true",
                "eval(true)",
                "System.exit(0)",
                "java.lang.Runtime.getRuntime().exec(\"touch /tmp/x\")",
                "new java.io.File(\"x\")",
                "resource.name == new java.io.File(\"x\")",
                "resource.name.length() > 3",
                "resource.getName() == \"x\"",
                "resource.name == \"a\" + \"b\"",
                "x = 1",
                "attributes.x; System.exit(0)",
                "rule",
                "end",
                "then",
                "when x then y end",
                "import java.io.File",
                "function f() {}",
                "global java.util.List l",
                "resource.name == \"\\u0022\"",
                "resource.name == \"a\" \\u007c\\u007c true",
                "${resource.name}",
                "#{resource.name}",
                "@{resource.name}",
                "resource.name == \"a\" // || true",
                "resource.name == \"a\" /* || true */",
                "resource.name == \"a\"\n|| true",
                "resource.name == \"a\u0000\"",
                "resource.name == \"a\"\u0000",
                "attributes.\u0000",
                "resource.labels.a.b == \"x\"",
                "resource.labels[\"a\"].b == \"x\"",
                "attributes.x[\"y\"] == 1",
                "scope.tenant == \"a\" && scope9 == \"b\"",
                "resourceName == \"a\"",
                "labels[\"x\"] == \"a\"",
                "DrlFunctions.matches(resourceName, \".*\")",
                "resource.name matches \"(((a{100}){100}){100})\"",
                "resource.name matches \"" + "(a{999}){999}".repeat(10) + "\"",
                "resource.name matches \"(a*)*b\"",
                "tokens.input > 99999999999999999999",
                "tokens.input > -9223372036854775809",
                "tokens.input > 1e3",
                "tokens.input > 0x10",
                "tokens.input > 1_000",
                "(".repeat(10_000),
                "(".repeat(10_000) + "attributes.x" + ")".repeat(10_000),
                "(".repeat(2_000) + "attributes.x" + ")".repeat(2_000),
                "!".repeat(10_000) + "attributes.x",
                "!".repeat(4_000) + "attributes.x",
                "attributes.x" + " || attributes.x".repeat(270),
                "attributes.x" + " && attributes.y".repeat(270),
                "!(".repeat(32) + "resource.name matches \"a\"" + ")".repeat(32),
                "\"" + "\\\\".repeat(2000) + "\" == resource.name",
                ""));
        return corpus;
    }

    @BeforeAll
    @AfterAll
    static void canaryIsClear() throws Exception {
        System.clearProperty(Safety.CANARY_PROPERTY);
        java.nio.file.Files.deleteIfExists(Safety.CANARY_FILE);
    }

    @Test
    @DisplayName(
            "every corpus entry is rejected with diagnostics or builds into inert DRL that agrees with the interpreter")
    void corpusIsHandledSafely() {
        List<Expr> accepted = new ArrayList<>();
        int rejected = 0;
        for (String text : CORPUS) {
            ConditionResult result = Safety.parseSafely(text);
            if (result instanceof ConditionResult.Checked checked) {
                accepted.add(checked.expr());
            } else {
                rejected++;
            }
        }
        Safety.buildAndRun(accepted);
        Safety.assertCanaryUntouched();
        // Both paths were exercised: payloads inside literals are accepted, code outside them is not.
        assertThat(accepted).hasSizeGreaterThan(LITERAL_PAYLOADS.size() * 3);
        assertThat(rejected).isGreaterThan(40);
    }

    @Test
    @DisplayName("code outside string literals is always rejected")
    void codeIsRejected() {
        Stream.of(
                        "eval(true)",
                        "System.exit(0)",
                        "new java.io.File(\"x\")",
                        "resource.name.length() > 3",
                        "resource.getName() == \"x\"",
                        "java.lang.Runtime.getRuntime()",
                        "resourceName == \"a\"",
                        "DrlFunctions.matches(resourceName, \".*\")",
                        "resource.name == \"x\") || eval(true) || (\"\"",
                        "${resource.name}",
                        "resource.name == \"a\" + \"b\"",
                        "resource.name == \"a\"\u0000",
                        "resource.name == \"a\" \\u007c\\u007c true")
                .forEach(text -> assertThat(Conditions.parse(text, RequestSchema.DEFAULT))
                        .as(text)
                        .isInstanceOf(ConditionResult.Rejected.class));
    }

    @Test
    @DisplayName("the DRL whitelist check itself catches code outside literals and bad escapes")
    void whitelistCheckDetectsInjection() {
        Safety.assertWhitelisted("resourceName == \"a\\\" || eval(true)\" || labels[\"k\"] != \"\\n\"");
        assertThatThrownBy(() -> Safety.assertWhitelisted("resourceName == \"a\" || eval(true)"))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> Safety.assertWhitelisted("resourceName == \"a\\u0022\""))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> Safety.assertWhitelisted("resourceName == \"a\nb\""))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    @DisplayName("a quote in a literal stays inside the DRL string literal")
    void quotesAreEscaped() {
        Expr expr = Asts.parse("resource.name == \"x\\\") || eval(true) || (\\\"\"");
        assertThat(DrlConstraintWriter.constraints(expr))
                .containsExactly("resourceName == \"x\\\") || eval(true) || (\\\"\"");
    }

    @Test
    @DisplayName("regular expressions whose expansion would exhaust memory are rejected before compiling")
    void hugeRegexRejected() {
        List<ConditionError> errors = Asts.errors("resource.name matches \"" + "(a{999}){999}".repeat(10) + "\"");
        assertThat(errors)
                .singleElement()
                .satisfies(e -> assertThat(e.message()).startsWith("the regular expression is too large"));
    }
}
