package dev.gavel.store.log;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One evaluation, as written to the log and read back.
 *
 * @param id public, time-ordered id ({@link EvaluationIds#next()})
 * @param scope dotted scope of the request ({@code ""} = global)
 * @param tenant the first scope segment, {@code ""} for the global scope
 * @param decision allow, warn or deny
 * @param requestJson the request as received (JSON text)
 * @param applicable the policies the request was evaluated against (for usage counts); not read back
 */
public record EvaluationRecord(
    String id,
    Instant time,
    String scope,
    String tenant,
    String resourceType,
    String action,
    String decision,
    String commit,
    long durationMicros,
    String requestJson,
    List<LoggedMatch> matches,
    List<PolicyKey> applicable) {

  public EvaluationRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(commit, "commit");
    Objects.requireNonNull(requestJson, "requestJson");
    matches = matches == null ? List.of() : List.copyOf(matches);
    applicable = applicable == null ? List.of() : List.copyOf(applicable);
  }
}
