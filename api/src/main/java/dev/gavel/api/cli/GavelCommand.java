package dev.gavel.api.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gavel} command: the one entry point of the shaded jar. */
@Command(
        name = "gavel",
        mixinStandardHelpOptions = true,
        versionProvider = GavelCommand.Version.class,
        description = "A versioned GitOps policy store with a rules engine.",
        subcommands = {
            InitCommand.class,
            TokenCommand.class,
            ServeCommand.class,
            ValidateCommand.class,
            TestCommand.class,
            EvalCommand.class,
            CompileCommand.class,
            FleetCommand.class,
            CommandLine.HelpCommand.class
        })
public final class GavelCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests execute it in-process. */
    public static CommandLine commandLine() {
        return new CommandLine(new GavelCommand()).setExecutionExceptionHandler(new UserErrorHandler());
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Version from the jar manifest, or "dev" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = GavelCommand.class.getPackage().getImplementationVersion();
            return new String[] {"gavel " + (v == null ? "dev" : v)};
        }
    }
}
