package dev.gavel.store.git;

/** How a commit changed a file, compared with its first parent. */
public enum ChangeKind {
    ADDED,
    MODIFIED,
    DELETED
}
