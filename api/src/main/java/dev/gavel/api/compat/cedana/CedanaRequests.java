package dev.gavel.api.compat.cedana;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.api.http.ApiProblem;
import dev.gavel.api.http.FieldError;
import dev.gavel.api.http.Json;
import dev.gavel.api.http.RequestInput;
import dev.gavel.api.wire.Mappers;
import dev.gavel.engine.model.HeartbeatResource;
import dev.gavel.engine.model.Names;
import dev.gavel.engine.model.Policy;
import dev.gavel.engine.model.PolicyId;
import dev.gavel.engine.model.PolicyPath;
import dev.gavel.engine.parse.Diagnostic;
import dev.gavel.engine.parse.ParseResult;
import dev.gavel.engine.parse.PolicyParser;
import dev.gavel.engine.parse.PolicyWriter;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A Cedana {@code PolicyRequest} read into heartbeat settings, and errors in the seed's field names
 * (seed 003): every field checked, each refusal a 400 naming the field; nothing reaches the file unchecked.
 */
final class CedanaRequests {
    private static final Set<String> REQUEST_FIELDS = Set.of(
            "cluster_id",
            "heartbeat_time",
            "id",
            "job_filter",
            "policy_type",
            "resource",
            "resource_ids",
            "resource_name",
            "runc_root");

    private CedanaRequests() {}

    /** A PolicyRequest's fields as heartbeat settings; 400 naming each field that cannot be one. */
    static ObjectNode settings(JsonNode body) {
        requireOnly(body, REQUEST_FIELDS);
        List<FieldError> errors = new ArrayList<>();
        ObjectNode s = Json.object();
        JsonNode time = body.get("heartbeat_time");
        if (time == null || time.isNull()) {
            errors.add(FieldError.of("heartbeat_time", "required: seconds between heartbeats"));
        } else if (!time.isIntegralNumber() || !time.canConvertToLong() || time.longValue() < 0) {
            errors.add(FieldError.of("heartbeat_time", "an integer >= 0"));
        } else {
            s.put("interval", time.longValue());
        }
        JsonNode type = body.get("policy_type");
        if (type != null && !type.isNull() && !"heartbeat".equals(type.asText(null))) {
            errors.add(FieldError.of("policy_type", "heartbeat (or null)"));
        }
        JsonNode resource = body.get("resource");
        if (resource != null && !resource.isNull()) {
            if (!resource.isTextual()
                    || HeartbeatResource.fromValue(resource.textValue()).isEmpty()) {
                errors.add(FieldError.of("resource", "one of " + String.join(", ", HeartbeatResource.spellings())));
            } else {
                s.put("resource", resource.textValue());
            }
        }
        JsonNode cluster = body.get("cluster_id");
        if (cluster == null || cluster.isNull()) {
            errors.add(FieldError.of("cluster_id", "required: the cluster the policy selects workloads of"));
        } else if (!cluster.isTextual()) {
            errors.add(FieldError.of("cluster_id", "a string"));
        } else {
            s.put("clusterId", cluster.textValue());
        }
        JsonNode ids = body.get("resource_ids");
        if (ids == null || ids.isNull()) {
            errors.add(FieldError.of("resource_ids", "required: a list of UUIDs (empty: any)"));
        } else if (!ids.isArray()) {
            errors.add(FieldError.of("resource_ids", "a list of UUIDs"));
        } else if (!ids.isEmpty()) {
            Set<String> unique = new LinkedHashSet<>();
            for (int i = 0; i < ids.size(); i++) {
                JsonNode v = ids.get(i);
                Optional<PolicyId> u =
                        v.isTextual() ? PolicyId.parseUuid(v.textValue().toLowerCase(Locale.ROOT)) : Optional.empty();
                if (u.isEmpty()) {
                    errors.add(FieldError.of("resource_ids[" + i + "]", "not a UUID"));
                } else {
                    unique.add(u.get().uuid());
                }
            }
            unique.forEach(s.putArray("resourceIds")::add);
        }
        JsonNode name = body.get("resource_name");
        if (name != null && !name.isNull()) {
            if (!name.isTextual()) {
                errors.add(FieldError.of("resource_name", "a string"));
            } else if (!name.textValue().isEmpty()) {
                s.put("resourceName", name.textValue());
            }
        }
        JsonNode runc = body.get("runc_root");
        if (runc != null && !runc.isNull()) {
            if (!runc.isTextual()) {
                errors.add(FieldError.of("runc_root", "a string"));
            } else if (!runc.textValue().isEmpty()) {
                s.put("runcRoot", runc.textValue());
            }
        }
        JsonNode filter = body.get("job_filter");
        if (filter != null && !filter.isNull()) {
            if (!filter.isObject()) {
                errors.add(FieldError.of("job_filter", "an object {namespace, priority}"));
            } else {
                ObjectNode f = Json.object();
                filter.fieldNames().forEachRemaining(k -> {
                    if (!k.equals("namespace") && !k.equals("priority")) {
                        errors.add(FieldError.of("job_filter." + Names.printable(k), "unknown field"));
                    }
                });
                JsonNode ns = filter.get("namespace");
                if (ns != null && !ns.isNull()) {
                    if (!ns.isTextual()) {
                        errors.add(FieldError.of("job_filter.namespace", "a string"));
                    } else {
                        f.put("namespace", ns.textValue());
                    }
                }
                JsonNode pr = filter.get("priority");
                if (pr != null && !pr.isNull()) {
                    if (!pr.isIntegralNumber() || !pr.canConvertToInt()) {
                        errors.add(FieldError.of("job_filter.priority", "a 32-bit integer"));
                    } else {
                        f.put("priority", pr.intValue());
                    }
                }
                if (!f.isEmpty()) {
                    s.set("jobFilter", f);
                }
            }
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.badRequest("invalid request body; nothing was committed", errors);
        }
        return s;
    }

