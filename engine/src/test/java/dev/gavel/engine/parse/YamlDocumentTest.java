package dev.gavel.engine.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.engine.model.SourceLocation;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Positions are kept under JSON pointers built while reading; these check them against the text. */
class YamlDocumentTest {
    private static YamlDocument read(String yaml) {
        YamlDocument.Read r = YamlDocument.read(yaml.getBytes(StandardCharsets.UTF_8), "f.yaml");
        assertThat(r.errors()).isEmpty();
        return r.document().orElseThrow();
    }

    @Test
    void everyKeyValueAndTextStartIsFoundByItsPath() {
        YamlDocument d = read("""
                spec:
                  a/b:
                    c~d: "quoted"
                  list:
                    - first
                    - k: 2
                      m: |
                        block text
                """);
        assertThat(d.keyAt(FieldPath.of("spec", "a/b"))).isEqualTo(new SourceLocation("f.yaml", 2, 3));
        assertThat(d.keyAt(FieldPath.of("spec", "a/b", "c~d"))).isEqualTo(new SourceLocation("f.yaml", 3, 5));
        assertThat(d.valueAt(FieldPath.of("spec", "a/b", "c~d"))).isEqualTo(new SourceLocation("f.yaml", 3, 10));
        assertThat(d.textAt(FieldPath.of("spec", "a/b", "c~d"))).isEqualTo(new SourceLocation("f.yaml", 3, 11));
        assertThat(d.valueAt(FieldPath.of("spec", "list", 0))).isEqualTo(new SourceLocation("f.yaml", 5, 7));
        assertThat(d.keyAt(FieldPath.of("spec", "list", 1, "k"))).isEqualTo(new SourceLocation("f.yaml", 6, 7));
        assertThat(d.valueAt(FieldPath.of("spec", "list", 1, "k"))).isEqualTo(new SourceLocation("f.yaml", 6, 10));
        assertThat(d.textAt(FieldPath.of("spec", "list", 1, "m"))).isEqualTo(new SourceLocation("f.yaml", 8, 9));
        // Unknown paths fall back to the nearest enclosing value.
        assertThat(d.valueAt(FieldPath.of("spec", "list", 1, "zz"))).isEqualTo(new SourceLocation("f.yaml", 6, 7));
    }

    @Test
    void aDuplicateKeyNamesItsFieldAndFirstLine() {
        YamlDocument.Read r = YamlDocument.read(
                "spec:\n  rules:\n    - a: 1\n      a: 2\n".getBytes(StandardCharsets.UTF_8), "f.yaml");
        assertThat(r.document()).isEmpty();
        Diagnostic d = r.errors().get(0);
        assertThat(d.line()).isEqualTo(4);
        assertThat(d.field()).isEqualTo("spec.rules[0].a");
        assertThat(d.message()).isEqualTo("spec.rules[0].a: duplicate key 'a' (first at line 3)");
    }

    @Test
    void plainScalarsAreTypedByTheCoreSchemaWhateverTheirFirstCharacter() {
        YamlDocument d =
                read("a: off\nb: yes\nc: -3\nd: +4\ne: .5\nf: ~\ng: True\nh: nope\ni: 2026-10-01\nj: 1e3\nk: n\n");
        assertThat(d.root().get("a").isTextual()).isTrue();
        assertThat(d.root().get("b").isTextual()).isTrue();
        assertThat(d.root().get("c").asInt()).isEqualTo(-3);
        assertThat(d.root().get("d").asInt()).isEqualTo(4);
        assertThat(d.root().get("e").asDouble()).isEqualTo(0.5);
        assertThat(d.root().get("f").isNull()).isTrue();
        assertThat(d.root().get("g").asBoolean()).isTrue();
        assertThat(d.root().get("h").isTextual()).isTrue();
        assertThat(d.root().get("i").isTextual()).isTrue();
        assertThat(d.root().get("j").isDouble()).isTrue();
        assertThat(d.root().get("k").isTextual()).isTrue();
    }
}
