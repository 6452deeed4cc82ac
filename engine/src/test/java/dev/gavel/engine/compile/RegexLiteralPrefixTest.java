package dev.gavel.engine.compile;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Every whole-value match of a pattern starts with the literal prefix read from it (the implied startsWith). */
class RegexLiteralPrefixTest {

    @Test
    void readsTheLiteralStartOfCommonPatterns() {
        assertThat(RegexLiteralPrefix.of("svc-12-(canary|beta)[0-9]*")).isEqualTo("svc-12-");
        assertThat(RegexLiteralPrefix.of("gpt-.*")).isEqualTo("gpt-");
        assertThat(RegexLiteralPrefix.of("ab*c")).isEqualTo("a");
        assertThat(RegexLiteralPrefix.of("ab{2}")).isEqualTo("a");
        assertThat(RegexLiteralPrefix.of("ab?")).isEqualTo("a");
        assertThat(RegexLiteralPrefix.of("x[|]y")).isEqualTo("x");
        assertThat(RegexLiteralPrefix.of("abc")).isEqualTo("abc");
        assertThat(RegexLiteralPrefix.of("ab(?i)*")).isEqualTo("a"); // the * applies to the b
        assertThat(RegexLiteralPrefix.of("ab(c)*")).isEqualTo("ab");
    }

    @Test
    void givesNothingWhenAMatchNeedNotStartWithIt() {
        assertThat(RegexLiteralPrefix.of("a|b")).isEmpty();
        assertThat(RegexLiteralPrefix.of("ab|cd(e)")).isEmpty();
        assertThat(RegexLiteralPrefix.of("(?i)gpt")).isEmpty();
        assertThat(RegexLiteralPrefix.of("a*")).isEmpty();
        assertThat(RegexLiteralPrefix.of("\\Qa|b\\E")).isEmpty();
        assertThat(RegexLiteralPrefix.of(".*x")).isEmpty();
        assertThat(RegexLiteralPrefix.of("")).isEmpty();
        assertThat(RegexLiteralPrefix.of("a)|(b")).isEmpty();
    }

    @Property(tries = 3000)
    @Label("a value the pattern matches starts with the pattern's literal prefix")
    void everyMatchStartsWithThePrefix(@ForAll("patterns") String pattern, @ForAll("values") List<String> values) {
        Pattern compiled;
        try {
            compiled = Pattern.compile(pattern);
        } catch (RuntimeException e) {
            return; // not a pattern a condition could hold
        }
        String prefix = RegexLiteralPrefix.of(pattern);
        for (String v : values) {
            if (compiled.matches(v)) {
                assertThat(v).as("%s matches %s", v, pattern).startsWith(prefix);
            }
        }
    }

    @Provide
    Arbitrary<String> patterns() {
        Arbitrary<String> piece = Arbitraries.of(
                "a",
                "b",
                "ab",
                "-",
                "1",
                "|",
                "(",
                ")",
                "*",
                "+",
                "?",
                "{2}",
                "{0,1}",
                "[ab]",
                "[|]",
                "[^a]",
                ".",
                "\\|",
                "(a|b)",
                "(?i)",
                "A",
                ":",
                "[]a]",
                "[[:alpha:]]");
        return piece.list().ofMinSize(1).ofMaxSize(6).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<List<String>> values() {
        return Arbitraries.strings()
                .withChars('a', 'b', 'A', '-', '1', '|', ':', ']')
                .ofMaxLength(5)
                .list()
                .ofSize(40);
    }
}
