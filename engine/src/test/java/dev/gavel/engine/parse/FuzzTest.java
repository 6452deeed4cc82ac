package dev.gavel.engine.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** No input makes a parser throw; invalid input always comes with at least one error. */
class FuzzTest {

    static void neverThrows(byte[] bytes) {
        check(PolicyParser.parse(bytes, "policies/fuzz.yaml"));
        check(RepositorySettingsParser.parse(bytes, "gavel.yaml"));
        check(TestSuiteParser.parse(bytes, "tests/fuzz.yaml"));
    }

    static void check(ParseResult<?> r) {
        if (r instanceof ParseResult.Invalid<?> invalid) {
            assertThat(invalid.errors()).isNotEmpty();
        }
        r.diagnostics().forEach(d -> {
            assertThat(d.line()).isPositive();
            assertThat(d.column()).isPositive();
            assertThat(d.message()).isNotBlank();
            // The parser's safety net catches crashes as a diagnostic; no input may reach it.
            assertThat(d.message()).doesNotStartWith(YamlDocument.INTERNAL_ERROR);
        });
    }

    @Property(tries = 300)
    @Label("arbitrary bytes never make a parser throw")
    void arbitraryBytesNeverThrow(@ForAll @Size(max = 400) byte[] bytes) {
        neverThrows(bytes);
    }

    @Property(tries = 300)
    @Label("YAML-like text never makes a parser throw")
    void yamlishTextNeverThrows(@ForAll("yamlish") String text) {
        neverThrows(text.getBytes(StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<String> yamlish() {
        return Arbitraries.strings()
                .withChars(" \t\n:-[]{},&*!|>'\"#%@`?~aPk0123456789.eE+")
                .ofMaxLength(300);
    }

    @Property(tries = 200)
    @Label("truncated or byte-mutated template files never make a parser throw")
    void truncatedAndMutatedTemplateFilesNeverThrow(@ForAll("templateFiles") byte[] file, @ForAll("seeds") long seed) {
        Random random = new Random(seed);
        int cut = random.nextInt(file.length + 1);
        byte[] truncated = java.util.Arrays.copyOf(file, cut);
        neverThrows(truncated);
        byte[] mutated = file.clone();
        for (int i = 0; i < 1 + random.nextInt(8); i++) {
            mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
        }
        neverThrows(mutated);
    }

    @Provide
    Arbitrary<byte[]> templateFiles() throws IOException {
        List<byte[]> files;
        try (Stream<Path> s = Files.walk(TemplateRepositoryTest.TEMPLATE)) {
            files = s.filter(p -> p.toString().endsWith(".yaml"))
                    .sorted()
                    .map(p -> {
                        try {
                            return Files.readAllBytes(p);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .toList();
        }
        return Arbitraries.of(files);
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }
}
