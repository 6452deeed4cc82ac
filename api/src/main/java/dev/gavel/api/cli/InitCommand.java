package dev.gavel.api.cli;

import dev.gavel.api.template.RepositoryTemplate;
import dev.gavel.store.git.Author;
import dev.gavel.store.git.GitPolicyRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gavel init DIR}: a new Git repository holding the template policies, in one commit. */
@Command(
        name = "init",
        mixinStandardHelpOptions = true,
        header = "Create a new policies repository from the Gavel template, in one commit.",
        description = "Create a new policies repository (with a work tree) from the Gavel template, in one commit.")
final class InitCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "Directory to create; must not exist or be empty.")
    Path dir;

    @Option(names = "--branch", defaultValue = "main", description = "Initial branch (default: ${DEFAULT-VALUE}).")
    String branch;

    @Option(
            names = "--author",
            defaultValue = "Gavel <gavel@localhost>",
            description = "Author of the initial commit, as 'Name <email>' (default: ${DEFAULT-VALUE}).")
    String author;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (Files.exists(dir) && !isEmptyDirectory(dir)) {
            throw new UserError(dir + " exists and is not an empty directory");
        }
        Author who = Authors.parse(author);
        GitPolicyRepository.initFromFiles(
                        dir, RepositoryTemplate.files(), false, branch, who, "Initial policies from the Gavel template")
                .close();
        spec.commandLine()
                .getOut()
                .printf(
                        "Initialized a policies repository in %s (branch %s).%nNext: cd %s && git log%n",
                        dir.toAbsolutePath(), branch, dir);
        return 0;
    }

    private static boolean isEmptyDirectory(Path p) throws IOException {
        if (!Files.isDirectory(p)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(p)) {
            return entries.findAny().isEmpty();
        }
    }
}
