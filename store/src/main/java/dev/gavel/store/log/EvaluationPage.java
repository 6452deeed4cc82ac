package dev.gavel.store.log;

import java.util.List;
import java.util.Optional;

/** A page of evaluations, newest first; {@code nextCursor} continues after the last one. */
public record EvaluationPage(List<EvaluationRecord> evaluations, Optional<String> nextCursor) {
    public EvaluationPage {
        evaluations = List.copyOf(evaluations);
    }
}
