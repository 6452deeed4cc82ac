package dev.gavel.engine.compile;

import java.util.List;

/**
 * One rule ready to be written as DRL: the constraints of its single {@code RequestFact} pattern
 * (generated, never user text except escaped literals) and what a match means.
 */
record CompiledRule(List<String> constraints, RuleRef ref) {
  CompiledRule {
    constraints = List.copyOf(constraints);
  }
}
