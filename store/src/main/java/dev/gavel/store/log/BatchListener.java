package dev.gavel.store.log;

/** Told after each committed batch: for a write-latency metric without tying the store to a metrics library. */
@FunctionalInterface
public interface BatchListener {
    BatchListener NONE = (rows, nanos) -> {};

    void committed(int rows, long nanos);
}
