package dev.gavel.engine.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One decision test: evaluate {@code request} at {@code scope} and expect {@code decision}.
 *
 * @param request  the evaluation request as written (resource, action, location, flavor, tokens,
 *                 attributes), checked against the test schema; a copy, never mutated
 * @param matched  when present, exactly the policies whose rules must match (as a set)
 * @param location where the test case starts in its file, for reporting failures; not part of equality
 */
public record PolicyTestCase(
        String name,
        ScopePath scope,
        ObjectNode request,
        Decision decision,
        Optional<Set<String>> matched,
        SourceLocation location) {

    public PolicyTestCase {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(decision, "decision");
        request = request.deepCopy();
        matched = matched == null ? Optional.empty() : matched.map(Set::copyOf);
        location = location == null ? SourceLocation.UNKNOWN : location;
    }

    /** A copy of the request; callers may change the copy. */
    @Override
    public ObjectNode request() {
        return request.deepCopy();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PolicyTestCase c
                && name.equals(c.name)
                && scope.equals(c.scope)
                && request.equals(c.request)
                && decision == c.decision
                && matched.equals(c.matched);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, scope, request, decision, matched);
    }
}
