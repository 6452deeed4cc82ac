package dev.gavel.bench.workload;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.engine.eval.Request;
import java.util.Map;

/** A generated {@link Request} as the body of {@code POST /api/v1/evaluate} (docs/evaluations.md): what a runtime sends, and what the log keeps. */
public final class RequestJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RequestJson() {}

    public static String json(Request r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("scope", String.join(".", r.scope()));
        ObjectNode resource = n.putObject("resource");
        resource.put("type", r.resource().type());
        resource.put("name", r.resource().name());
        ObjectNode labels = resource.putObject("labels");
        r.resource().labels().forEach(labels::put);
        n.put("action", r.action());
        if (r.location().name() != null) {
            ObjectNode l = n.putObject("location");
            l.put("name", r.location().name());
            l.put("country", r.location().country());
            l.put("continent", r.location().continent());
        }
        if (r.flavor().name() != null) {
            ObjectNode f = n.putObject("flavor");
            f.put("name", r.flavor().name());
            f.put("type", r.flavor().type());
        }
        if (r.tokens().input() != null) {
            ObjectNode t = n.putObject("tokens");
            t.put("input", r.tokens().input());
            t.put("output", r.tokens().output());
        }
        ObjectNode attributes = n.putObject("attributes");
        for (Map.Entry<String, Object> a : r.attributes().entrySet()) {
            Object v = a.getValue(); // normalised by Request to String, Long or Boolean
            if (v instanceof Long l) {
                attributes.put(a.getKey(), l);
            } else if (v instanceof Boolean b) {
                attributes.put(a.getKey(), b);
            } else {
                attributes.put(a.getKey(), String.valueOf(v));
            }
        }
        return n.toString();
    }
}
