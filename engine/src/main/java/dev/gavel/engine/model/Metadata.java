package dev.gavel.engine.model;

import java.time.LocalDate;
import java.time.Period;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * metadata of a policy file. Only {@code name} is required.
 *
 * @param reviewEvery review cadence; with {@code lastReviewed} it gives {@link #nextReview()}
 */
public record Metadata(
        String name,
        Optional<String> displayName,
        Optional<String> description,
        Optional<String> owner,
        Optional<Category> category,
        Map<String, String> labels,
        Optional<Period> reviewEvery,
        Optional<LocalDate> lastReviewed) {

    public static final int DISPLAY_NAME_MAX = 63;

    public Metadata {
        Names.requireValid("policy name", name);
        displayName = orEmpty(displayName);
        if (displayName.isPresent() && displayName.get().codePointCount(0, displayName.get().length()) > DISPLAY_NAME_MAX) {
            throw new IllegalArgumentException("displayName is longer than " + DISPLAY_NAME_MAX + " characters");
        }
        description = orEmpty(description);
        owner = orEmpty(owner);
        category = orEmpty(category);
        // sorted so that equal label sets compare and print the same
        labels = labels == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(labels));
        reviewEvery = orEmpty(reviewEvery);
        lastReviewed = orEmpty(lastReviewed);
    }

    /** Metadata with just a name. */
    public static Metadata named(String name) {
        return new Metadata(name, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Map.of(),
                Optional.empty(), Optional.empty());
    }

    /** lastReviewed + reviewEvery, when both are given. */
    public Optional<LocalDate> nextReview() {
        return lastReviewed.flatMap(d -> reviewEvery.map(d::plus));
    }

    /** True when a review was due before {@code today}. */
    public boolean isReviewOverdue(LocalDate today) {
        return nextReview().map(today::isAfter).orElse(false);
    }

    public Metadata withLastReviewed(LocalDate date) {
        return new Metadata(name, displayName, description, owner, category, labels, reviewEvery, Optional.of(date));
    }

    @SuppressWarnings("OptionalUsedAsFieldOrParameterType")
    private static <T> Optional<T> orEmpty(Optional<T> o) {
        return o == null ? Optional.empty() : o;
    }
}
