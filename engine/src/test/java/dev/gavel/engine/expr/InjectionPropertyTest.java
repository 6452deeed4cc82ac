package dev.gavel.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Random text is rejected with diagnostics or becomes inert DRL; nothing crashes or runs. */
class InjectionPropertyTest {
    /** Fragments that make random text look like conditions, DRL and MVEL. */
    private static final List<String> FRAGMENTS = List.of(
            "resource.name",
            "resource.type",
            "resource.labels.team",
            "attributes.x",
            "tokens.input",
            "scope.tenant",
            "resource.flavor.type",
            "action",
            " == ",
            " != ",
            " < ",
            " >= ",
            " in ",
            " contains ",
            " startsWith ",
            " matches ",
            " && ",
            " || ",
            "!",
            "(",
            ")",
            "[",
            "]",
            ", ",
            "\"",
            "\\",
            "\\\"",
            "\\\\",
            "\\n",
            "\\u0022",
            "\"a\"",
            "\"x\\\") || eval(true) || (\\\"\"",
            "1000",
            "-1",
            "true",
            "false",
            "eval(",
            "System.exit(0)",
            "new java.io.File(\"x\")",
            "java.lang.Runtime.getRuntime()",
            "${",
            "#{",
            "@{",
            "}",
            "//",
            "/*",
            "*/",
            "\n",
            "\u0000",
            "rule",
            "end",
            "then",
            "when",
            "import",
            "function",
            "global",
            ";",
            ".",
            "'",
            "=",
            "&",
            "|",
            "é",
            "😀",
            "\uD800",
            " ");

    @BeforeContainer
    @AfterContainer
    static void canaryIsClear() throws Exception {
        System.clearProperty(Safety.CANARY_PROPERTY);
        java.nio.file.Files.deleteIfExists(Safety.CANARY_FILE);
    }

    @Property(tries = 300)
    @Label("arbitrary strings never make the parser throw")
    void arbitraryStringsNeverThrow(@ForAll("anyText") String text) {
        Safety.parseSafely(text);
    }

    @Property(tries = 15, shrinking = ShrinkingMode.BOUNDED)
    @Label("condition-like random text is rejected or compiles into whitelisted DRL that runs safely")
    void conditionLikeTextIsSafe(@ForAll("conditionLikeBatches") List<String> texts) {
        List<Expr> accepted = new ArrayList<>();
        for (String text : texts) {
            if (Safety.parseSafely(text) instanceof ConditionResult.Checked checked) {
                accepted.add(checked.expr());
            }
        }
        Safety.buildAndRun(accepted);
        Safety.assertCanaryUntouched();
        assertThat(accepted)
                .as("some texts of the batch parse, so DRL generation is exercised")
                .isNotEmpty();
    }

    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(300),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(300),
                conditionLike());
    }

    @Provide
    Arbitrary<List<String>> conditionLikeBatches() {
        return conditionLike().list().ofSize(150);
    }

    /** Mostly valid conditions with hostile fragments spliced in, so many of them parse. */
    private static Arbitrary<String> conditionLike() {
        Arbitrary<String> valid = Generators.conditions(3).map(ExprPrinter::print);
        Arbitrary<String> fragments =
                Arbitraries.of(FRAGMENTS).list().ofMinSize(1).ofMaxSize(12).map(l -> String.join("", l));
        Arbitrary<String> spliced = net.jqwik.api.Combinators.combine(
                        valid, fragments, Arbitraries.integers().between(0, 1000))
                .as((text, fragment, at) -> {
                    int cut = at % (text.length() + 1);
                    return text.substring(0, cut) + fragment + text.substring(cut);
                });
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, valid),
                net.jqwik.api.Tuple.of(5, spliced),
                net.jqwik.api.Tuple.of(2, fragments));
    }
}
