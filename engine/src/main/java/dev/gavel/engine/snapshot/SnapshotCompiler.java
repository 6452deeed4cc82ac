package dev.gavel.engine.snapshot;

import dev.gavel.engine.compile.BuildTiming;
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
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

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

    /**
     * A parsed policy file, kept by the snapshot so the next compile can skip unchanged bytes: its path, parse
     * outcome and definition (null when the file does not parse into a policy) are reused as they are.
     */
    record ParsedFile(byte[] bytes, ParseResult<Policy> result, PolicyPath where, PolicyDefinition definition) {
        static ParsedFile of(byte[] bytes, ParseResult<Policy> result, PolicyPath where) {
            return new ParsedFile(
                    bytes,
                    result,
                    where,
                    result.valueIfValid()
                            .map(p -> new PolicyDefinition(where, p))
                            .orElse(null));
        }
    }

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
        return compile(commit, files, unreadable, previous, BuildTiming.NOW);
    }

    /**
     * @param timing {@link BuildTiming#BACKGROUND} for a server's first compile: the snapshot is returned before its
     *     knowledge bases are built (each is built on first use at the latest), so a failure to build one is not a
     *     diagnostic of this compile but an error of the evaluations that need it (our bug either way)
     */
    public static CompileResult compile(
            String commit,
            Map<String, byte[]> files,
            Map<String, String> unreadable,
            Optional<PolicySnapshot> previous,
            BuildTiming timing) {
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
        // Visit only the names whose files changed when the previous snapshot had the same settings (the depth a
        // scope may have, the levels rules are generated for); else everything is resolved and generated again.
        boolean byName = previous.isPresent() && previous.get().settings().equals(settings);
        Map<String, ParseResult<Policy>> freshlyParsed = parseChanged(files, reusable);
        Map<String, ParsedFile> parsedFiles = new HashMap<>(files.size() * 4 / 3 + 1);
        List<PolicyDefinition> definitions = new ArrayList<>();
        List<PolicyTestSuite> tests = new ArrayList<>();
        Set<String> changedNames = new TreeSet<>();
        int reused = 0;
        SortedMap<String, byte[]> sorted = files instanceof SortedMap<String, byte[]> m ? m : new TreeMap<>(files);
        for (Map.Entry<String, byte[]> file : sorted.entrySet()) {
            String path = file.getKey();
            if (path.startsWith(POLICIES)) {
                ParsedFile before = reusable.get(path);
                PolicyPath where;
                try {
                    where = before != null ? before.where() : PolicyPath.parse(path);
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
                ParseResult<Policy> fresh = freshlyParsed.get(path);
                ParsedFile parsed;
                if (fresh == null) {
                    parsed = before;
                    reused++;
                } else {
                    parsed = ParsedFile.of(file.getValue(), fresh, where);
                    changedNames.add(where.name());
                }
                parsedFiles.put(path, parsed);
                diagnostics.addAll(parsed.result().diagnostics());
                if (parsed.definition() != null) {
                    definitions.add(parsed.definition());
                }
            } else if (path.startsWith(TESTS) && path.endsWith(".yaml")) {
                ParseResult<PolicyTestSuite> parsed = TestSuiteParser.parse(file.getValue(), path);
                diagnostics.addAll(parsed.diagnostics());
                parsed.valueIfValid().ifPresent(tests::add);
            }
        }
        if (hasErrors(diagnostics)) {
            return rejected(commit, diagnostics);
        }

        PolicySet policies;
        if (byName) {
            PolicySnapshot before = previous.get();
            if (reused < reusable.size()) { // files removed (every file of a compiled snapshot is a definition)
                reusable.forEach((path, p) -> {
                    if (!parsedFiles.containsKey(path)) {
                        changedNames.add(p.where().name());
                    }
                });
            }
            // A changed name's definitions now: its unchanged files' definitions and the changed files' new ones.
            Map<String, List<PolicyDefinition>> replaced = new TreeMap<>();
            for (String name : changedNames) {
                List<PolicyDefinition> now = new ArrayList<>();
                for (PolicyDefinition d : before.policies().definitionsOf(name)) {
                    ParsedFile p = parsedFiles.get(d.file());
                    if (p != null && p.definition() == d) {
                        now.add(d);
                    }
                }
                replaced.put(name, now);
            }
            freshlyParsed.keySet().forEach(path -> {
                ParsedFile p = parsedFiles.get(path);
                if (p != null && p.definition() != null) {
                    replaced.get(p.definition().name()).add(p.definition());
                }
            });
            policies = before.policies().withNames(replaced);
        } else {
            policies = PolicySet.of(definitions);
        }
        ScopeResolver resolver = new ScopeResolver(
                policies, previous.map(PolicySnapshot::resolver).orElse(null), byName ? changedNames : null);
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
                    previous.map(p -> p.generated).orElse(GeneratedRules.NONE),
                    byName ? changedNames : null,
                    timing);
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

    /**
     * Parses the policy files whose bytes differ from the previous snapshot's (a file read unchanged from Git is
     * usually the same array: an identity check). Side by side when there are several (a cold start parses them
     * all); parsing is independent per file and deterministic, so the outcome does not depend on the order.
     */
    private static Map<String, ParseResult<Policy>> parseChanged(
            Map<String, byte[]> files, Map<String, ParsedFile> reusable) {
        List<Map.Entry<String, byte[]>> changed = new ArrayList<>();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            if (f.getKey().startsWith(POLICIES)) {
                ParsedFile before = reusable.get(f.getKey());
                if (before == null || !Arrays.equals(before.bytes(), f.getValue())) {
                    changed.add(f);
                }
            }
        }
        Map<String, ParseResult<Policy>> parsed = new ConcurrentHashMap<>();
        (changed.size() > 1 ? changed.parallelStream() : changed.stream())
                .forEach(f -> parsed.put(f.getKey(), PolicyParser.parse(f.getValue(), f.getKey())));
        return parsed;
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
