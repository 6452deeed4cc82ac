package dev.gavel.bench.peers.cedar;

import com.cedarpolicy.model.AuthorizationRequest;
import com.cedarpolicy.model.entity.Entities;
import com.cedarpolicy.model.entity.Entity;
import com.cedarpolicy.value.CedarMap;
import com.cedarpolicy.value.EntityTypeName;
import com.cedarpolicy.value.EntityUID;
import com.cedarpolicy.value.PrimBool;
import com.cedarpolicy.value.PrimLong;
import com.cedarpolicy.value.PrimString;
import com.cedarpolicy.value.Value;
import dev.gavel.bench.peers.FlatReference;
import dev.gavel.bench.peers.RequestMap;
import dev.gavel.engine.eval.Request;
import dev.gavel.engine.expr.Field;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A Gavel request as a Cedar request and its entities (the model is described in {@link CedarPolicies}). */
record CedarRequests(AuthorizationRequest request, Entities entities) {
    static final EntityTypeName SCOPE = EntityTypeName.parse("Gavel::Scope").orElseThrow();
    static final EntityUID CALLER =
            EntityTypeName.parse("Gavel::Caller").orElseThrow().of("caller");
    static final EntityUID DECIDE =
            EntityTypeName.parse("Gavel::Action").orElseThrow().of("decide");
    static final EntityTypeName RESOURCE =
            EntityTypeName.parse("Gavel::Resource").orElseThrow();

    /** The context key of a request field: the same names as the other peers' request maps. */
    static String contextName(Field f) {
        return RequestMap.key(f);
    }

    static CedarRequests of(Request r) {
        Set<Entity> entities = new HashSet<>();
        EntityUID parent = null;
        List<String> scope = r.scope();
        for (int i = 1; i <= scope.size(); i++) {
            EntityUID uid = SCOPE.of(String.join(".", scope.subList(0, i)));
            entities.add(
                    new Entity(uid, new HashMap<>(), parent == null ? new HashSet<>() : new HashSet<>(Set.of(parent))));
            parent = uid;
        }
        Map<String, Value> resourceAttrs = new HashMap<>();
        if (r.resource().type() != null) {
            resourceAttrs.put("kind", new PrimString(r.resource().type()));
        }
        if (r.resource().name() != null) {
            resourceAttrs.put("name", new PrimString(r.resource().name()));
        }
        CedarMap labels = new CedarMap();
        r.resource().labels().forEach((k, v) -> labels.put(k, new PrimString(v)));
        resourceAttrs.put("labels", labels);
        EntityUID resource = RESOURCE.of("r");
        entities.add(
                new Entity(resource, resourceAttrs, parent == null ? new HashSet<>() : new HashSet<>(Set.of(parent))));

        Map<String, Value> context = new HashMap<>();
        for (int i = 0; i < scope.size(); i++) {
            context.put("scope" + i, new PrimString(scope.get(i)));
        }
        for (Field f : Field.values()) {
            if (f == Field.RESOURCE_TYPE || f == Field.RESOURCE_NAME) {
                continue;
            }
            Object v = FlatReference.value(f, r);
            if (v instanceof String s) {
                context.put(contextName(f), new PrimString(s));
            } else if (v instanceof Long l) {
                context.put(contextName(f), new PrimLong(l));
            }
        }
        CedarMap strings = new CedarMap();
        CedarMap longs = new CedarMap();
        CedarMap bools = new CedarMap();
        r.attributes().forEach((k, v) -> {
            if (v instanceof String s) {
                strings.put(k, new PrimString(s));
            } else if (v instanceof Long l) {
                longs.put(k, new PrimLong(l));
            } else if (v instanceof Boolean b) {
                bools.put(k, new PrimBool(b));
            }
        });
        context.put("attrString", strings);
        context.put("attrLong", longs);
        context.put("attrBool", bools);
        return new CedarRequests(new AuthorizationRequest(CALLER, DECIDE, resource, context), new Entities(entities));
    }
}
