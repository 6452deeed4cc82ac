package dev.gavel.engine.compile;

import dev.gavel.engine.expr.DrlConstraintWriter;
import java.util.List;

/** Builds a partition's knowledge base (executable model) and writes its DRL rendering. */
final class PartitionCompiler {
    private PartitionCompiler() {}

    /**
     * The DRL of a partition, for people ({@code gavel compile --drl}) and for the drools-mvel oracle
     * the tests compare decisions with. Rule {@code i} is named {@code r<i>} and its consequence only
     * reports {@code i}.
     */
    static String drl(List<CompiledRule> rules) {
        StringBuilder drl = new StringBuilder(64 + rules.size() * 160);
        drl.append("package gavel.rules;\n");
        for (String imported : DrlConstraintWriter.IMPORTS) {
            drl.append("import ").append(imported).append(";\n");
        }
        drl.append("dialect \"mvel\"\n");
        for (int i = 0; i < rules.size(); i++) {
            drl.append("rule r")
                    .append(i)
                    .append(" when $f: ")
                    .append(DrlConstraintWriter.FACT_TYPE)
                    .append("( ");
            List<Constraint> constraints = rules.get(i).constraints();
            for (int c = 0; c < constraints.size(); c++) {
                drl.append(c == 0 ? "" : ", ").append(constraints.get(c).drl());
            }
            drl.append(" ) then $f.hit(").append(i).append("); end\n");
        }
        return drl.toString();
    }

    static CompiledPartition build(String key, List<CompiledRule> rules) {
        return CompiledPartition.built(key, rules);
    }
}
