package dev.gavel.store.git;

import java.time.Instant;

/**
 * When and by whom a file that exists at head was created (its last addition: a delete and re-create starts over)
 * and last changed, on the first-parent line.
 */
public record FileStamp(
        String path,
        Instant createdAt,
        Author createdBy,
        String createdIn,
        Instant updatedAt,
        Author updatedBy,
        String updatedIn) {}
