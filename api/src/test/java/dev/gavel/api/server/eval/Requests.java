package dev.gavel.api.server.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.api.http.Json;

/** Evaluate requests against the template repository's policies. */
final class Requests {
    private Requests() {}

    /** A model in the EU on a CPU with modest tokens: allowed by every template policy at most scopes. */
    static ObjectNode allowed(String scope) {
        ObjectNode n = Json.object();
        n.put("scope", scope);
        ObjectNode r = n.putObject("resource");
        r.put("type", "model");
        r.put("name", "m1");
        n.put("action", "invoke");
        ObjectNode l = n.putObject("location");
        l.put("name", "eu-west-1");
        l.put("country", "IE");
        l.put("continent", "EU");
        ObjectNode f = n.putObject("flavor");
        f.put("name", "c7i.large");
        f.put("type", "cpu");
        ObjectNode t = n.putObject("tokens");
        t.put("input", 1000);
        t.put("output", 200);
        return n;
    }

    /** Denied by eu-residency (block): runs in North America. */
    static ObjectNode outsideEu(String scope) {
        ObjectNode n = allowed(scope);
        ObjectNode l = (ObjectNode) n.get("location");
        l.put("name", "us-east-1");
        l.put("country", "US");
        l.put("continent", "NA");
        return n;
    }

    /** Denied by token-limits (block): input over 100,000. */
    static ObjectNode tooManyTokens(String scope) {
        ObjectNode n = allowed(scope);
        ((ObjectNode) n.get("tokens")).put("input", 200_000);
        return n;
    }
}
