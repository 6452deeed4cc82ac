package dev.gavel.engine.compile;

import java.util.List;
import org.kie.api.KieBase;
import org.kie.api.runtime.StatelessKieSession;

/**
 * The knowledge base of one partition — the global scope or one tenant — and the side table its
 * rule numbers index. Immutable; a snapshot that did not change a partition's DRL shares the
 * knowledge base with the previous snapshot.
 *
 * @param key {@code ""} for the global partition, else the tenant
 * @param drl the generated source, kept to decide reuse and to show when asked
 */
public record CompiledPartition(String key, String drl, KieBase kieBase, StatelessKieSession session, List<RuleRef> rules) {
  public CompiledPartition {
    rules = List.copyOf(rules);
  }

  /** The same knowledge base with a new side table (enforcement or messages changed, the DRL did not). */
  CompiledPartition withRules(List<RuleRef> newRules) {
    return new CompiledPartition(key, drl, kieBase, session, newRules);
  }

  public RuleRef rule(int id) {
    return rules.get(id);
  }
}
