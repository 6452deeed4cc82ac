package dev.gavel.engine.parse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gavel.engine.model.RepositorySettings;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code gavel.yaml} ({@code kind: Repository}) against {@code gavel/schema/repository.schema.json}.
 * Absent fields take the defaults of {@link RepositorySettings#DEFAULTS}; an absent file is the caller's
 * business (use the defaults). Thread-safe.
 */
public final class RepositorySettingsParser {
    private static final SchemaCheck SCHEMA = SchemaCheck.of("repository.schema.json");

    private RepositorySettingsParser() {}

    public static ParseResult<RepositorySettings> parse(byte[] bytes, String path) {
        String file = path == null ? "" : path;
        MappingDocument<RepositorySettings> opened =
                MappingDocument.open(bytes, file, List.of(), "apiVersion, kind, levels and branch");
        if (!(opened instanceof MappingDocument.Open<RepositorySettings> open)) {
            return ((MappingDocument.Closed<RepositorySettings>) opened).result();
        }
        YamlDocument doc = open.doc();
        JsonNode root = open.root();
        Findings findings = open.findings();
        findings.addAll(SCHEMA.validate(root, doc, FieldPath.ROOT));
        JsonNode branch = root.get("branch");
        if (branch != null && branch.isTextual() && branch.asText().matches("[A-Za-z0-9._/-]+")) {
            RepositorySettings.branchProblem(branch.asText()).ifPresent(p -> findings.error(FieldPath.of("branch"), p));
        }
        if (findings.hasErrors()) {
            return findings.result(null);
        }
        List<String> levels = new ArrayList<>();
        if (root.has("levels")) {
            root.get("levels").forEach(l -> levels.add(l.asText()));
        } else {
            levels.addAll(RepositorySettings.DEFAULT_LEVELS);
        }
        String b = branch == null ? RepositorySettings.DEFAULT_BRANCH : branch.asText();
        return findings.result(new RepositorySettings(levels, b));
    }
}
