package dev.gavel.engine.model;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * metadata of a policy file. Only {@code name} is required.
 *
 * @param reviewEvery review cadence; with {@code lastReviewed} it gives {@link #nextReview()}
 * @param tags free-form tags (distinct, in the order written)
 * @param nextReviewAt a review due date set by hand; when present it wins over lastReviewed + reviewEvery
 * @param source provenance tag of the writer (e.g. the product that wrote the file)
 * @param sourceType where the write originated: frontend, backend, server, system or api
 * @param deleted soft deletion: a deleted policy is kept (readable, its name taken) but not evaluated
 */
public record Metadata(
        String name,
        Optional<String> displayName,
        Optional<String> description,
        Optional<String> owner,
        Optional<Category> category,
        Map<String, String> labels,
        Optional<Period> reviewEvery,
        Optional<LocalDate> lastReviewed,
        List<String> tags,
        Optional<Instant> nextReviewAt,
        Optional<String> source,
        Optional<String> sourceType,
        Optional<Deletion> deleted) {

    public static final int DISPLAY_NAME_MAX = 63;

    public Metadata {
        Names.requireValid("policy name", name);
        displayName = orEmpty(displayName);
        if (displayName.isPresent()
                && displayName.get().codePointCount(0, displayName.get().length()) > DISPLAY_NAME_MAX) {
            throw new IllegalArgumentException("displayName is longer than " + DISPLAY_NAME_MAX + " characters");
        }
        description = orEmpty(description);
        owner = orEmpty(owner);
        category = orEmpty(category);
        // sorted so that equal label sets compare and print the same
        labels = labels == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(labels));
        reviewEvery = orEmpty(reviewEvery);
        lastReviewed = orEmpty(lastReviewed);
        tags = tags == null ? List.of() : List.copyOf(new java.util.LinkedHashSet<>(tags));
        nextReviewAt = orEmpty(nextReviewAt);
        source = orEmpty(source);
        sourceType = orEmpty(sourceType);
        deleted = orEmpty(deleted);
    }

    /** Metadata without tags, explicit review date, source or deletion. */
    public Metadata(
            String name,
            Optional<String> displayName,
            Optional<String> description,
            Optional<String> owner,
            Optional<Category> category,
            Map<String, String> labels,
            Optional<Period> reviewEvery,
            Optional<LocalDate> lastReviewed) {
        this(
                name,
                displayName,
                description,
                owner,
                category,
                labels,
                reviewEvery,
                lastReviewed,
                List.of(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    }

    /** When a policy was soft-deleted and by whom (a principal's name). */
    public record Deletion(Instant at, String by) {
        public Deletion {
            java.util.Objects.requireNonNull(at, "at");
            java.util.Objects.requireNonNull(by, "by");
        }
    }

    /** The spellings of {@code sourceType}. */
    public static final List<String> SOURCE_TYPES = List.of("frontend", "backend", "server", "system", "api");

    public boolean isDeleted() {
        return deleted.isPresent();
    }

    /** Metadata with just a name. */
    public static Metadata named(String name) {
        return new Metadata(
                name,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Map.of(),
                Optional.empty(),
                Optional.empty());
    }

    /** The review due date: {@code nextReviewAt} when set, else lastReviewed + reviewEvery when both are given. */
    public Optional<LocalDate> nextReview() {
        if (nextReviewAt.isPresent()) {
            return nextReviewAt.map(t -> t.atOffset(ZoneOffset.UTC).toLocalDate());
        }
        return lastReviewed.flatMap(d -> reviewEvery.map(d::plus));
    }

    /** {@link #nextReview()} as an instant: {@code nextReviewAt}, or the derived date at 00:00 UTC. */
    public Optional<Instant> nextReviewInstant() {
        return nextReviewAt.or(() -> nextReview().map(d -> d.atStartOfDay().toInstant(ZoneOffset.UTC)));
    }

    /** True when a review was due before {@code today}. */
    public boolean isReviewOverdue(LocalDate today) {
        return nextReview().map(today::isAfter).orElse(false);
    }

    /** A review done on {@code date}: it is the last review, and a due date set by hand is met (cleared). */
    public Metadata withLastReviewed(LocalDate date) {
        return new Metadata(
                name,
                displayName,
                description,
                owner,
                category,
                labels,
                reviewEvery,
                Optional.of(date),
                tags,
                Optional.empty(),
                source,
                sourceType,
                deleted);
    }

    @SuppressWarnings("OptionalUsedAsFieldOrParameterType")
    private static <T> Optional<T> orEmpty(Optional<T> o) {
        return o == null ? Optional.empty() : o;
    }
}
