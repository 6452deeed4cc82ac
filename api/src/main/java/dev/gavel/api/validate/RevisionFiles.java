package dev.gavel.api.validate;

import dev.gavel.engine.parse.Diagnostic;
import dev.gavel.engine.parse.Severity;
import dev.gavel.store.git.RepoFiles;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One side of a comparison: the files of a commit or of a working tree.
 *
 * @param label what the user named: a ref ({@code main}, {@code origin/main}) or {@code worktree}
 * @param commit the commit id; empty for a working tree
 * @param problems files that could not be read (a working tree's bad paths)
 */
public record RevisionFiles(
        String label, Optional<String> commit, Map<String, byte[]> files, List<Diagnostic> problems) {
    public RevisionFiles {
        files = java.util.Collections.unmodifiableMap(new TreeMap<>(files));
        problems = List.copyOf(problems);
    }

    public static RevisionFiles ofCommit(String label, String commit, Map<String, byte[]> files) {
        return new RevisionFiles(label, Optional.of(commit), files, List.of());
    }

    /** A commit's files; entries the store did not read (too large, links) are problems of that side. */
    public static RevisionFiles ofCommit(String label, RepoFiles files) {
        List<Diagnostic> problems = files.unreadable().entrySet().stream()
                .map(e -> new Diagnostic(e.getKey(), 1, 1, Severity.ERROR, "", e.getValue()))
                .toList();
        return new RevisionFiles(label, Optional.of(files.commitId()), files.files(), problems);
    }

    /** The id snapshots of this side are compiled under. */
    String compileId() {
        return commit.orElse("worktree");
    }
}
