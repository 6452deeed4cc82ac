package dev.gavel.engine.compile;

import dev.gavel.engine.eval.RequestFact;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.Map;
import org.drools.kiesession.rulebase.InternalKnowledgeBase;
import org.drools.kiesession.rulebase.KnowledgeBaseFactory;
import org.kie.api.KieBaseConfiguration;
import org.kie.api.KieServices;
import org.kie.api.conf.KieBaseMutabilityOption;
import org.kie.api.io.ResourceType;
import org.kie.api.runtime.StatelessKieSession;
import org.kie.internal.builder.KnowledgeBuilder;
import org.kie.internal.builder.KnowledgeBuilderError;
import org.kie.internal.builder.KnowledgeBuilderFactory;
import org.kie.internal.io.ResourceFactory;

/**
 * The oracle: fires a partition's rules from their DRL rendering, compiled on the classic
 * drools-mvel path (the engine Gavel served before the executable model). Used by tests and
 * benchmarks to require identical decisions from both; never on the serving path. Knowledge bases
 * are built on first use per partition.
 */
public final class DrlOracle implements PartitionEngine {
    private final Map<CompiledPartition, StatelessKieSession> sessions = new IdentityHashMap<>();

    @Override
    public synchronized void fire(CompiledPartition partition, RequestFact fact) {
        sessions.computeIfAbsent(partition, p -> build(p.drl()).newStatelessKieSession())
                .execute(fact);
    }

    /** A knowledge base from DRL text; generated DRL Drools refuses is a bug in generation. */
    public static InternalKnowledgeBase build(String drl) {
        KnowledgeBuilder builder = KnowledgeBuilderFactory.newKnowledgeBuilder();
        builder.add(ResourceFactory.newByteArrayResource(drl.getBytes(StandardCharsets.UTF_8)), ResourceType.DRL);
        if (builder.hasErrors()) {
            throw new IllegalStateException("generated DRL does not compile: "
                    + builder.getErrors().stream()
                            .map(KnowledgeBuilderError::getMessage)
                            .toList());
        }
        KieBaseConfiguration conf = KieServices.get().newKieBaseConfiguration();
        conf.setOption(KieBaseMutabilityOption.DISABLED);
        InternalKnowledgeBase base = KnowledgeBaseFactory.newKnowledgeBase(conf);
        base.addPackages(builder.getKnowledgePackages());
        return base;
    }
}
