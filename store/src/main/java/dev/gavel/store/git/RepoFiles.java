package dev.gavel.store.git;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Every file under {@code policies/} and {@code tests/}, and {@code gavel.yaml}, at one commit, by repo-relative
 * path (sorted). The byte arrays are not copied: do not modify them.
 *
 * @param unreadable entries under those paths that were not read, with why: symbolic links, submodules and
 *     files over {@link GitPolicyRepository#MAX_FILE_BYTES} (checked before loading them)
 */
public record RepoFiles(String commitId, SortedMap<String, byte[]> files, SortedMap<String, String> unreadable) {
    public RepoFiles {
        files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
        unreadable = Collections.unmodifiableSortedMap(new TreeMap<>(unreadable));
    }

    public RepoFiles(String commitId, SortedMap<String, byte[]> files) {
        this(commitId, files, new TreeMap<>());
    }
}
