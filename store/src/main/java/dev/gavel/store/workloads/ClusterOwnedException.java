package dev.gavel.store.workloads;

/** The cluster belongs to another tenant: nothing was written. */
public final class ClusterOwnedException extends RuntimeException {
    public ClusterOwnedException(String cluster) {
        super("cluster '" + cluster + "' belongs to another tenant");
    }
}
