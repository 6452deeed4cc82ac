package dev.gavel.api.wire;

import java.util.List;
import java.util.Optional;

/** Every scope the caller may see that holds a policy (and the scopes above it), with counts: the console's tree. */
public record ScopeTree(
        @Doc(pattern = Patterns.COMMIT) String commit,

        @Doc("Scopes, parents before children, siblings by name")
        List<ScopeNode> data) {

    /** One scope: how many policies it defines and how many are defined in it and below it. */
    public record ScopeNode(
            @Doc(value = "Dotted scope; empty for the global scope", pattern = Patterns.SCOPE)
            String scope,

            @Doc("0 for the global scope, 1 for a tenant, …")
            int depth,

            @Doc("The level's name from gavel.yaml (tenant, app, agent, env), or global")
            String level,

            @Doc("Policies defined at exactly this scope") int policies,

            @Doc("Policies defined at this scope or below it")
            int policiesBelow) {}

    /** Who the token is: what a client needs to show only what the caller may do. */
    public record Me(
            @Doc("The principal's name (the commit author of its writes)")
            String name,

            @Doc("reader, editor or admin") String role,

            @Doc("The tenants the token is limited to, or null when it sees every tenant")
            Optional<List<String>> tenants) {}
}
