package dev.gavel.engine.compile;

import dev.gavel.engine.model.Effect;
import dev.gavel.engine.model.Enforcement;
import dev.gavel.engine.model.ScopePath;
import java.util.Objects;

/**
 * The side table entry behind a generated rule {@code r<N>}: generated DRL carries only the number,
 * never a name, message or anything else a person wrote.
 *
 * @param policy the policy name
 * @param definedAt the scope of the nearest definition (the compiled variant)
 * @param rule the rule's name; built-in rules are named after the setting they check
 *     ({@code settings.allowed}, {@code settings.input}, ...), which no user rule can be called
 * @param kind whether a match decides, or reports a field the policy needs and the request lacks
 * @param field for {@link Kind#MISSING}, the request field that is missing; empty otherwise
 */
public record RuleRef(
    String policy,
    ScopePath definedAt,
    String file,
    String rule,
    Kind kind,
    Effect effect,
    Enforcement enforcement,
    String message,
    String field) {

  public enum Kind {
    DECIDE,
    MISSING
  }

  public RuleRef {
    Objects.requireNonNull(policy);
    Objects.requireNonNull(definedAt);
    Objects.requireNonNull(rule);
    Objects.requireNonNull(kind);
    Objects.requireNonNull(effect);
    Objects.requireNonNull(enforcement);
    message = message == null ? "" : message;
    field = field == null ? "" : field;
  }
}
