package dev.gavel.api.server.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.engine.model.ScopePath;

/**
 * Adds what the log knows to a policy's JSON: {@code usage} (evaluations, denies, warns over 24 h and 7 days)
 * and {@code circuitBreaker} (state, openedAt, reason). {@link #begin()} once per response: it reads the
 * usage of every policy in one query.
 */
@FunctionalInterface
public interface PolicyAnnotations {
  PolicyAnnotations NONE = () -> (node, definedAt, name) -> {};

  Annotator begin();

  @FunctionalInterface
  interface Annotator {
    void annotate(ObjectNode policyJson, ScopePath definedAt, String name);
  }
}
