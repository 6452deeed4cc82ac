package dev.gavel.engine.compile;

import dev.gavel.engine.expr.DrlConstraintWriter;
import java.util.List;

/** Writes the DRL of one partition and builds its knowledge base. */
final class PartitionCompiler {
  private PartitionCompiler() {}

  /**
   * The DRL of a partition. Rule {@code i} is named {@code r<i>} and its consequence only reports
   * {@code i}; the mvel dialect keeps consequences from being compiled to classes (NOTES.md).
   */
  static String drl(List<CompiledRule> rules) {
    StringBuilder drl = new StringBuilder(64 + rules.size() * 160);
    drl.append("package gavel.rules;\n");
    for (String imported : DrlConstraintWriter.IMPORTS) {
      drl.append("import ").append(imported).append(";\n");
    }
    drl.append("dialect \"mvel\"\n");
    for (int i = 0; i < rules.size(); i++) {
      drl.append("rule r").append(i).append(" when $f: ").append(DrlConstraintWriter.FACT_TYPE).append("( ")
          .append(String.join(", ", rules.get(i).constraints()))
          .append(" ) then $f.hit(").append(i).append("); end\n");
    }
    return drl.toString();
  }

  /**
   * Builds the partition. Generated DRL that Drools rejects is a bug in generation, never the
   * user's: it fails loudly with the compiler's messages.
   */
  static CompiledPartition build(String key, String drl, List<RuleRef> rules) {
    DroolsBuild.Outcome built = DroolsBuild.build(drl);
    if (built instanceof DroolsBuild.Built ok) {
      return new CompiledPartition(key, drl, ok.kieBase(), ok.kieBase().newStatelessKieSession(), rules);
    }
    throw new IllegalStateException("generated DRL of partition '" + key + "' does not compile: "
        + ((DroolsBuild.Failed) built).errors());
  }
}
