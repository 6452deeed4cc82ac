package dev.gavel.bench.git;

import dev.gavel.store.git.GitPolicyRepository;
import dev.gavel.store.git.RepoFiles;
import java.nio.file.Path;

/**
 * Reads every file at a branch's head, pass after pass, each pass through a freshly opened repository (so that no
 * pass reuses the last read's blobs), and prints each pass's milliseconds: the first pass is the cold one, as a
 * server's first read at start. For comparing a packed repository with one holding its objects loose.
 *
 * <p>{@code scripts/bench main dev.gavel.bench.git.FilesAtLoop --repo /tmp/gavel-bench/figures/10000/gavel/repo.git
 * --passes 4}
 */
public final class FilesAtLoop {
    private FilesAtLoop() {}

    public static void main(String[] args) throws Exception {
        Path repo = null;
        String branch = "main";
        int passes = 4;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--repo" -> repo = Path.of(args[++i]);
                case "--branch" -> branch = args[++i];
                case "--passes" -> passes = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (repo == null) {
            throw new IllegalArgumentException("--repo PATH is required");
        }
        for (int p = 1; p <= passes; p++) {
            try (GitPolicyRepository store = GitPolicyRepository.open(repo, branch, 0)) {
                long start = System.nanoTime();
                RepoFiles files = store.filesAt(branch);
                long ms = (System.nanoTime() - start) / 1_000_000;
                System.out.printf(
                        "pass %d: %d files read in %d ms%n", p, files.files().size(), ms);
            }
        }
    }
}
