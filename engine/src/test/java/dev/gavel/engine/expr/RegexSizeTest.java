package dev.gavel.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RegexSizeTest {
    @ParameterizedTest
    @ValueSource(
            strings = {
                "gpt-.*", "a{500}b{500}", "((a{10}){10}){10}", "(?i)hello", "[a-z]{1,63}\\.[a-z]{2,10}",
                        "(ab|cd){0,100}",
                "x{2,}", "\\pL{100}", "(a|b|c|d|e){20}", "\\Qabc\\E{50}", "(?:a{0,50}){0,50}", "(?i)(straße){100}",
                "[[:alpha:]]{100}", "(a*){1000}", "[^\\]a]{1000}", "\\p{Greek}{1000}", "a{,5}", "(x{3}|y{4}){5}"
            })
    @DisplayName("the estimate is never far below the size RE2J compiles the pattern to")
    void estimateBoundsProgramSize(String pattern) {
        int actual = Pattern.compile(pattern).programSize();
        assertThat(RegexSize.estimate(pattern) * 11 / 10).isGreaterThanOrEqualTo(actual);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"(((a{100}){100}){100})", "((a{1000}){1000})", "(a{999}){999}(a{999}){999}", "((a?){200}){200}"})
    @DisplayName("nested counted repetition that multiplies past the limit is over it")
    void nestedRepetitionIsLarge(String pattern) {
        assertThat(RegexSize.estimate(pattern)).isGreaterThan(RegexSize.MAX);
    }
}
