package dev.gavel.store.log;

/**
 * How much a policy definition was used: evaluations that ran it (the request's scope and resource type
 * were within its reach), and those where it denied or warned (whatever its enforcement: an audit policy
 * that denies "would have denied").
 */
public record PolicyUsage(Counts last24h, Counts last7d) {
    public static final PolicyUsage NONE = new PolicyUsage(Counts.ZERO, Counts.ZERO);

    public record Counts(long evaluations, long denies, long warns) {
        public static final Counts ZERO = new Counts(0, 0, 0);
    }
}
