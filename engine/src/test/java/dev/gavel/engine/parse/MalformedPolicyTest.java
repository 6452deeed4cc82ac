package dev.gavel.engine.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fixture in {@code src/test/resources/parse/invalid/} starts with {@code # expect: <line>: <fragment>}:
 * parsing it as {@code policies/<file name>} must fail with an error on that line containing the fragment.
 */
class MalformedPolicyTest {
    static final Path FIXTURES = Path.of("src/test/resources/parse/invalid");
    private static final Pattern EXPECT = Pattern.compile("# expect: (\\d+): (.*)");

    static Stream<Path> fixtures() throws IOException {
        try (Stream<Path> s = Files.list(FIXTURES)) {
            return s.sorted().toList().stream();
        }
    }

    @Test
    @DisplayName("there are at least 25 malformed fixtures")
    void enoughFixtures() throws IOException {
        assertThat(fixtures().count()).isGreaterThanOrEqualTo(25);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    @DisplayName("a malformed file is rejected with the expected message on the expected line")
    void rejectedWithExpectedDiagnostic(Path fixture) throws IOException {
        byte[] bytes = Files.readAllBytes(fixture);
        String firstLine = new String(bytes, StandardCharsets.ISO_8859_1)
                .lines()
                .findFirst()
                .orElse("");
        Matcher m = EXPECT.matcher(firstLine);
        assertThat(m.matches()).as("fixture header of %s", fixture).isTrue();
        int line = Integer.parseInt(m.group(1));
        String fragment = m.group(2);
        String path = "policies/" + fixture.getFileName();

        ParseResult<?> result = PolicyParser.parse(bytes, path);

        assertThat(result).isInstanceOf(ParseResult.Invalid.class);
        List<Diagnostic> errors = ((ParseResult.Invalid<?>) result).errors();
        assertThat(errors).as("errors of %s", fixture.getFileName()).anySatisfy(d -> {
            assertThat(d.message()).contains(fragment);
            assertThat(d.line()).isEqualTo(line);
            assertThat(d.file()).isEqualTo(path);
        });
    }

    @Test
    @DisplayName("an empty file is an error at 1:1")
    void emptyFile() {
        ParseResult<?> r = PolicyParser.parse(new byte[0], "policies/x.yaml");
        assertThat(r.diagnostics()).singleElement().satisfies(d -> {
            assertThat(d.message()).contains("the file is empty");
            assertThat(d.line()).isEqualTo(1);
            assertThat(d.column()).isEqualTo(1);
        });
        assertThat(r.isValid()).isFalse();
    }

    @Test
    @DisplayName("a file over 1 MiB is rejected before parsing")
    void oversizedFile() {
        byte[] big = new byte[YamlDocument.MAX_BYTES + 1];
        Arrays.fill(big, (byte) '#');
        ParseResult<?> r = PolicyParser.parse(big, "policies/x.yaml");
        assertThat(r.isValid()).isFalse();
        assertThat(r.diagnostics()).anySatisfy(d -> assertThat(d.message()).contains("the limit is 1 MiB"));
    }

    @Test
    @DisplayName("a file of exactly 1 MiB is read (the limit is inclusive)")
    void fileAtLimitIsRead() {
        String policy =
                "apiVersion: gavel/v1\nkind: Policy\nmetadata: {name: x}\nspec: {type: flavor, enforcement: warn}\n";
        byte[] bytes = new byte[YamlDocument.MAX_BYTES];
        Arrays.fill(bytes, (byte) ' ');
        byte[] p = policy.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(p, 0, bytes, 0, p.length);
        bytes[p.length] = '#';
        assertThat(PolicyParser.parse(bytes, "policies/x.yaml").isValid()).isTrue();
    }

    @Test
    @DisplayName("nesting deeper than the limit is an error, not a stack overflow")
    void deepNesting() {
        String deep =
                "apiVersion: gavel/v1\nkind: Policy\nmetadata: {name: x}\nspec: {type: flavor, enforcement: warn, settings: "
                        + "[".repeat(5000) + "]".repeat(5000) + "}\n";
        ParseResult<?> r = PolicyParser.parse(deep.getBytes(StandardCharsets.UTF_8), "policies/x.yaml");
        assertThat(r.isValid()).isFalse();
        assertThat(r.diagnostics()).anySatisfy(d -> assertThat(d.message()).contains("deeper than"));
    }

    @Test
    @DisplayName("a file not ending in .yaml is an error")
    void wrongExtension() {
        byte[] bytes =
                "apiVersion: gavel/v1\nkind: Policy\nmetadata: {name: x}\nspec: {type: flavor, enforcement: warn}\n"
                        .getBytes(StandardCharsets.UTF_8);
        assertThat(PolicyParser.parse(bytes, "policies/x.json").diagnostics())
                .anySatisfy(d -> assertThat(d.message()).contains("policy files end in .yaml"));
        assertThat(PolicyParser.parse(bytes, "policies/Bad Dir/x.yaml").diagnostics())
                .anySatisfy(d -> assertThat(d.message()).contains("directory 'Bad Dir' is not a valid scope name"));
    }
}
