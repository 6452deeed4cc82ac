package dev.gavel.engine.parse;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The opening every Gavel file parser shares: read the bytes as one YAML document whose root is a
 * mapping, and collect findings against it. A file that cannot be read, or whose root is not a
 * mapping, ends there with its diagnostics.
 */
sealed interface MappingDocument<T> {
    /** The document is a mapping: go on checking it with {@code findings}. */
    record Open<T>(YamlDocument doc, JsonNode root, Findings findings) implements MappingDocument<T> {}

    /** The file is invalid before its content could be checked. */
    record Closed<T>(ParseResult<T> result) implements MappingDocument<T> {}

    /**
     * @param earlier diagnostics found before reading (e.g. about the path), kept in the result
     * @param expected what the root mapping should hold, for the message ("apiVersion, kind, ...")
     */
    static <T> MappingDocument<T> open(byte[] bytes, String file, List<Diagnostic> earlier, String expected) {
        YamlDocument.Read read = YamlDocument.read(bytes, file);
        if (read.document().isEmpty()) {
            List<Diagnostic> all = new ArrayList<>(earlier);
            all.addAll(read.errors());
            all.sort(Diagnostic.BY_POSITION);
            return new Closed<>(new ParseResult.Invalid<>(all));
        }
        YamlDocument doc = read.document().get();
        Findings findings = new Findings(file, doc);
        findings.addAll(earlier);
        JsonNode root = doc.root();
        if (!root.isObject()) {
            findings.error(
                    FieldPath.ROOT, "expected a mapping with " + expected + ", got " + SchemaCheck.describe(root));
            return new Closed<>(findings.result(null));
        }
        return new Open<>(doc, root, findings);
    }
}
