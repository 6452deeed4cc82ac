package dev.gavel.api.wire;

/** Liveness. */
public record Health(@Doc(example = "ok") String status) {}
