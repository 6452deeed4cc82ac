package dev.gavel.engine.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a policy lives: its scope and name, and the repository-relative file path
 * {@code policies/<segments>/<name>.yaml}. {@link #parse} checks every segment before anyone
 * touches a file system with it.
 */
public record PolicyPath(ScopePath scope, String name) {
    public static final String ROOT = "policies";
    public static final String EXTENSION = ".yaml";

    public PolicyPath {
        if (scope == null) {
            throw new IllegalArgumentException("scope must not be null");
        }
        Names.requireValid("policy name", name);
    }

    /** The repository-relative file path, e.g. {@code policies/acme/chat/token-limits.yaml}. */
    public String path() {
        return scope.directory() + "/" + name + EXTENSION;
    }

    /**
     * Derives scope and name from a repository-relative path such as
     * {@code policies/acme/chat/token-limits.yaml}.
     *
     * @throws IllegalArgumentException with a message saying what is wrong with the path
     */
    public static PolicyPath parse(String path) {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("policy path must not be empty");
        }
        String shown = Names.printable(path);
        if (path.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("policy path '" + shown + "' must use '/' as separator");
        }
        String[] parts = path.split("/", -1);
        if (!ROOT.equals(parts[0]) || parts.length < 2) {
            throw new IllegalArgumentException(
                    "policy path '" + shown + "' must be policies/<scope directories>/<name>.yaml");
        }
        String file = parts[parts.length - 1];
        String name = policyNameOf(file, shown);
        List<String> segments = new ArrayList<>();
        for (int i = 1; i < parts.length - 1; i++) {
            if (!Names.isValid(parts[i])) {
                throw new IllegalArgumentException("policy path '" + shown + "': directory '"
                        + Names.printable(parts[i]) + "' is not a valid scope name: " + Names.RULE_TEXT);
            }
            segments.add(parts[i]);
        }
        return new PolicyPath(new ScopePath(segments), name);
    }

    /** True when {@code path} is a policy file path {@link #parse} accepts. */
    public static boolean isPolicyPath(String path) {
        try {
            parse(path);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String policyNameOf(String file, String shown) {
        if (file.endsWith(".yml")) {
            throw new IllegalArgumentException(
                    "policy path '" + shown + "': policy files end in .yaml, not .yml (rename to "
                            + Names.printable(file.substring(0, file.length() - 4)) + EXTENSION + ")");
        }
        if (!file.endsWith(EXTENSION)) {
            throw new IllegalArgumentException("policy path '" + shown + "': policy files end in .yaml");
        }
        String name = file.substring(0, file.length() - EXTENSION.length());
        if (!Names.isValid(name)) {
            throw new IllegalArgumentException("policy path '" + shown + "': file name '" + Names.printable(name)
                    + "' is not a valid policy name: " + Names.RULE_TEXT);
        }
        return name;
    }
}