    /** Parses the file the request makes: a setting the schema refuses is a 400 in the seed's field names. */
    static Policy parse(ObjectNode tree, PolicyPath where) {
        byte[] yaml;
        try {
            yaml = Mappers.YAML.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        ParseResult<Policy> r = PolicyParser.parse(yaml, where.path());
        if (r instanceof ParseResult.Parsed<Policy> ok) {
            return ok.value();
        }
        List<FieldError> errors = r.diagnostics().stream()
                .filter(Diagnostic::isError)
                .map(d -> FieldError.of(seedField(d.field()), d.message()))
                .toList();
        throw ApiProblem.badRequest(
                "invalid request body; nothing was committed"
                        + (errors.isEmpty()
                                ? ""
                                : ": " + errors.get(0).field() + " "
                                        + errors.get(0).message()),
                errors);
    }

    /** A settings field in the seed's words. */
    static String seedField(String field) {
        if (field == null) {
            return "body";
        }
        return field.replaceFirst("^spec\\.settings\\.", "")
                .replace("interval", "heartbeat_time")
                .replace("clusterId", "cluster_id")
                .replace("resourceIds", "resource_ids")
                .replace("resourceName", "resource_name")
                .replace("runcRoot", "runc_root")
                .replace("jobFilter", "job_filter");
    }

    static byte[] yaml(Policy policy, PolicyPath where) {
        return PolicyWriter.toYaml(policy, where.path()).getBytes(StandardCharsets.UTF_8);
    }

    static JsonNode object(Context ctx) {
        JsonNode body = RequestInput.jsonBody(ctx);
        if (!body.isObject()) {
            throw ApiProblem.badRequest("invalid request body: a JSON object", FieldError.of("body", "not an object"));
        }
        return body;
    }

    static void requireOnly(JsonNode body, Set<String> allowed) {
        List<FieldError> unknown = new ArrayList<>();
        body.fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f)) {
                unknown.add(FieldError.of(Names.printable(f), "unknown field"));
            }
        });
        if (!unknown.isEmpty()) {
            throw ApiProblem.badRequest("invalid request body: unknown fields; nothing was committed", unknown);
        }
    }
}
