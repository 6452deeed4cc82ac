package dev.gavel.engine.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.engine.eval.Request;
import dev.gavel.engine.eval.RequestFact;
import dev.gavel.engine.expr.Expr;
import dev.gavel.engine.expr.Field;
import dev.gavel.engine.expr.FieldRef;
import dev.gavel.engine.expr.Literal;
import dev.gavel.engine.expr.Position;
import dev.gavel.engine.expr.StringOpKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * {@code startsWith(property, "c")} hashed on "the constant of height h the value starts with" ({@link
 * PrefixIndex}) holds exactly when the test does, overlapping prefixes, empty and missing values included.
 */
class PrefixIndexTest {
    private static final List<String> CONSTANTS = List.of("a", "ab", "abc", "abd", "b", "", "svc-1-", "svc-12-");

    @Test
    void heightIsTheNumberOfOtherConstantsThatArePrefixes() {
        PrefixIndex index = PrefixIndex.of(CONSTANTS);
        assertThat(index.height("")).isZero();
        assertThat(index.height("a")).isEqualTo(1);
        assertThat(index.height("b")).isEqualTo(1);
        assertThat(index.height("ab")).isEqualTo(2);
        assertThat(index.height("abc")).isEqualTo(3);
        assertThat(index.height("abd")).isEqualTo(3);
        assertThat(index.height("svc-12-")).isEqualTo(1); // "svc-1-" is not a prefix of it
    }

    @Test
    void aValueMatchesTheChainOfConstantsItStartsWithShortestFirst() {
        PrefixIndex index = PrefixIndex.of(CONSTANTS);
        assertThat(index.matching("abcx")).containsExactly("", "a", "ab", "abc");
        assertThat(index.matching("svc-12-x")).containsExactly("", "svc-12-");
        assertThat(index.matching("")).containsExactly("");
        assertThat(index.matching(null)).isEmpty();
        PrefixIndex withoutEmpty = PrefixIndex.of(List.of("a", "ab"));
        assertThat(withoutEmpty.matching("")).isEmpty();
        assertThat(withoutEmpty.matching("zz")).isEmpty();
        assertThat(withoutEmpty.matching("abc")).containsExactly("a", "ab");
    }

    @Property(tries = 500)
    @Label("startsWith(v, c) holds exactly when the derived property of c's height is c")
    void derivedPropertyAgreesWithStartsWith(
            @ForAll("constantSets") List<String> constants, @ForAll("values") List<String> values) {
        PrefixIndex index = PrefixIndex.of(constants);
        for (String v : values) {
            String[] matching = index.matching(v);
            for (String c : constants) {
                boolean expected = v != null && v.startsWith(c);
                assertThat(c.equals(PrefixIndex.at(matching, index.height(c))))
                        .as("%s startsWith %s among %s", v, c, constants)
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void aKnowledgeBaseFiresExactlyTheRulesWhosePrefixTheNameStartsWith() {
        // Enough siblings of each height on one parent that Drools hashes them instead of evaluating them.
        List<String> constants = List.of("", "a", "b", "c", "ab", "ac", "ba", "abc", "abd", "bac", "x");
        List<CompiledRule> rules = new ArrayList<>();
        for (String c : constants) {
            List<Constraint> cs = dev.gavel.engine.compile.ConstraintCompiler.constraints(new Expr.StringOp(
                    new FieldRef.Fixed(Field.RESOURCE_NAME, Position.NONE),
                    StringOpKind.STARTS_WITH,
                    new Literal.Str(c, Position.NONE),
                    Position.NONE));
            assertThat(cs.get(0).prefix()).isNotNull();
            rules.add(new CompiledRule(cs, TestRuleRefs.blockingDeny("p")));
        }
        CompiledPartition partition = CompiledPartition.build("", rules);
        for (String name : Arrays.asList("abcd", "abd", "ab", "a", "", null, "zz", "bacon", "xa", "ca")) {
            RequestFact fact = new RequestFact(new Request(
                    List.of(),
                    new Request.Resource("model", name, Map.of()),
                    "invoke",
                    Request.Location.NONE,
                    Request.Flavor.NONE,
                    Request.Tokens.NONE,
                    Map.of()));
            partition.fire(fact);
            TreeSet<String> fired = new TreeSet<>();
            for (int hit : fact.takeHits()) {
                fired.add(constants.get(hit));
            }
            TreeSet<String> expected = new TreeSet<>();
            for (String c : constants) {
                if (name != null && name.startsWith(c)) {
                    expected.add(c);
                }
            }
            assertThat(fired).as("name %s", name).isEqualTo(expected);
        }
        partition.close();
    }

    @Provide
    Arbitrary<List<String>> constantSets() {
        return strings().list().ofMinSize(1).ofMaxSize(12);
    }

    @Provide
    Arbitrary<List<String>> values() {
        return strings().injectNull(0.1).list().ofMinSize(1).ofMaxSize(20);
    }

    private static Arbitrary<String> strings() {
        return Arbitraries.strings().withChars('a', 'b', '-').ofMinLength(0).ofMaxLength(4);
    }
}
