package dev.gavel.engine.model;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A rule's condition given as a check of a condition provider ({@code check: {provider: github, check:
 * branch_protection, params: {branch: main}}}) instead of {@code when:} text. The catalog of providers,
 * their params and what each compiles to is {@code dev.gavel.engine.expr.ConditionProviders}.
 */
public record ProviderCheck(String provider, String check, ObjectNode params) {
    public ProviderCheck {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(check, "check");
        params = params == null ? JsonNodeFactory.instance.objectNode() : params.deepCopy();
    }

    @Override
    public ObjectNode params() {
        return params.deepCopy();
    }
}
