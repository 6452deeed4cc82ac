package dev.gavel.api.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --data DIR} option of the commands that use Gavel's data directory (a picocli mixin). */
final class DataDirOption {
    static final String DEFAULT = "gavel-data";

    @Option(
            names = "--data",
            paramLabel = "DIR",
            defaultValue = DEFAULT,
            description = "Data directory (default: ${DEFAULT-VALUE}).")
    Path data;
}
