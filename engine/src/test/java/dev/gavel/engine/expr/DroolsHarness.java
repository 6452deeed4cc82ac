package dev.gavel.engine.expr;

import dev.gavel.engine.eval.Request;
import dev.gavel.engine.eval.RequestFact;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.drools.kiesession.rulebase.InternalKnowledgeBase;
import org.drools.kiesession.rulebase.KnowledgeBaseFactory;
import org.kie.api.KieBase;
import org.kie.api.KieBaseConfiguration;
import org.kie.api.KieServices;
import org.kie.api.conf.KieBaseMutabilityOption;
import org.kie.api.io.ResourceType;
import org.kie.api.runtime.StatelessKieSession;
import org.kie.internal.builder.KnowledgeBuilder;
import org.kie.internal.builder.KnowledgeBuilderError;
import org.kie.internal.builder.KnowledgeBuilderFactory;
import org.kie.internal.io.ResourceFactory;

/** Compiles conditions into one DRL package (rule {@code r<i>} per condition) and runs requests through it. */
final class DroolsHarness {
    static {
        // Drools logs two INFO lines per build (NOTES.md); keep test output quiet.
        System.setProperty("org.slf4j.simpleLogger.log.org.drools", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.org.kie", "warn");
    }

    private final KieBase base;

    private DroolsHarness(KieBase base) {
        this.base = base;
    }

    /** The DRL for the conditions: rule names are generated ({@code r0, r1, ...}), never taken from input. */
    static String drl(List<Expr> conditions) {
        StringBuilder drl = new StringBuilder("package gavel.test;\n");
        DrlConstraintWriter.IMPORTS.forEach(i -> drl.append("import ").append(i).append(";\n"));
        drl.append("global java.util.List fired;\n");
        for (int i = 0; i < conditions.size(); i++) {
            drl.append("rule r")
                    .append(i)
                    .append(" dialect \"mvel\"\nwhen\n  ")
                    .append(DrlConstraintWriter.pattern(conditions.get(i)))
                    .append("\nthen\n  fired.add(")
                    .append(i)
                    .append(");\nend\n");
        }
        return drl.toString();
    }

    /** Builds the conditions; fails the test with Drools' messages if the generated DRL does not compile. */
    static DroolsHarness build(List<Expr> conditions) {
        String drl = drl(conditions);
        KnowledgeBuilder builder = KnowledgeBuilderFactory.newKnowledgeBuilder();
        builder.add(ResourceFactory.newByteArrayResource(drl.getBytes(StandardCharsets.UTF_8)), ResourceType.DRL);
        if (builder.hasErrors()) {
            List<String> messages = builder.getErrors().stream()
                    .map(KnowledgeBuilderError::getMessage)
                    .toList();
            throw new AssertionError("generated DRL does not build: " + messages + "\n" + drl);
        }
        KieBaseConfiguration conf = KieServices.get().newKieBaseConfiguration();
        conf.setOption(KieBaseMutabilityOption.DISABLED);
        InternalKnowledgeBase base = KnowledgeBaseFactory.newKnowledgeBase(conf);
        base.addPackages(builder.getKnowledgePackages());
        return new DroolsHarness(base);
    }

    /** Indices of the conditions whose rule fired for the request. */
    BitSet fired(Request request) {
        List<Integer> fired = new ArrayList<>();
        StatelessKieSession session = base.newStatelessKieSession();
        session.setGlobal("fired", fired);
        session.execute(new RequestFact(request));
        BitSet out = new BitSet();
        fired.forEach(out::set);
        return out;
    }

    /** Indices of the conditions the reference interpreter says are true for the request. */
    static BitSet expected(List<Expr> conditions, Request request) {
        BitSet out = new BitSet();
        for (int i = 0; i < conditions.size(); i++) {
            if (ExprInterpreter.eval(conditions.get(i), request)) {
                out.set(i);
            }
        }
        return out;
    }
}
