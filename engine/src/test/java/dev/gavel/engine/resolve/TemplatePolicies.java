package dev.gavel.engine.resolve;

import dev.gavel.engine.model.Policy;
import dev.gavel.engine.model.PolicyPath;
import dev.gavel.engine.parse.ParseResult;
import dev.gavel.engine.parse.PolicyParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The files of policies-repo-template, read from the source tree (tests may touch files; the engine may not). */
public final class TemplatePolicies {
    public static final Path ROOT = Path.of("..", "policies-repo-template");

    private TemplatePolicies() {}

    /** Every file of the template by repository-relative path. */
    public static Map<String, byte[]> files() {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(ROOT)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                files.put(ROOT.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    public static PolicySet policySet() {
        return PolicySet.of(definitions(files()));
    }

    public static List<PolicyDefinition> definitions(Map<String, byte[]> files) {
        List<PolicyDefinition> defs = new ArrayList<>();
        files.forEach((path, bytes) -> {
            if (path.startsWith("policies/") && path.endsWith(".yaml")) {
                defs.add(definition(path, bytes));
            }
        });
        return defs;
    }

    public static PolicyDefinition definition(String path, byte[] bytes) {
        ParseResult<Policy> parsed = PolicyParser.parse(bytes, path);
        if (!(parsed instanceof ParseResult.Parsed<Policy> ok)) {
            throw new AssertionError(path + " does not parse: " + parsed.diagnostics());
        }
        return new PolicyDefinition(PolicyPath.parse(path), ok.value());
    }

    public static PolicyDefinition definition(String path, String yaml) {
        return definition(path, yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
