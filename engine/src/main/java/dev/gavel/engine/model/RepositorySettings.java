package dev.gavel.engine.model;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code gavel.yaml}: the names of the scope levels (outermost first) and the served branch.
 * {@link #DEFAULTS} apply when the file is absent.
 */
public record RepositorySettings(List<String> levels, String branch) {
    public static final String API_VERSION = "gavel/v1";
    public static final String KIND = "Repository";
    public static final String FILE = "gavel.yaml";
    public static final int MAX_LEVELS = 8;
    public static final List<String> DEFAULT_LEVELS = List.of("tenant", "app", "agent", "env");
    public static final String DEFAULT_BRANCH = "main";
    // before DEFAULTS: the constructor of DEFAULTS uses it
    private static final Pattern BRANCH = Pattern.compile("[A-Za-z0-9._/-]+");
    public static final RepositorySettings DEFAULTS = new RepositorySettings(DEFAULT_LEVELS, DEFAULT_BRANCH);

    public RepositorySettings {
        levels = List.copyOf(levels);
        if (levels.isEmpty() || levels.size() > MAX_LEVELS) {
            throw new IllegalArgumentException("levels: between 1 and " + MAX_LEVELS + " names, got " + levels.size());
        }
        if (new HashSet<>(levels).size() != levels.size()) {
            throw new IllegalArgumentException("levels: names must be unique");
        }
        levels.forEach(l -> Names.requireValid("level", l));
        branchProblem(branch).ifPresent(p -> {
            throw new IllegalArgumentException("branch: " + p);
        });
    }

    /**
     * What is wrong with a branch name, if anything: characters {@code [A-Za-z0-9._/-]}, and none of
     * the forms git refuses ({@code ..}, leading or trailing {@code /}, {@code //}, {@code .lock} suffix,
     * a component starting with '.').
     */
    public static Optional<String> branchProblem(String branch) {
        if (branch == null || branch.isEmpty()) {
            return Optional.of("must not be empty");
        }
        if (!BRANCH.matcher(branch).matches()) {
            return Optional.of(
                    "'" + Names.printable(branch) + "' may only contain letters, digits, '.', '_', '/' and '-'");
        }
        if (branch.contains("..")
                || branch.startsWith("/")
                || branch.endsWith("/")
                || branch.contains("//")
                || branch.endsWith(".lock")
                || branch.endsWith(".")
                || branch.startsWith("-")
                || branch.startsWith(".")
                || branch.contains("/.")) {
            return Optional.of("'" + branch + "' is not a valid git branch name");
        }
        return Optional.empty();
    }

    /** The level name of a scope at {@code depth} (1 = outermost); empty for global or deeper than the levels. */
    public Optional<String> levelName(int depth) {
        return depth >= 1 && depth <= levels.size() ? Optional.of(levels.get(depth - 1)) : Optional.empty();
    }

    /** True when scopes of this depth may exist in the repository. */
    public boolean allowsDepth(int depth) {
        return depth >= 0 && depth <= levels.size();
    }
}
