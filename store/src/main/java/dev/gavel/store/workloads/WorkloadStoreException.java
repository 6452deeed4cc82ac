package dev.gavel.store.workloads;

/** The workload database failed (I/O, corruption); the caller answers 500 or 503. */
public final class WorkloadStoreException extends RuntimeException {
    public WorkloadStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
