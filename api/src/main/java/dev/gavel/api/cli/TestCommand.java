package dev.gavel.api.cli;

import dev.gavel.api.validate.ReportFormat;
import dev.gavel.api.validate.RepositorySource;
import dev.gavel.api.validate.Validation;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gavel test}: compile the repository and run only its policy tests. */
@Command(
        name = "test",
        mixinStandardHelpOptions = true,
        header = "Run the policy tests in tests/*.yaml (reads the work tree by default).",
        description = {
            "Run the policy tests in tests/*.yaml against the compiled policies.",
            "Exit status: 0 all passed, 1 a test failed or the policies do not compile, 2 usage error."
        })
final class TestCommand implements Callable<Integer> {

    @Option(
            names = "--repo",
            defaultValue = ".",
            paramLabel = "DIR",
            description = "The policies repository (default: the current directory).")
    Path repo;

    @Option(
            names = "--head",
            defaultValue = RepositorySource.WORKTREE,
            paramLabel = "REF|worktree",
            description =
                    "The version to test: a Git revision, or worktree for the files on disk (default: ${DEFAULT-VALUE}).")
    String head;

    @Option(
            names = "--format",
            defaultValue = "text",
            paramLabel = "text|markdown|json",
            converter = ValidateCommand.FormatConverter.class,
            description = "Output: text, markdown or json (default: ${DEFAULT-VALUE}).")
    ReportFormat format;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        return ValidateCommand.run(spec, repo, head, Optional.empty(), format, Validation.Steps.TESTS);
    }
}
