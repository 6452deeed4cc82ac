package dev.gavel.store.log;

/** Where decided evaluations go: the seam the evaluate routes write through. */
public interface EvaluationSink {
    /**
     * Records one evaluation before it is answered.
     *
     * @throws LogUnavailableException when it cannot be recorded: the caller must not answer it as logged
     */
    void append(EvaluationRecord record);
}
