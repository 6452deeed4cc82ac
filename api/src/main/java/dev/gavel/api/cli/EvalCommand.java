package dev.gavel.api.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.api.http.FieldError;
import dev.gavel.api.http.Json;
import dev.gavel.api.server.eval.EvaluationJson;
import dev.gavel.api.snapshot.Evaluator;
import dev.gavel.api.validate.RepositorySource;
import dev.gavel.api.validate.RevisionFiles;
import dev.gavel.engine.eval.CircuitBreakers;
import dev.gavel.engine.model.RepositorySettings;
import dev.gavel.engine.model.ScopePath;
import dev.gavel.engine.parse.Diagnostic;
import dev.gavel.engine.snapshot.CompileResult;
import dev.gavel.engine.snapshot.SnapshotCompiler;
import dev.gavel.store.git.GitPolicyRepository;
import dev.gavel.store.git.RepoFiles;
import dev.gavel.store.log.EvaluationIds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gavel eval}: decides one request against a repository's commit, offline (no server, no log), and
 * prints the JSON {@code POST /api/v1/evaluate} would answer. A request the policies cannot decide prints
 * its field errors and exits 2, as the API answers 422.
 */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        header =
                "Decide one request offline and print the JSON POST /api/v1/evaluate answers (reads the work tree by default).",
        description = {
            "Decide one request offline against a policies repository and print the decision as JSON.",
            "Same input, same answer as POST /api/v1/evaluate (no server, nothing logged, breakers closed).",
            "Like validate and test, it reads the work tree by default (--head worktree); --head REF decides",
            "with a committed version."
        })
final class EvalCommand implements Callable<Integer> {
    @Option(
            names = "--repo",
            required = true,
            paramLabel = "PATH",
            description = "A Git repository (bare or with a work tree).")
    Path repo;

    @Option(
            names = "--branch",
            defaultValue = RepositorySettings.DEFAULT_BRANCH,
            description = "The branch whose head is evaluated (default: ${DEFAULT-VALUE}).")
    String branch;

    @Option(
            names = {"--head", "--at"},
            paramLabel = "REF|worktree",
            description = {
                "The version to decide with: a Git revision, or worktree for the files on disk (default: worktree,",
                "as validate and test; in a bare repository, which has no work tree, the head of --branch). --at is an alias."
            })
    String at;

    @Option(
            names = "--scope",
            paramLabel = "SCOPE",
            description = "Dotted scope of the request (_ = global); else the input's \"scope\" field.")
    String scope;

    @Option(
            names = "--input",
            required = true,
            paramLabel = "FILE",
            description =
                    "The request as JSON {resource, action, location, flavor, tokens, attributes}; - reads stdin.")
    String input;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        JsonNode body = readInput();
        if (!body.isObject()) {
            throw new UserError("--input: the request must be a JSON object", 2);
        }
        if (scope != null) {
            ObjectNode copy = ((ObjectNode) body).deepCopy();
            JsonNode given = copy.get("scope");
            if (given != null && given.isTextual() && !sameScope(given.textValue(), scope)) {
                throw new UserError(
                        "--scope " + scope + " differs from the input's scope '" + given.textValue() + "'", 2);
            }
            copy.put("scope", scope);
            body = copy;
        }
        Evaluator.ScopeOrErrors s = Evaluator.scope(body, "");
        if (!s.errors().isEmpty()) {
            return rejected(s.errors());
        }
        String head = at != null ? at : isBare(repo) ? null : RepositorySource.WORKTREE;
        if (RepositorySource.WORKTREE.equals(head)) {
            RevisionFiles files;
            try (RepositorySource source = new RepositorySource(repo)) {
                files = source.read(RepositorySource.WORKTREE);
            } catch (RepositorySource.SourceException e) {
                throw new UserError(e.getMessage());
            }
            if (!files.problems().isEmpty()) {
                return notCompiled("the work tree", files.problems());
            }
            return decide(
                    SnapshotCompiler.compile(RepositorySource.WORKTREE, files.files(), Optional.empty()),
                    s,
                    body,
                    RepositorySource.WORKTREE);
        }
        try (GitPolicyRepository repository = open()) {
            String commit;
            try {
                commit = at != null
                        ? repository.resolve(at)
                        : repository
                                .head()
                                .orElseThrow(
                                        () -> new UserError("branch " + branch + " of " + repo + " has no commit"));
            } catch (RuntimeException e) {
                if (e instanceof UserError u) {
                    throw u;
                }
                throw new UserError("--at " + at + ": " + e.getMessage(), 2);
            }
            RepoFiles files = repository.filesAt(commit);
            return decide(
                    SnapshotCompiler.compile(commit, files.files(), files.unreadable(), Optional.empty()),
                    s,
                    body,
                    "commit " + commit);
        }
    }

    private int decide(CompileResult compiled, Evaluator.ScopeOrErrors s, JsonNode body, String what) {
        if (compiled instanceof CompileResult.Rejected r) {
            return notCompiled(what, r.diagnostics());
        }
        var snapshot = ((CompileResult.Compiled) compiled).snapshot();
        Evaluator.Outcome o = Evaluator.evaluate(snapshot, s.scope().get(), body, CircuitBreakers.NONE_OPEN, "");
        if (o instanceof Evaluator.Rejected r) {
            return rejected(r.errors());
        }
        var out = spec.commandLine().getOut();
        out.println(pretty(EvaluationJson.answer(EvaluationIds.next(), (Evaluator.Decided) o)));
        out.flush();
        return 0;
    }

    private int notCompiled(String what, java.util.List<Diagnostic> diagnostics) {
        var err = spec.commandLine().getErr();
        err.printf("%s does not compile:%n", what);
        diagnostics.stream().filter(Diagnostic::isError).forEach(d -> err.println("  " + d.format()));
        err.flush();
        return 1;
    }

    /** A bare repository (HEAD and objects/ at the top, no work tree): there is no worktree to read. */
    private static boolean isBare(Path dir) {
        return java.nio.file.Files.isRegularFile(dir.resolve("HEAD"))
                && java.nio.file.Files.isDirectory(dir.resolve("objects"));
    }

    private static boolean sameScope(String a, String b) {
        try {
            return ScopePath.fromUrl(a.strip()).equals(ScopePath.fromUrl(b.strip()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private int rejected(java.util.List<FieldError> errors) {
        var err = spec.commandLine().getErr();
        err.println("the request cannot be decided as sent:");
        for (FieldError e : errors) {
            err.println("  " + e.field() + ": " + e.message());
        }
        err.flush();
        return 2;
    }

    private JsonNode readInput() {
        try {
            byte[] bytes = input.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(input));
            JsonNode n = Json.MAPPER.readTree(bytes);
            if (n == null || n.isMissingNode()) {
                throw new UserError("--input " + input + " is empty", 2);
            }
            return n;
        } catch (NoSuchFileException e) {
            throw new UserError("--input " + input + ": no such file", 2);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new UserError(
                    "--input " + input + " is not valid JSON"
                            + (loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")")
                            + ": " + e.getOriginalMessage(),
                    2);
        } catch (IOException e) {
            throw new UserError("--input " + input + ": " + e.getMessage(), 2);
        }
    }

    private GitPolicyRepository open() {
        try {
            return GitPolicyRepository.open(repo, branch);
        } catch (IOException | RuntimeException e) {
            throw new UserError("cannot open " + repo + ": " + e.getMessage());
        }
    }

    private static String pretty(Object n) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
