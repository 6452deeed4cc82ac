package dev.gavel.api.wire;

import dev.gavel.store.git.FileStamp;
import java.time.Instant;
import java.util.Optional;

/** When and by whom a file was created and last changed (from history; absent on reads at a past commit). */
public record Stamps(Instant createdAt, Author createdBy, Instant updatedAt, Author updatedBy) {
    public static final Stamps NONE = new Stamps(null, null, null, null);

    public static Stamps of(Optional<FileStamp> s) {
        return s.map(f -> new Stamps(f.createdAt(), Author.of(f.createdBy()), f.updatedAt(), Author.of(f.updatedBy())))
                .orElse(NONE);
    }
}
