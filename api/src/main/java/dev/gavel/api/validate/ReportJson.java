package dev.gavel.api.validate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.api.validate.replay.ReplayReport;
import dev.gavel.engine.eval.Match;
import dev.gavel.engine.eval.MissingField;
import dev.gavel.engine.impact.EnforcementChange;
import dev.gavel.engine.impact.FieldChange;
import dev.gavel.engine.impact.Impact;
import dev.gavel.engine.impact.PolicyChange;
import dev.gavel.engine.impact.ScopeImpact;
import dev.gavel.engine.impact.TestResult;
import dev.gavel.engine.model.ScopePath;
import dev.gavel.engine.parse.Diagnostic;
import dev.gavel.engine.resolve.PolicyDefinition;
import dev.gavel.engine.resolve.ResolvedPolicy;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The report as JSON, for bots and for {@code POST /api/v1/impact}. Scopes are dotted ({@code ""}
 * is the global scope). The shape is documented in docs/validate.md.
 */
public final class ReportJson {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final com.fasterxml.jackson.databind.ObjectWriter PRETTY =
      dev.gavel.api.wire.Mappers.JSON.writerWithDefaultPrettyPrinter();

  private ReportJson() {}

  public static String text(ValidationReport report) {
    try {
      return PRETTY.writeValueAsString(tree(report)) + System.lineSeparator();
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ObjectNode tree(ValidationReport r) {
    ObjectNode n = F.objectNode();
    n.put("ok", r.ok());
    n.put("summary", r.summary());
    n.set("head", side(r.head()));
    n.set("base", r.base().<JsonNode>map(ReportJson::side).orElse(F.nullNode()));
    n.put("valid", r.valid());
    n.put("compiled", r.compiled());
    n.put("policies", r.policies());
    ObjectNode counts = n.putObject("counts");
    counts.put("errors", r.errorCount());
    counts.put("warnings", r.warningCount());
    counts.put("testsPassed", r.passedTests());
    counts.put("testsFailed", r.failedTests());
    n.set("diagnostics", diagnostics(r.diagnostics()));
    ObjectNode tests = n.putObject("tests");
    tests.put("run", r.testsRun());
    tests.put("passed", r.passedTests());
    tests.put("failed", r.failedTests());
    ArrayNode results = tests.putArray("results");
    r.tests().forEach(t -> results.add(test(t)));
    n.set("impact", r.impact().<JsonNode>map(ReportJson::impact).orElse(F.nullNode()));
    n.set("replay", r.replay().<JsonNode>map(ReportJson::replay).orElse(F.nullNode()));
    return n;
  }

  private static ObjectNode replay(ValidationReport.ReplayOutcome o) {
    ObjectNode n = F.objectNode();
    n.put("run", o.report().isPresent());
    n.put("failOnFlip", o.failOnFlip());
    n.put("reason", o.notRun().orElse(null));
    o.report().ifPresent(r -> {
      n.put("source", r.source());
      n.put("since", r.since().map(Object::toString).orElse(null));
      n.put("limit", r.limit());
      n.put("replayed", r.replayed());
      n.put("unchanged", r.unchanged());
      n.put("flipped", r.flipped());
      n.put("unreadable", r.unreadable());
      n.put("millis", r.millis());
      ObjectNode transitions = n.putObject("transitions");
      r.transitions().forEach(transitions::put);
      ArrayNode policies = n.putArray("policies");
      for (ReplayReport.PolicyFlips p : r.policies()) {
        ObjectNode x = policies.addObject();
        if (p.policy().equals(ReplayReport.NO_SINGLE_POLICY)) {
          x.putNull("policy");
          x.putNull("definedAt");
        } else {
          x.put("policy", p.policy());
          x.put("definedAt", p.definedAt());
        }
        x.put("flipped", p.total());
        ObjectNode t = x.putObject("transitions");
        p.transitions().forEach(t::put);
        ArrayNode examples = x.putArray("examples");
        for (ReplayReport.FlipExample e : p.examples()) {
          ObjectNode ex = examples.addObject();
          ex.put("id", e.id());
          ex.put("time", e.time().toString());
          ex.put("scope", e.scope());
          ex.put("before", e.before());
          ex.put("after", e.after());
          ex.put("why", e.why());
        }
      }
    });
    return n;
  }

  private static ObjectNode side(ValidationReport.Side s) {
    ObjectNode n = F.objectNode();
    n.put("ref", s.label());
    if (s.commit().isPresent()) {
      n.put("commit", s.commit().get());
    } else {
      n.putNull("commit");
    }
    return n;
  }

  static ArrayNode diagnostics(List<Diagnostic> ds) {
    ArrayNode a = F.arrayNode();
    for (Diagnostic d : ds) {
      ObjectNode n = a.addObject();
      n.put("severity", d.severity().label());
      n.put("file", d.file());
      n.put("line", d.line());
      n.put("column", d.column());
      n.put("field", d.field());
      n.put("message", d.message());
      n.put("text", d.format());
    }
    return a;
  }

  private static ObjectNode test(TestResult t) {
    ObjectNode n = F.objectNode();
    n.put("suite", t.suite());
    n.put("name", t.test().name());
    n.put("file", t.test().location().file());
    n.put("line", t.test().location().line());
    n.put("scope", t.test().scope().dotted());
    n.put("passed", t.passed());
    ObjectNode expected = n.putObject("expected");
    expected.put("decision", t.test().decision().value());
    if (t.test().matched().isPresent()) {
      ArrayNode m = expected.putArray("matched");
      t.test().matched().get().stream().sorted().forEach(m::add);
    } else {
      expected.putNull("matched");
    }
    ObjectNode actual = n.putObject("actual");
    if (t.decision().isPresent()) {
      actual.put("decision", t.decision().get().value());
    } else {
      actual.putNull("decision");
    }
    ArrayNode matches = actual.putArray("matches");
    for (Match m : t.matches()) {
      ObjectNode x = matches.addObject();
      x.put("policy", m.policy());
      x.put("rule", m.rule());
      x.put("definedAt", m.definedAt().dotted());
      x.put("file", m.file());
      x.put("enforcement", m.enforcement().value());
      x.put("effect", m.effect().value());
      x.put("message", m.message());
    }
    ArrayNode missing = actual.putArray("missing");
    for (MissingField m : t.missing()) {
      ObjectNode x = missing.addObject();
      x.put("field", m.field());
      x.put("policy", m.policy());
      x.put("message", m.message());
    }
    ArrayNode failures = n.putArray("failures");
    t.failures().forEach(failures::add);
    return n;
  }

  private static ObjectNode impact(ValidationReport.ImpactOutcome i) {
    ObjectNode n = F.objectNode();
    n.put("computed", i.impact().isPresent());
    if (i.notComputed().isPresent()) {
      n.put("reason", i.notComputed().get());
    } else {
      n.putNull("reason");
    }
    n.set("lockViolations", diagnostics(i.lockViolations()));
    ArrayNode scopes = n.putArray("scopes");
    ArrayNode enforcement = n.putArray("enforcementChanges");
    ArrayNode compared = n.putArray("scopesCompared");
    if (i.impact().isPresent()) {
      Impact im = i.impact().get();
      im.scopesCompared().forEach(s -> compared.add(s.dotted()));
      for (ScopeImpact s : im.scopes()) {
        ObjectNode sn = scopes.addObject();
        sn.put("scope", s.scope().dotted());
        ArrayNode changes = sn.putArray("changes");
        for (PolicyChange c : s.changes()) {
          changes.add(change(c));
        }
      }
      for (EnforcementChange e : im.enforcementChanges()) {
        ObjectNode en = enforcement.addObject();
        en.put("scope", e.scope().dotted());
        en.put("policy", e.policy());
        en.put("before", e.effectiveBefore());
        en.put("after", e.effectiveAfter());
        en.put("weakens", e.weakens());
      }
    }
    return n;
  }

  private static ObjectNode change(PolicyChange c) {
    ObjectNode n = F.objectNode();
    n.put("policy", c.policy());
    n.put("change", c.kind().value());
    n.set("before", c.before().<JsonNode>map(ReportJson::resolved).orElse(F.nullNode()));
    n.set("after", c.after().<JsonNode>map(ReportJson::resolved).orElse(F.nullNode()));
    ArrayNode fields = n.putArray("fields");
    for (FieldChange f : c.fields()) {
      ObjectNode x = fields.addObject();
      x.put("path", f.path());
      x.set("before", f.before().orElse(F.nullNode()));
      x.set("after", f.after().orElse(F.nullNode()));
      x.set("beforeFrom", scope(f.beforeFrom()));
      x.set("afterFrom", scope(f.afterFrom()));
    }
    return n;
  }

  private static ObjectNode resolved(ResolvedPolicy r) {
    ObjectNode n = F.objectNode();
    n.put("definedAt", r.definedAt().dotted());
    n.put("enforcement", r.policy().spec().enforcement().value());
    n.put("status", r.policy().spec().status().value().toLowerCase(Locale.ROOT));
    ArrayNode layers = n.putArray("layers");
    for (PolicyDefinition d : r.layers()) {
      ObjectNode l = layers.addObject();
      l.put("scope", d.scope().dotted());
      l.put("file", d.file());
    }
    return n;
  }

  private static JsonNode scope(Optional<ScopePath> s) {
    return s.<JsonNode>map(p -> F.textNode(p.dotted())).orElse(F.nullNode());
  }
}
