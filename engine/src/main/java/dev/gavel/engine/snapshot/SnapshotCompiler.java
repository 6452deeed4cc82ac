package dev.gavel.engine.snapshot;

import dev.gavel.engine.compile.CompiledPartition;
import dev.gavel.engine.compile.GeneratedRules;
import dev.gavel.engine.compile.KnowledgeCompiler;
import dev.gavel.engine.expr.RequestSchema;
import dev.gavel.engine.model.Policy;
import dev.gavel.engine.model.PolicyPath;
import dev.gavel.engine.model.PolicyTestSuite;
import dev.gavel.engine.model.RepositorySettings;
import dev.gavel.engine.parse.Diagnostic;
import dev.gavel.engine.parse.ParseResult;
import dev.gavel.engine.parse.PolicyParser;
import dev.gavel.engine.parse.RepositorySettingsParser;
import dev.gavel.engine.parse.Severity;
import dev.gavel.engine.parse.TestSuiteParser;
import dev.gavel.engine.resolve.PolicyDefinition;
import dev.gavel.engine.resolve.PolicySet;
import dev.gavel.engine.resolve.ScopeResolver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compiles the files of one commit into a {@link PolicySnapshot}: parse, resolve, generate rules,
 * build knowledge bases. Given the previous snapshot it reuses what did not change — parsed files
 * with the same bytes, partitions with the same generated DRL — so the cost of a one-file change
 * does not grow with the repository.
 */
public final class SnapshotCompiler {
    private static final String POLICIES = "policies/";
    private static final String TESTS = "tests/";

    private SnapshotCompiler() {}

    /** A parsed policy file, kept by the snapshot so the next compile can skip unchanged bytes. */
    record ParsedFile(byte[] bytes, ParseResult<Policy> result) {}

    public static CompileResult compile(String commit, Map<String, byte[]> files) {
        return compile(commit, files, Optional.empty());
    }

    /**
     * @param files the commit's files by repository-relative path; files outside {@code gavel.yaml},
     *     {@code policies/} and {@code tests/} are ignored
     */
    public static CompileResult compile(String commit, Map<String, byte[]> files, Optional<PolicySnapshot> previous) {
        return compile(commit, files, Map.of(), previous);
    }

