package dev.gavel.store.git;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The repository layout's path rules. The store cannot use the engine's name type (modules stay independent), so
 * it keeps this small copy of the name rule; it is applied before anything is written.
 */
public final class RepoPaths {
    /** A scope segment or policy name. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,47}[a-z0-9])?");

    public static final String POLICIES = "policies";
    public static final String TESTS = "tests";
    public static final String SETTINGS_FILE = "gavel.yaml";
    private static final String YAML = ".yaml";
    private static final String TEST_YAML = ".test.yaml";
    private static final int MAX_PATH = 1024;

    private RepoPaths() {}

    /**
     * Why {@code path} may not be written by a change set, or empty when it may: it must be
     * {@code policies/<seg>/.../<name>.yaml}, {@code tests/<name>.yaml} (or {@code tests/<name>.test.yaml}), or
     * {@code gavel.yaml}.
     */
    public static Optional<String> policyPathProblem(String path) {
        Optional<String> unsafe = safePathProblem(path);
        if (unsafe.isPresent()) {
            return unsafe;
        }
        if (path.equals(SETTINGS_FILE)) {
            return Optional.empty();
        }
        String[] segs = path.split("/", -1);
        String file = segs[segs.length - 1];
        if (segs[0].equals(TESTS) && segs.length == 2) {
            String base =
                    file.endsWith(TEST_YAML) ? strip(file, TEST_YAML) : file.endsWith(YAML) ? strip(file, YAML) : null;
            return base != null && NAME.matcher(base).matches()
                    ? Optional.empty()
                    : Optional.of(quote(path) + ": a test file must be tests/<name>.yaml with a lower-case name");
        }
        if (segs[0].equals(POLICIES) && segs.length >= 2) {
            for (int i = 1; i < segs.length - 1; i++) {
                if (!NAME.matcher(segs[i]).matches()) {
                    return Optional.of(
                            quote(path) + ": scope segment '" + segs[i] + "' does not match " + NAME.pattern());
                }
            }
            if (!file.endsWith(YAML) || !NAME.matcher(strip(file, YAML)).matches()) {
                return Optional.of(
                        quote(path) + ": a policy file must be <name>.yaml with <name> matching " + NAME.pattern());
            }
            return Optional.empty();
        }
        return Optional.of(
                quote(path) + ": only policies/**/<name>.yaml, tests/<name>.yaml and gavel.yaml may be written");
    }

    /**
     * Why {@code path} is not a plain relative path inside the repository, or empty: no absolute path, backslash,
     * empty, {@code .} or {@code ..} segment, no {@code .git} segment, no control character.
     */
    public static Optional<String> safePathProblem(String path) {
        if (path == null || path.isEmpty()) {
            return Optional.of("empty path");
        }
        if (path.length() > MAX_PATH) {
            return Optional.of("path longer than " + MAX_PATH + " characters");
        }
        if (path.startsWith("/")) {
            return Optional.of(quote(path) + ": absolute paths are not allowed");
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\\') {
                return Optional.of(quote(path) + ": backslashes are not allowed");
            }
            if (c < 0x20 || c == 0x7f) {
                return Optional.of(quote(path) + ": control characters are not allowed");
            }
        }
        for (String seg : path.split("/", -1)) {
            if (seg.isEmpty()) {
                return Optional.of(quote(path) + ": empty path segment");
            }
            if (seg.equals(".") || seg.equals("..")) {
                return Optional.of(quote(path) + ": '.' and '..' segments are not allowed");
            }
            if (seg.equalsIgnoreCase(".git")) {
                return Optional.of(quote(path) + ": .git may not appear in a path");
            }
        }
        return Optional.empty();
    }

    /** Why {@code scope} (dotted, {@code ""} = global) is not a scope, or empty. */
    public static Optional<String> scopeProblem(String scope) {
        if (scope == null) {
            return Optional.of("missing scope");
        }
        if (scope.isEmpty()) {
            return Optional.empty();
        }
        for (String seg : scope.split("\\.", -1)) {
            if (!NAME.matcher(seg).matches()) {
                return Optional.of(
                        "scope " + quote(scope) + ": segment '" + seg + "' does not match " + NAME.pattern());
            }
        }
        return Optional.empty();
    }

    /** The directory holding a scope's files: {@code ""} -> {@code policies}, {@code acme.chat} -> {@code policies/acme/chat}. */
    public static String scopeDirectory(String scope) {
        scopeProblem(scope).ifPresent(p -> {
            throw new InvalidRepoPathException(List.of(p));
        });
        return scope.isEmpty() ? POLICIES : POLICIES + "/" + scope.replace('.', '/');
    }

    /** The directory a path is directly in ({@code ""} for a file at the root). */
    public static String parentDirectory(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    static void requirePolicyPaths(Collection<String> paths) {
        List<String> problems = new ArrayList<>();
        for (String p : paths) {
            policyPathProblem(p).ifPresent(problems::add);
        }
        if (!problems.isEmpty()) {
            throw new InvalidRepoPathException(problems);
        }
    }

    static void requireSafePaths(Collection<String> paths) {
        List<String> problems = new ArrayList<>();
        for (String p : paths) {
            safePathProblem(p).ifPresent(problems::add);
        }
        if (!problems.isEmpty()) {
            throw new InvalidRepoPathException(problems);
        }
    }

    private static String strip(String s, String suffix) {
        return s.substring(0, s.length() - suffix.length());
    }

    private static String quote(String s) {
        String shown = s.length() > 120 ? s.substring(0, 120) + "..." : s;
        return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
