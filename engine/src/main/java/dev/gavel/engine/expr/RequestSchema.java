package dev.gavel.engine.expr;

import dev.gavel.engine.eval.Request;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a condition may refer to beyond the fixed fields: the names of the scope levels, from the
 * top ({@code scope.tenant} is level 0 by default).
 */
public record RequestSchema(List<String> scopeLevels) {
    private static final Pattern LEVEL_NAME = Pattern.compile("[a-z][a-z0-9_]{0,31}");

    public static final RequestSchema DEFAULT = new RequestSchema(List.of("tenant", "app", "agent", "env"));

    public RequestSchema {
        scopeLevels = List.copyOf(scopeLevels);
        if (scopeLevels.isEmpty() || scopeLevels.size() > Request.MAX_SCOPE_LEVELS) {
            throw new IllegalArgumentException(
                    "between 1 and " + Request.MAX_SCOPE_LEVELS + " scope levels, got " + scopeLevels.size());
        }
        if (new HashSet<>(scopeLevels).size() != scopeLevels.size()) {
            throw new IllegalArgumentException("scope level names repeat: " + scopeLevels);
        }
        for (String level : scopeLevels) {
            if (!LEVEL_NAME.matcher(level).matches()) {
                throw new IllegalArgumentException("invalid scope level name: '" + level + "'");
            }
        }
    }
}
