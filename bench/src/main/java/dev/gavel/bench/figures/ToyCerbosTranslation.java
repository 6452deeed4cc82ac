package dev.gavel.bench.figures;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.bench.workload.Workload;
import dev.gavel.engine.eval.Request;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A stand-in for the real translation: one resource policy per resource type that keeps only the global
 * guardrails (core regions, sanctioned countries, a token limit). It does NOT carry the workload's 1,000
 * or 10,000 policies, so figures taken with it are machinery checks, not comparisons.
 */
final class ToyCerbosTranslation implements CerbosTranslation {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> KINDS = List.of("model", "function", "agent", "sandbox", "job");

    @Override
    public String name() {
        return "toy (guardrails only)";
    }

    @Override
    public void write(Workload workload, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String kind : KINDS) {
            Files.writeString(dir.resolve(kind + ".yaml"), """
          apiVersion: api.cerbos.dev/v1
          resourcePolicy:
            version: default
            resource: %s
            rules:
              - actions: ["*"]
                roles: ["*"]
                effect: EFFECT_ALLOW
                condition:
                  match:
                    all:
                      of:
                        - expr: R.attr.continent in ["EU", "NA"]
                        - expr: '!(R.attr.country in ["CU", "IR", "KP", "RU", "SY"])'
                        - expr: R.attr.tokensTotal <= 120000
          """.formatted(kind));
        }
    }

    @Override
    public String checkRequest(Request r) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode principal = body.putObject("principal");
        principal.put("id", r.scope().isEmpty() ? "global" : r.scope().get(0));
        principal.putArray("roles").add("runtime");
        principal.putObject("attr").put("scope", String.join(".", r.scope()));
        ObjectNode entry = body.putArray("resources").addObject();
        entry.putArray("actions").add(r.action());
        ObjectNode resource = entry.putObject("resource");
        resource.put("kind", r.resource().type());
        resource.put("id", r.resource().name());
        ObjectNode attr = resource.putObject("attr");
        attr.put("continent", r.location().continent());
        attr.put("country", r.location().country());
        attr.put("tokensTotal", r.tokens().total() == null ? 0 : r.tokens().total());
        return body.toString();
    }

    @Override
    public String decision(String responseBody) {
        try {
            JsonNode actions =
                    JSON.readTree(responseBody).path("results").path(0).path("actions");
            boolean allowed = actions.size() > 0;
            for (JsonNode effect : actions) {
                allowed &= effect.asText().equals("EFFECT_ALLOW");
            }
            return allowed ? "allow" : "deny";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
