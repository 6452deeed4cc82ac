package dev.gavel.engine.compile;

import dev.gavel.engine.eval.RequestFact;
import java.util.Objects;
import java.util.function.Function;
import org.drools.model.functions.Predicate1;

/**
 * One constraint of a generated rule's single {@code RequestFact} pattern, in the two forms the
 * engine has: a compiled Java predicate (what the executable-model knowledge base evaluates) and
 * its DRL text (only for people, {@code gavel compile --drl}, and for the drools-mvel oracle the
 * tests compare decisions with). Both are generated from the same checked condition AST.
 *
 * @param drl the DRL text: field names from a whitelist, escaped literals; doubles as the
 *     constraint's identity (equal text means equal test), never handed to Drools as a name
 * @param test the predicate; typed constants are captured as values, never as text
 * @param hash when the constraint is {@code property == "constant"} on a typed property, how the
 *     alpha network hashes it; null otherwise
 */
public record Constraint(String drl, Predicate1<RequestFact> test, Hash hash) {
  public Constraint {
    Objects.requireNonNull(drl);
    Objects.requireNonNull(test);
  }

  /**
   * An equality on a typed string property, which Drools indexes in a hash table of the sibling
   * alpha nodes on that property: only the rules for the request's value are visited.
   *
   * @param property a stable number per property (scope levels, resource type, ...)
   */
  public record Hash(int property, Function<RequestFact, String> getter, String value) {}

  @Override
  public boolean equals(Object o) {
    return o instanceof Constraint c && c.drl.equals(drl);
  }

  @Override
  public int hashCode() {
    return drl.hashCode();
  }

  @Override
  public String toString() {
    return drl;
  }
}
