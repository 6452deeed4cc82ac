package dev.gavel.api.cli;

import dev.gavel.api.validate.ReportFormat;
import dev.gavel.api.validate.RepositorySource;
import dev.gavel.api.validate.RevisionFiles;
import dev.gavel.api.validate.Validation;
import dev.gavel.api.validate.ValidationReport;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gavel validate}: compile the head, run the policy tests, and with {@code --base} report the
 * impact of the change. Exit 0 clean, 1 invalid or a test failed, 2 usage error (including a
 * repository or ref that cannot be read: the check could not run).
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
        "Check a policies repository: compile it, run the policy tests in tests/*.yaml and, with --base,",
        "report which resolved policies the change adds, removes or changes in each scope.",
        "Exit status: 0 clean, 1 invalid or a test failed, 2 usage error."})
final class ValidateCommand implements Callable<Integer> {

  @Option(names = "--repo", defaultValue = ".", paramLabel = "DIR",
      description = "The policies repository (default: the current directory).")
  Path repo;

  @Option(names = "--base", paramLabel = "REF",
      description = "Compare with this Git revision (e.g. main, origin/main, HEAD~1) and report the impact.")
  String base;

  @Option(names = "--head", defaultValue = RepositorySource.WORKTREE, paramLabel = "REF|worktree",
      description = "The version to check: a Git revision, or worktree for the files on disk (default: ${DEFAULT-VALUE}).")
  String head;

  @Option(names = "--format", defaultValue = "text", paramLabel = "text|markdown|json",
      converter = FormatConverter.class,
      description = "Output: text (terminal), markdown (pull-request comment) or json (default: ${DEFAULT-VALUE}).")
  ReportFormat format;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    return run(spec, repo, head, Optional.ofNullable(base), format, Validation.Steps.ALL);
  }

  /** Shared by {@code validate} and {@code test}. */
  static int run(CommandLine.Model.CommandSpec spec, Path repo, String head, Optional<String> base,
      ReportFormat format, Validation.Steps steps) {
    ValidationReport report;
    try (RepositorySource source = new RepositorySource(repo)) {
      RevisionFiles headFiles = source.read(head);
      Optional<RevisionFiles> baseFiles = base.map(source::read);
      report = Validation.run(headFiles, baseFiles, steps, Optional.empty());
    } catch (RepositorySource.SourceException e) {
      throw new UserError(e.getMessage(), 2);
    }
    spec.commandLine().getOut().print(format.render(report));
    spec.commandLine().getOut().flush();
    return report.ok() ? 0 : 1;
  }

  /** text, markdown or json, in any case; anything else is a usage error naming the choices. */
  static final class FormatConverter implements CommandLine.ITypeConverter<ReportFormat> {
    @Override
    public ReportFormat convert(String value) {
      try {
        return ReportFormat.valueOf(value.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException("'" + value + "' is not one of text, markdown, json");
      }
    }
  }
}
