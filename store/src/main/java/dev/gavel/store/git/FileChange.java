package dev.gavel.store.git;

/** One file a commit changed (repo-relative path, {@code /}-separated). */
public record FileChange(String path, ChangeKind kind) {}
