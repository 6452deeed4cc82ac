package dev.gavel.store.git;

import java.util.Map;

/** A scope's direct files (repo-relative path to content) as of one of its versions. */
public record ScopeSnapshot(ScopeVersion version, Map<String, byte[]> files) {
  public ScopeSnapshot {
    files = Map.copyOf(files);
  }
}
