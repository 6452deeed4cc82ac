package dev.gavel.store.git;

import java.util.Optional;

/**
 * One file of a commit's diff against its first parent.
 *
 * @param oldContent the content before (empty when added)
 * @param newContent the content after (empty when deleted)
 * @param unifiedDiff the diff in Git's unified format, header included
 */
public record FileDiff(
        String path, ChangeKind kind, Optional<byte[]> oldContent, Optional<byte[]> newContent, String unifiedDiff) {}
