package dev.gavel.store.git;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Every file under {@code policies/} and {@code tests/}, and {@code gavel.yaml}, at one commit, by repo-relative
 * path (sorted). The byte arrays are not copied: do not modify them.
 */
public record RepoFiles(String commitId, SortedMap<String, byte[]> files) {
  public RepoFiles {
    files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
  }
}
