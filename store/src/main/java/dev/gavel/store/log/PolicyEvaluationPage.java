package dev.gavel.store.log;

import java.util.List;

/**
 * Evaluations in which one policy definition matched, newest first.
 *
 * @param total how many there are in all
 */
public record PolicyEvaluationPage(List<Item> items, long total, int page, int pageSize) {
    public PolicyEvaluationPage {
        items = List.copyOf(items);
    }

    /** An evaluation and the policy's first matching rule in it (null in {@code appliedEvaluations}: it passed). */
    public record Item(EvaluationRecord evaluation, LoggedMatch match) {}
}
