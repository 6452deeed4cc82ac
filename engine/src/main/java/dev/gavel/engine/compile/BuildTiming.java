package dev.gavel.engine.compile;

/**
 * When a compile builds the knowledge bases of the partitions it makes. {@link #NOW} for every compile that decides
 * whether a commit may be served or written; {@link #BACKGROUND} for a server's first compile, whose snapshot is served
 * at once while the bases are built by background threads, each on first use at the latest (CompiledPartition).
 */
public enum BuildTiming {
    NOW,
    BACKGROUND
}
