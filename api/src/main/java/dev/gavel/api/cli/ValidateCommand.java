package dev.gavel.api.cli;

import dev.gavel.api.validate.ReportFormat;
import dev.gavel.api.validate.RepositorySource;
import dev.gavel.api.validate.RevisionFiles;
import dev.gavel.api.validate.Validation;
import dev.gavel.api.validate.ValidationReport;
import dev.gavel.api.validate.replay.LogFileSource;
import dev.gavel.api.validate.replay.MergedSource;
import dev.gavel.api.validate.replay.ReplaySource;
import dev.gavel.api.validate.replay.ReplayWindow;
import dev.gavel.api.validate.replay.Replayer;
import dev.gavel.api.validate.replay.ServerSource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
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
        header =
                "Check a policies repository: compile, run its tests, report a change's impact (reads the work tree by default).",
        description = {
            "Check a policies repository: compile it, run the policy tests in tests/*.yaml and, with --base,",
            "report which resolved policies the change adds, removes or changes in each scope. With --replay,",
            "re-decide logged requests on the head and report the decisions that would flip.",
            "Exit status: 0 clean, 1 invalid, a test failed (or a decision flipped with --fail-on-flip), 2 usage error."
        })
final class ValidateCommand implements Callable<Integer> {

    @Option(
            names = "--repo",
            defaultValue = ".",
            paramLabel = "DIR",
            description = "The policies repository (default: the current directory).")
    Path repo;

    @Option(
            names = "--base",
            paramLabel = "REF",
            description = "Compare with this Git revision (e.g. main, origin/main, HEAD~1) and report the impact.")
    String base;

    @Option(
            names = "--head",
            defaultValue = RepositorySource.WORKTREE,
            paramLabel = "REF|worktree",
            description =
                    "The version to check: a Git revision, or worktree for the files on disk (default: ${DEFAULT-VALUE}).")
    String head;

    @Option(
            names = "--format",
            defaultValue = "text",
            paramLabel = "text|markdown|json",
            converter = FormatConverter.class,
            description =
                    "Output: text (terminal), markdown (pull-request comment) or json (default: ${DEFAULT-VALUE}).")
    ReportFormat format;

    @Option(
            names = "--replay",
            paramLabel = "LOG|URL",
            split = ",",
            description = {
                "Re-decide logged requests on the head: an evaluation log file (evaluations.db, read-only,",
                "also while a server writes it) or a server URL (http://host:port; token from --token or GAVEL_TOKEN).",
                "Repeat it (or separate with commas) for a fleet: every replica's log is replayed, --since and --limit",
                "apply to each, an evaluation met twice counts once."
            })
    List<String> replay;

    @Option(
            names = "--since",
            defaultValue = "7d",
            paramLabel = "AGE",
            description =
                    "With --replay: evaluations logged within this age, e.g. 7d, 12h, 90m, P7D (default: ${DEFAULT-VALUE}).")
    String since;

    @Option(
            names = "--limit",
            defaultValue = "1000000",
            paramLabel = "N",
            description = "With --replay: at most the N newest evaluations (default: ${DEFAULT-VALUE}).")
    long limit;

    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            description = "With --replay URL: a reader token (default: the GAVEL_TOKEN environment variable).")
    String token;

    @Option(
            names = "--fail-on-flip",
            description = "With --replay: a decision that would flip fails the check (exit 1).")
    boolean failOnFlip;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Optional<Validation.ReplayPlan> plan = Optional.empty();
        if (replay != null && !replay.isEmpty()) {
            if (limit < 1) {
                throw new UserError("--limit must be at least 1", 2);
            }
            Duration age = Ages.parse("--since", since);
            ReplayWindow window =
                    new ReplayWindow(Optional.of(Instant.now().minus(age).truncatedTo(ChronoUnit.SECONDS)), limit);
            plan = Optional.of(new Validation.ReplayPlan(
                    sources(replay), window, Runtime.getRuntime().availableProcessors(), progressLine(), failOnFlip));
        } else if (failOnFlip) {
            throw new UserError("--fail-on-flip needs --replay", 2);
        }
        try {
            return run(spec, repo, head, Optional.ofNullable(base), format, Validation.Steps.ALL, plan);
        } finally {
            plan.ifPresent(p -> p.source().close());
        }
    }

    private ReplaySource<?> sources(List<String> where) {
        if (new java.util.HashSet<>(where).size() < where.size()) {
            throw new UserError("--replay: a source is given twice", 2);
        }
        if (where.size() == 1) {
            return source(where.get(0));
        }
        List<ReplaySource<?>> all = new java.util.ArrayList<>();
        try {
            for (String w : where) {
                all.add(source(w));
            }
        } catch (UserError e) {
            all.forEach(ReplaySource::close);
            throw e;
        }
        return new MergedSource(all);
    }

    private ReplaySource<?> source(String where) {
        try {
            if (ServerSource.isUrl(where)) {
                return new ServerSource(
                        where, Optional.ofNullable(token).or(() -> Optional.ofNullable(System.getenv("GAVEL_TOKEN"))));
            }
            return new LogFileSource(Path.of(where));
        } catch (ReplaySource.SourceException | java.nio.file.InvalidPathException e) {
            throw new UserError("--replay: " + e.getMessage(), 2);
        }
    }

    /** When stderr is a terminal, a progress line there, rewritten in place; nothing in CI logs or pipes. */
    private Replayer.Progress progressLine() {
        if (!stderrIsTerminal()) {
            return Replayer.Progress.NONE;
        }
        java.io.PrintWriter err = spec.commandLine().getErr();
        return (done, millis) -> {
            err.print(String.format(
                    Locale.ROOT,
                    "\rreplayed %,d evaluations in %.1f s (%,d/s)   ",
                    done,
                    millis / 1000.0,
                    millis == 0 ? 0 : done * 1000 / millis));
            err.flush();
        };
    }

    /**
     * Whether stderr is a terminal, also when stdout goes to a file ({@code > report.md}), which
     * {@code System.console()} cannot tell on Java 17: on Linux, fd 2 links to a tty device.
     */
    static boolean stderrIsTerminal() {
        try {
            String target = java.nio.file.Files.readSymbolicLink(Path.of("/proc/self/fd/2"))
                    .toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    /** Shared by {@code validate} and {@code test}. */
    static int run(
            CommandLine.Model.CommandSpec spec,
            Path repo,
            String head,
            Optional<String> base,
            ReportFormat format,
            Validation.Steps steps) {
        return run(spec, repo, head, base, format, steps, Optional.empty());
    }

    private static int run(
            CommandLine.Model.CommandSpec spec,
            Path repo,
            String head,
            Optional<String> base,
            ReportFormat format,
            Validation.Steps steps,
            Optional<Validation.ReplayPlan> replay) {
        ValidationReport report;
        try (RepositorySource source = new RepositorySource(repo)) {
            RevisionFiles headFiles = source.read(head);
            Optional<RevisionFiles> baseFiles = base.map(source::read);
            report = Validation.run(headFiles, baseFiles, steps, Optional.empty(), replay);
        } catch (RepositorySource.SourceException e) {
            throw new UserError(e.getMessage(), 2);
        } catch (ReplaySource.SourceException e) {
            throw new UserError("--replay: " + e.getMessage(), 2);
        }
        if (replay.isPresent() && stderrIsTerminal()) {
            spec.commandLine().getErr().println();
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
