package dev.gavel.store.log;

import java.util.Arrays;
import java.util.Optional;

/** When {@link EvaluationLog#append} returns. */
public enum Durability {
    /**
     * Once queued: the row is committed with the next batch. A crash of the process loses at most the rows
     * queued and not yet committed (under the rated load: those appended within about one batch interval).
     */
    BATCH("batch"),
    /** Once committed ({@code synchronous=FULL}): concurrent appends still share one transaction. */
    SYNC("sync");

    private final String value;

    Durability(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static Optional<Durability> fromValue(String v) {
        return Arrays.stream(values()).filter(d -> d.value.equals(v)).findFirst();
    }
}
