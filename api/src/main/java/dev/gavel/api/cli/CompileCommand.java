package dev.gavel.api.cli;

import dev.gavel.engine.compile.CompiledPartition;
import dev.gavel.engine.model.RepositorySettings;
import dev.gavel.engine.parse.Diagnostic;
import dev.gavel.engine.snapshot.CompileResult;
import dev.gavel.engine.snapshot.SnapshotCompiler;
import dev.gavel.store.git.GitPolicyRepository;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gavel compile}: compiles a commit as the server would and reports its partitions; with
 * {@code --drl}, prints each partition's rules rendered as DRL, for people. The server never compiles
 * that text: its knowledge bases are built from Java code (docs/engine.md).
 */
@Command(
        name = "compile",
        mixinStandardHelpOptions = true,
        description = {
            "Compile a policies repository's commit and list its partitions (rules per knowledge base).",
            "--drl prints the generated rules as readable DRL (an explanation; the server builds them from Java code)."
        })
final class CompileCommand implements Callable<Integer> {
    @Option(names = "--repo", defaultValue = ".", paramLabel = "PATH", description = "A Git repository (default: .).")
    Path repo;

    @Option(
            names = "--branch",
            defaultValue = RepositorySettings.DEFAULT_BRANCH,
            description = "Branch (default: ${DEFAULT-VALUE}).")
    String branch;

    @Option(
            names = {"--drl", "--explain"},
            description = "Print each partition's rules as DRL.")
    boolean drl;

    @Option(names = "--partition", paramLabel = "TENANT", description = "Only this partition (_ = global).")
    String partition;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        try (GitPolicyRepository repository = open()) {
            String commit = repository
                    .head()
                    .orElseThrow(() -> new UserError("branch " + branch + " of " + repo + " has no commit"));
            CompileResult compiled =
                    SnapshotCompiler.compile(commit, repository.filesAt(commit).files(), Optional.empty());
            var out = spec.commandLine().getOut();
            if (compiled instanceof CompileResult.Rejected r) {
                var err = spec.commandLine().getErr();
                r.diagnostics().stream().filter(Diagnostic::isError).forEach(d -> err.println(d.format()));
                err.flush();
                return 1;
            }
            CompileResult.Compiled ok = (CompileResult.Compiled) compiled;
            Map<String, CompiledPartition> partitions =
                    new TreeMap<>(ok.snapshot().partitions());
            String only = partition == null ? null : partition.equals("_") ? "" : partition;
            if (only != null && !partitions.containsKey(only)) {
                throw new UserError(
                        "--partition " + partition + ": no such partition ("
                                + String.join(
                                        ", ",
                                        partitions.keySet().stream()
                                                .map(k -> k.isEmpty() ? "_" : k)
                                                .toList())
                                + ")",
                        2);
            }
            out.printf("commit %s: %d partitions, compiled in %d ms%n", commit, partitions.size(), ok.millis());
            partitions.forEach((key, p) -> {
                if (only != null && !only.equals(key)) {
                    return;
                }
                String name = key.isEmpty() ? "_ (global)" : key;
                if (!drl) {
                    out.printf("  %s: %d rules%n", name, p.rules().size());
                    return;
                }
                out.printf(
                        "// partition %s: %d rules (rule rN reports side-table entry N)%n",
                        name, p.rules().size());
                String[] lines = p.drl().split("\n");
                for (String line : lines) {
                    out.println(line);
                    if (line.startsWith("rule r")) {
                        int n = Integer.parseInt(line.substring(6, line.indexOf(' ', 6)));
                        var ref = p.rule(n);
                        out.printf(
                                "//   r%d = %s at %s, %s (%s, %s)%n",
                                n,
                                ref.policy(),
                                ref.definedAt().dotted().isEmpty()
                                        ? "_"
                                        : ref.definedAt().dotted(),
                                ref.rule(),
                                ref.kind() == dev.gavel.engine.compile.RuleRef.Kind.MISSING
                                        ? "missing " + ref.field()
                                        : ref.effect().name().toLowerCase(),
                                ref.enforcement().name().toLowerCase());
                    }
                }
            });
            out.flush();
            return 0;
        }
    }

    private GitPolicyRepository open() {
        try {
            return GitPolicyRepository.open(repo, branch);
        } catch (IOException | RuntimeException e) {
            throw new UserError("cannot open " + repo + ": " + e.getMessage());
        }
    }
}
