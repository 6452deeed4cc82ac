package dev.gavel.engine.compile;

import dev.gavel.engine.eval.RequestFact;

/**
 * What fires a partition's rules on a fact. The served engine is the partition's own executable-model
 * knowledge base ({@link #SERVED}); {@link DrlOracle} fires the same rules rendered as DRL and
 * compiled by drools-mvel, to check that both decide alike.
 */
@FunctionalInterface
public interface PartitionEngine {
    PartitionEngine SERVED = CompiledPartition::fire;

    void fire(CompiledPartition partition, RequestFact fact);
}
