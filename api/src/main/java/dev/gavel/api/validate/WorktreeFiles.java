package dev.gavel.api.validate;

import dev.gavel.engine.model.Names;
import dev.gavel.engine.model.PolicyPath;
import dev.gavel.engine.model.RepositorySettings;
import dev.gavel.engine.parse.Diagnostic;
import dev.gavel.engine.parse.Severity;
import dev.gavel.store.git.RepoPaths;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The policy files of a working tree, read from disk the way a commit would hold them:
 * {@code gavel.yaml}, {@code policies/**} and {@code tests/**}{@code .yaml}, nothing else. Paths are
 * checked before a byte is read: a directory under {@code policies/} that is not a valid scope name
 * is reported and not entered, symbolic links are reported and not followed, and a file whose path is
 * not {@code <name>.yaml} is reported without being read. Dot-files (editor swap files, {@code
 * .DS_Store}) are skipped.
 */
public final class WorktreeFiles {
    /** Largest file read; policy files are a few KiB. */
    public static final long MAX_FILE = 1 << 20;

    private WorktreeFiles() {}

    /** The files read and what kept others from being read. */
    public record Loaded(Map<String, byte[]> files, List<Diagnostic> problems) {
        public Loaded {
            files = java.util.Collections.unmodifiableMap(new TreeMap<>(files));
            problems = List.copyOf(problems);
        }
    }

    public static Loaded read(Path root) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        List<Diagnostic> problems = new ArrayList<>();
        Path settings = root.resolve(RepositorySettings.FILE);
        if (Files.exists(settings, LinkOption.NOFOLLOW_LINKS)) {
            readFile(settings, RepositorySettings.FILE, files, problems);
        }
        walk(root, RepoPaths.POLICIES, true, files, problems);
        walk(root, RepoPaths.TESTS, false, files, problems);
        return new Loaded(files, problems);
    }

    private static void walk(
            Path root, String top, boolean policies, Map<String, byte[]> files, List<Diagnostic> problems)
            throws IOException {
        Path start = root.resolve(top);
        if (!Files.exists(start, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(start, LinkOption.NOFOLLOW_LINKS)) {
            problems.add(error(top, top + " is not a directory (symbolic links are not followed)"));
            return;
        }
        Files.walkFileTree(start, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (dir.equals(start)) {
                    return FileVisitResult.CONTINUE;
                }
                String name = dir.getFileName().toString();
                if (name.startsWith(".")) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                if (policies && !Names.isValid(name)) {
                    problems.add(error(
                            relative(root, dir),
                            "directory '" + Names.printable(name) + "' is not a valid scope name: " + Names.RULE_TEXT
                                    + "; its files were not read"));
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                String name = file.getFileName().toString();
                if (name.startsWith(".")) {
                    return FileVisitResult.CONTINUE;
                }
                String rel = relative(root, file);
                if (!policies && !name.endsWith(".yaml")) {
                    return FileVisitResult.CONTINUE; // tests/README.md and the like: not tests
                }
                if (RepoPaths.safePathProblem(rel).isPresent()) {
                    problems.add(error(
                            Names.printable(rel), RepoPaths.safePathProblem(rel).get()));
                    return FileVisitResult.CONTINUE;
                }
                if (policies) {
                    try {
                        PolicyPath.parse(rel);
                    } catch (IllegalArgumentException e) {
                        problems.add(error(rel, e.getMessage()));
                        return FileVisitResult.CONTINUE;
                    }
                }
                if (attrs.isSymbolicLink() || !attrs.isRegularFile()) {
                    problems.add(error(rel, "not a regular file (symbolic links are not followed)"));
                    return FileVisitResult.CONTINUE;
                }
                readFile(file, rel, files, problems);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                problems.add(error(relative(root, file), "cannot be read: " + e.getMessage()));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void readFile(Path file, String rel, Map<String, byte[]> files, List<Diagnostic> problems) {
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                problems.add(error(rel, "not a regular file (symbolic links are not followed)"));
                return;
            }
            if (Files.size(file) > MAX_FILE) {
                problems.add(error(rel, "larger than " + MAX_FILE + " bytes"));
                return;
            }
            files.put(rel, Files.readAllBytes(file));
        } catch (IOException e) {
            problems.add(error(rel, "cannot be read: " + e.getMessage()));
        }
    }

    private static String relative(Path root, Path p) {
        return root.relativize(p).toString().replace('\\', '/');
    }

    private static Diagnostic error(String file, String message) {
        return new Diagnostic(file, 1, 1, Severity.ERROR, "", message);
    }
}
