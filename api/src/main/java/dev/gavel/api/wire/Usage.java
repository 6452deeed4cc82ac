package dev.gavel.api.wire;

/** A policy's use over the last 24 hours and 7 days, from the evaluation log. */
public record Usage(Counts last24h, Counts last7d) {
    /** Evaluations the policy matched in, and how many of those it denied or warned. */
    public record Counts(long evaluations, long denies, long warns) {}
}
