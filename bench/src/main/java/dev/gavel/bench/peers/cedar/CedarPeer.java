package dev.gavel.bench.peers.cedar;

import com.cedarpolicy.BasicAuthorizationEngine;
import com.cedarpolicy.model.AuthorizationResponse;
import com.cedarpolicy.model.AuthorizationSuccessResponse;
import com.cedarpolicy.model.exception.AuthException;
import com.cedarpolicy.model.exception.CacheException;
import com.cedarpolicy.model.policy.Policy;
import com.cedarpolicy.model.policy.PolicySet;
import dev.gavel.bench.peers.FlatPolicy;
import dev.gavel.bench.peers.FlatRepository;
import dev.gavel.bench.peers.Outcome;
import dev.gavel.bench.peers.Peer;
import dev.gavel.engine.eval.Request;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Cedar (cedar-java, native Rust library over JNI). The policy set is cached on the native side
 * ({@link PolicySet#cache()}) so that a request does not ship every policy across JNI again; what
 * crosses per request is the request, its entities and the answer.
 */
public final class CedarPeer implements Peer {
    private final BasicAuthorizationEngine engine = new BasicAuthorizationEngine();
    private final PolicySet policies;
    private final Map<String, Outcome> outcomeById = new HashMap<>();

    public CedarPeer(FlatRepository repository) {
        Set<Policy> set = new HashSet<>();
        set.add(new Policy(CedarPolicies.PERMIT_ALL, "permit-all"));
        for (FlatPolicy p : repository.policies()) {
            for (FlatPolicy.Rule r : p.rules()) {
                set.add(new Policy(CedarPolicies.forbid(p, r), r.id()));
                outcomeById.put(r.id(), r.outcome());
            }
        }
        policies = new PolicySet(set);
        try {
            policies.cache();
        } catch (CacheException e) {
            throw new IllegalStateException("Cedar rejected the policy set: " + e.getMessage(), e);
        }
        if (policies.cacheKey().isEmpty()) {
            throw new IllegalStateException("Cedar did not cache the policy set; every call would re-send it");
        }
    }

    @Override
    public String name() {
        return "cedar";
    }

    @Override
    public Outcome decide(Request request) {
        Outcome outcome = Outcome.ALLOW;
        for (String id : reasons(request)) {
            Outcome o = outcomeById.get(id);
            if (o != null) {
                outcome = outcome.atLeast(o);
            }
        }
        return outcome;
    }

    @Override
    public String explain(Request request) {
        return decide(request).label() + " " + new java.util.TreeSet<>(reasons(request));
    }

    private Set<String> reasons(Request request) {
        CedarRequests r = CedarRequests.of(request);
        AuthorizationResponse response;
        try {
            response = engine.isAuthorized(r.request(), policies, r.entities());
        } catch (AuthException e) {
            throw new IllegalStateException("Cedar failed: " + e.getMessage(), e);
        }
        AuthorizationSuccessResponse success =
                response.success.orElseThrow(() -> new IllegalStateException("Cedar failed: " + response));
        if (!success.getErrors().isEmpty()) {
            // An erroring forbid is skipped by Cedar; for these policies that means a translation bug.
            throw new IllegalStateException("Cedar policy errors: " + success.getErrors());
        }
        return success.getReason();
    }
}