    /**
     * @param unreadable entries the store did not read, by path, with why (a symbolic link, a file over the
     *     size limit): each is an error of the commit, so it is not served
     */
    public static CompileResult compile(
            String commit,
            Map<String, byte[]> files,
            Map<String, String> unreadable,
            Optional<PolicySnapshot> previous) {
        long start = System.nanoTime();
        List<Diagnostic> diagnostics = new ArrayList<>();
        unreadable.forEach((path, why) -> diagnostics.add(error(path, why)));

        RepositorySettings settings = RepositorySettings.DEFAULTS;
        byte[] gavelYaml = files.get(RepositorySettings.FILE);
        if (gavelYaml != null) {
            ParseResult<RepositorySettings> parsed = RepositorySettingsParser.parse(gavelYaml, RepositorySettings.FILE);
            diagnostics.addAll(parsed.diagnostics());
            settings = parsed.valueIfValid().orElse(RepositorySettings.DEFAULTS);
        }

        Map<String, ParsedFile> reusable = previous.map(p -> p.parsedFiles).orElse(Map.of());
        Map<String, ParsedFile> parsedFiles = new HashMap<>();
        List<PolicyDefinition> definitions = new ArrayList<>();
        List<PolicyTestSuite> tests = new ArrayList<>();
        // Parse the files whose bytes changed side by side (a cold start parses them all); parsing is
        // independent per file and deterministic, so the outcome does not depend on the order.
        Map<String, ParseResult<Policy>> freshlyParsed = new java.util.concurrent.ConcurrentHashMap<>();
        files.entrySet().parallelStream()
                .filter(f -> f.getKey().startsWith(POLICIES))
                .filter(f -> {
                    ParsedFile before = reusable.get(f.getKey());
                    return before == null || !Arrays.equals(before.bytes(), f.getValue());
                })
                .forEach(f -> freshlyParsed.put(f.getKey(), PolicyParser.parse(f.getValue(), f.getKey())));
        for (Map.Entry<String, byte[]> file : new java.util.TreeMap<>(files).entrySet()) {
            String path = file.getKey();
            if (path.startsWith(POLICIES)) {
                PolicyPath where;
                try {
                    where = PolicyPath.parse(path);
                } catch (IllegalArgumentException e) {
                    diagnostics.add(error(path, e.getMessage()));
                    continue;
                }
                if (!settings.allowsDepth(where.scope().depth())) {
                    diagnostics.add(error(
                            path,
                            "the scope " + where.scope().dotted() + " is "
                                    + where.scope().depth()
                                    + " levels deep; gavel.yaml defines "
                                    + settings.levels().size() + " ("
                                    + String.join(", ", settings.levels()) + ")"));
                    continue;
                }
                ParsedFile before = reusable.get(path);
                ParseResult<Policy> fresh = freshlyParsed.get(path);
                ParsedFile parsed = fresh == null ? before : new ParsedFile(file.getValue(), fresh);
                parsedFiles.put(path, parsed);
                diagnostics.addAll(parsed.result().diagnostics());
                parsed.result().valueIfValid().ifPresent(p -> definitions.add(new PolicyDefinition(where, p)));
            } else if (path.startsWith(TESTS) && path.endsWith(".yaml")) {
                ParseResult<PolicyTestSuite> parsed = TestSuiteParser.parse(file.getValue(), path);
                diagnostics.addAll(parsed.diagnostics());
                parsed.valueIfValid().ifPresent(tests::add);
            }
        }
        if (hasErrors(diagnostics)) {
            return rejected(commit, diagnostics);
        }

        ScopeResolver resolver = new ScopeResolver(
                PolicySet.of(definitions),
                previous.map(PolicySnapshot::resolver).orElse(null));
        diagnostics.addAll(resolver.diagnostics());
        if (hasErrors(diagnostics)) {
            return rejected(commit, diagnostics);
        }

        Map<String, CompiledPartition> before =
                previous.map(PolicySnapshot::partitions).orElse(Map.of());
        KnowledgeCompiler.Result compiled;
        try {
            compiled = KnowledgeCompiler.compile(
                    resolver,
                    new RequestSchema(settings.levels()),
                    before,
                    previous.map(p -> p.generated).orElse(GeneratedRules.NONE));
        } catch (IllegalStateException e) {
            // Generated DRL Drools refuses is our bug; the commit is still not served.
            diagnostics.add(error("", "internal error while compiling the policies: " + e.getMessage()));
            return rejected(commit, diagnostics);
        }
        diagnostics.addAll(compiled.diagnostics());
        if (hasErrors(diagnostics)) {
            return rejected(commit, diagnostics);
        }
        diagnostics.sort(Diagnostic.BY_POSITION);
        PolicySnapshot snapshot = new PolicySnapshot(
                commit,
                settings,
                resolver,
                compiled.partitions(),
                tests,
                diagnostics,
                parsedFiles,
                compiled.generated(),
                compiled.regenerated());
        return new CompileResult.Compiled(snapshot, compiled.rebuilt(), (System.nanoTime() - start) / 1_000_000);
    }

    private static boolean hasErrors(List<Diagnostic> diagnostics) {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }

    private static CompileResult rejected(String commit, List<Diagnostic> diagnostics) {
        List<Diagnostic> sorted = new ArrayList<>(diagnostics);
        sorted.sort(Diagnostic.BY_POSITION);
        return new CompileResult.Rejected(commit, sorted);
    }

    private static Diagnostic error(String path, String message) {
        return new Diagnostic(path, 1, 1, Severity.ERROR, "", message);
    }
}
