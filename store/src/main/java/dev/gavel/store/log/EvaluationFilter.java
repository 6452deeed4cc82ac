package dev.gavel.store.log;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Which evaluations to list. Every part is optional.
 *
 * @param scope exactly this dotted scope
 * @param scopePrefix this scope and every scope inside it ({@code acme} matches {@code acme} and {@code acme.chat})
 * @param policy evaluations where a rule of this policy (any definition) matched
 * @param since inclusive
 * @param until exclusive
 * @param tenants when present, only evaluations made in these tenants (a tenant-limited caller)
 */
public record EvaluationFilter(
        Optional<String> scope,
        Optional<String> scopePrefix,
        Optional<String> policy,
        Optional<String> decision,
        Optional<String> commit,
        Optional<Instant> since,
        Optional<Instant> until,
        Optional<Set<String>> tenants) {

    public static final EvaluationFilter ALL = new EvaluationFilter(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());

    public EvaluationFilter {
        scope = orEmpty(scope);
        scopePrefix = orEmpty(scopePrefix);
        policy = orEmpty(policy);
        decision = orEmpty(decision);
        commit = orEmpty(commit);
        since = orEmpty(since);
        until = orEmpty(until);
        tenants = tenants == null ? Optional.empty() : tenants.map(Set::copyOf);
    }

    public EvaluationFilter withScope(String s) {
        return new EvaluationFilter(Optional.of(s), scopePrefix, policy, decision, commit, since, until, tenants);
    }

    public EvaluationFilter withScopePrefix(String s) {
        return new EvaluationFilter(scope, Optional.of(s), policy, decision, commit, since, until, tenants);
    }

    public EvaluationFilter withPolicy(String p) {
        return new EvaluationFilter(scope, scopePrefix, Optional.of(p), decision, commit, since, until, tenants);
    }

    public EvaluationFilter withDecision(String d) {
        return new EvaluationFilter(scope, scopePrefix, policy, Optional.of(d), commit, since, until, tenants);
    }

    public EvaluationFilter withCommit(String c) {
        return new EvaluationFilter(scope, scopePrefix, policy, decision, Optional.of(c), since, until, tenants);
    }

    public EvaluationFilter withSince(Instant t) {
        return new EvaluationFilter(scope, scopePrefix, policy, decision, commit, Optional.of(t), until, tenants);
    }

    public EvaluationFilter withUntil(Instant t) {
        return new EvaluationFilter(scope, scopePrefix, policy, decision, commit, since, Optional.of(t), tenants);
    }

    public EvaluationFilter withTenants(Set<String> t) {
        return new EvaluationFilter(scope, scopePrefix, policy, decision, commit, since, until, Optional.of(t));
    }

    @SuppressWarnings("OptionalUsedAsFieldOrParameterType")
    private static <T> Optional<T> orEmpty(Optional<T> o) {
        return o == null ? Optional.empty() : o;
    }
}
