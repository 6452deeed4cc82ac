package dev.gavel.api.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gavel.store.git.ChangeKind;
import dev.gavel.store.git.CommitInfo;
import dev.gavel.store.git.FileChange;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** History bodies: versions of a scope or policy, commits, one commit's diff. */
public final class History {
    private History() {}

    /** Versions of a scope (or of one policy file), newest first. */
    public record VersionList(
            @Doc(pattern = Patterns.SCOPE) String scope,

            @JsonInclude(JsonInclude.Include.NON_NULL) @Doc(pattern = Patterns.NAME)
            String name,

            @JsonInclude(JsonInclude.Include.NON_NULL) String file,
            @Doc(pattern = Patterns.COMMIT) Optional<String> head,
            List<Version> data) {}

    /** One version: the commit that made it and the files it changed. */
    public record Version(
            int version,
            @Doc(pattern = Patterns.COMMIT) String commit,
            Author author,
            Instant time,
            String message,
            List<Change> changes) {}

    /** A changed file. */
    public record Change(
            String path, @Doc(oneOf = ChangeKind.class) String kind) {
        public static List<Change> of(List<FileChange> changes, Predicate<String> visible) {
            return changes.stream()
                    .filter(f -> visible.test(f.path()))
                    .map(f -> new Change(f.path(), RecordSchemas.spelling(f.kind())))
                    .toList();
        }
    }

    /** A commit of the served branch. */
    public record Commit(
            @Doc(pattern = Patterns.COMMIT) String commit,
            List<String> parents,
            Author author,
            Instant time,
            String subject,
            String message,
            List<Change> changes) {
        public static Commit of(CommitInfo c, Predicate<String> visible) {
            return new Commit(
                    c.id(),
                    c.parents(),
                    Author.of(c.author()),
                    c.time(),
                    c.subject(),
                    c.message(),
                    Change.of(c.changes(), visible));
        }
    }

    /** A page of commits, newest first. */
    public record CommitList(List<Commit> data, CommitPage meta) {
        /** Is there more, the cursor of the next page, how many commits in all (null for a tenant-limited token). */
        public record CommitPage(boolean hasMore, Optional<String> nextCursor, Optional<Integer> total) {}
    }

    /** One commit with the diff of each file the caller may see. */
    public record CommitDetails(
            @Doc(pattern = Patterns.COMMIT) String commit,
            List<String> parents,
            Author author,
            Instant time,
            String subject,
            String message,
            List<Change> changes,
            List<FileDiff> files) {}

    /** A file's contents before and after, and the unified diff. */
    public record FileDiff(
            String path,
            @Doc(oneOf = ChangeKind.class) String kind,
            Optional<String> before,
            Optional<String> after,
            String diff) {}
}
