package dev.gavel.api.server.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.api.server.Json;
import dev.gavel.engine.eval.Match;
import dev.gavel.engine.eval.MissingField;
import dev.gavel.store.log.EvaluationRecord;
import dev.gavel.store.log.LoggedMatch;
import java.util.List;

/** The JSON shapes of evaluations: the evaluate answer and the log's rows. */
public final class EvaluationJson {
  private EvaluationJson() {}

  /** {@code {id, decision, commit, scope, results:[{policy, definedAt, enforcement, rule, effect, message}], durationMicros}}. */
  public static ObjectNode answer(String id, Evaluator.Decided d) {
    ObjectNode n = Json.object();
    n.put("id", id);
    n.put("decision", d.evaluation().decision().value());
    n.put("commit", d.evaluation().commit());
    n.put("scope", d.scope().dotted());
    ArrayNode results = n.putArray("results");
    for (Match m : d.evaluation().matches()) {
      ObjectNode r = results.addObject();
      r.put("policy", m.policy());
      r.put("definedAt", m.definedAt().dotted());
      r.put("enforcement", m.enforcement().value());
      r.put("rule", m.rule());
      r.put("effect", m.effect().value());
      r.put("message", m.message());
      if (m.breakerOpen()) {
        r.put("circuitBreakerOpen", true);
      }
    }
    if (!d.evaluation().missing().isEmpty()) {
      // Policies that could not evaluate the request and could not refuse it (audit, or breaker open).
      ArrayNode skipped = n.putArray("notEvaluated");
      for (MissingField m : d.evaluation().missing()) {
        ObjectNode x = skipped.addObject();
        x.put("policy", m.policy());
        x.put("definedAt", m.definedAt().dotted());
        x.put("enforcement", m.enforcement().value());
        x.put("field", m.field());
        x.put("message", m.message());
        if (m.breakerOpen()) {
          x.put("circuitBreakerOpen", true);
        }
      }
    }
    n.put("durationMicros", d.durationMicros());
    return n;
  }

  /** A logged evaluation: the answer's fields plus time, tenant, resource type, action and the request. */
  public static ObjectNode logged(EvaluationRecord r) {
    ObjectNode n = Json.object();
    n.put("id", r.id());
    n.put("timestamp", r.time().toString());
    n.put("decision", r.decision());
    n.put("commit", r.commit());
    n.put("scope", r.scope());
    n.put("tenant", r.tenant());
    n.put("resourceType", r.resourceType());
    n.put("action", r.action());
    n.set("results", results(r.matches()));
    n.put("durationMicros", r.durationMicros());
    n.set("request", request(r.requestJson()));
    return n;
  }

  static ArrayNode results(List<LoggedMatch> matches) {
    ArrayNode results = Json.MAPPER.createArrayNode();
    for (LoggedMatch m : matches) {
      ObjectNode x = results.addObject();
      x.put("policy", m.policy());
      x.put("definedAt", m.definedAt());
      x.put("enforcement", m.enforcement());
      x.put("rule", m.rule());
      x.put("effect", m.effect());
      x.put("message", m.message());
    }
    return results;
  }

  static JsonNode request(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      return Json.MAPPER.getNodeFactory().textNode(json); // logged by an older version; shown as text
    }
  }
}
