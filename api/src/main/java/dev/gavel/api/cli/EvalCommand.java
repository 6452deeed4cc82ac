package dev.gavel.api.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.api.server.FieldError;
import dev.gavel.api.server.Json;
import dev.gavel.api.server.eval.EvaluationJson;
import dev.gavel.api.server.eval.Evaluator;
import dev.gavel.engine.eval.CircuitBreakers;
import dev.gavel.engine.model.RepositorySettings;
import dev.gavel.engine.model.ScopePath;
import dev.gavel.engine.parse.Diagnostic;
import dev.gavel.engine.snapshot.CompileResult;
import dev.gavel.engine.snapshot.SnapshotCompiler;
import dev.gavel.store.git.GitPolicyRepository;
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
    description = {
        "Decide one request offline against a policies repository and print the decision as JSON.",
        "Same input, same answer as POST /api/v1/evaluate (no server, nothing logged, breakers closed)."})
final class EvalCommand implements Callable<Integer> {
  @Option(names = "--repo", required = true, paramLabel = "PATH", description = "A Git repository (bare or with a work tree).")
  Path repo;

  @Option(names = "--branch", defaultValue = RepositorySettings.DEFAULT_BRANCH,
      description = "The branch whose head is evaluated (default: ${DEFAULT-VALUE}).")
  String branch;

  @Option(names = "--at", paramLabel = "COMMIT", description = "Evaluate at this commit or ref instead of the branch head.")
  String at;

  @Option(names = "--scope", paramLabel = "SCOPE",
      description = "Dotted scope of the request (_ = global); else the input's \"scope\" field.")
  String scope;

  @Option(names = "--input", required = true, paramLabel = "FILE",
      description = "The request as JSON {resource, action, location, flavor, tokens, attributes}; - reads stdin.")
  String input;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

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
        throw new UserError("--scope " + scope + " differs from the input's scope '" + given.textValue() + "'", 2);
      }
      copy.put("scope", scope);
      body = copy;
    }
    Evaluator.ScopeOrErrors s = Evaluator.scope(body, "");
    if (!s.errors().isEmpty()) {
      return rejected(s.errors());
    }
    try (GitPolicyRepository repository = open()) {
      String commit;
      try {
        commit = at != null ? repository.resolve(at)
            : repository.head().orElseThrow(() -> new UserError("branch " + branch + " of " + repo + " has no commit"));
      } catch (RuntimeException e) {
        if (e instanceof UserError u) {
          throw u;
        }
        throw new UserError("--at " + at + ": " + e.getMessage(), 2);
      }
      CompileResult compiled = SnapshotCompiler.compile(commit, repository.filesAt(commit).files(), Optional.empty());
      if (compiled instanceof CompileResult.Rejected r) {
        var err = spec.commandLine().getErr();
        err.printf("commit %s does not compile:%n", commit);
        r.diagnostics().stream().filter(Diagnostic::isError).forEach(d -> err.println("  " + d.format()));
        err.flush();
        return 1;
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
      throw new UserError("--input " + input + " is not valid JSON" + (loc == null ? "" : " (line " + loc.getLineNr()
          + ", column " + loc.getColumnNr() + ")") + ": " + e.getOriginalMessage(), 2);
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
