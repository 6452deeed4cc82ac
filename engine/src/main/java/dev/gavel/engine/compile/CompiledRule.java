package dev.gavel.engine.compile;

import java.util.List;

/**
 * One generated rule: the constraints of its single {@code RequestFact} pattern (generated, never
 * user text except typed constants) and what a match means.
 */
public record CompiledRule(List<Constraint> constraints, RuleRef ref) {
    public CompiledRule {
        constraints = List.copyOf(constraints);
    }
}
