package dev.gavel.api.validate;

import dev.gavel.engine.model.RepositorySettings;
import dev.gavel.store.git.GitPolicyRepository;
import dev.gavel.store.git.GitStoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where {@code gavel validate} reads versions from: the working tree of a directory, or commits of
 * the Git repository in it. The repository is opened only when a commit is asked for, so a plain
 * directory of policy files can be validated without Git.
 */
public final class RepositorySource implements AutoCloseable {
    /** The version name meaning "the files on disk". */
    public static final String WORKTREE = "worktree";

    private final Path dir;
    private GitPolicyRepository git;

    public RepositorySource(Path dir) {
        this.dir = dir;
    }

    /** A version the user could not name correctly: no such directory, not a repository, unknown ref. */
    public static final class SourceException extends RuntimeException {
        SourceException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The files of {@code ref}: {@link #WORKTREE} for the files on disk, else any Git revision
     * ({@code main}, {@code origin/main}, {@code HEAD~1}, a commit id).
     */
    public RevisionFiles read(String ref) {
        if (!Files.isDirectory(dir)) {
            throw new SourceException(dir + " is not a directory");
        }
        if (WORKTREE.equals(ref)) {
            try {
                WorktreeFiles.Loaded loaded = WorktreeFiles.read(dir);
                return new RevisionFiles(WORKTREE, java.util.Optional.empty(), loaded.files(), loaded.problems());
            } catch (IOException e) {
                throw new SourceException("cannot read " + dir + ": " + e.getMessage());
            }
        }
        GitPolicyRepository repo = repository();
        try {
            // The store reads a bare HEAD as its served branch; here HEAD means what is checked out.
            String id = repo.resolve("HEAD".equals(ref) ? "HEAD^{commit}" : ref);
            return RevisionFiles.ofCommit(ref, repo.filesAt(id));
        } catch (GitStoreException e) {
            throw new SourceException(e.getMessage());
        } catch (UncheckedIOException e) {
            throw new SourceException("cannot read " + ref + ": " + e.getMessage());
        }
    }

    private GitPolicyRepository repository() {
        if (git == null) {
            try {
                git = GitPolicyRepository.open(dir, RepositorySettings.DEFAULT_BRANCH, 0);
            } catch (IOException | RuntimeException e) {
                throw new SourceException(dir.toAbsolutePath().normalize() + " is not a Git repository ("
                        + e.getMessage() + "); use --head worktree without --base to check files that are not in Git");
            }
        }
        return git;
    }

    @Override
    public void close() {
        if (git != null) {
            git.close();
        }
    }
}
