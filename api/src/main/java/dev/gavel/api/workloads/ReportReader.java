package dev.gavel.api.workloads;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gavel.api.http.ApiProblem;
import dev.gavel.api.http.FieldError;
import dev.gavel.api.http.Json;
import dev.gavel.engine.model.Names;
import dev.gavel.store.workloads.ClusterReport;
import dev.gavel.store.workloads.StoredJob;
import dev.gavel.store.workloads.StoredPod;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a cluster's report ({@code {tenant?, pods: [...], jobs: [...]}}) strictly: ids are UUIDs, names and
 * namespaces DNS labels, a job's pods are pods of the same report, no id twice, no unknown field; past
 * {@value #MAX_WORKLOADS} workloads (or {@value #MAX_BYTES} bytes) it is 413. Every error names its field;
 * nothing of a refused report is stored.
 */
final class ReportReader {
    static final int MAX_WORKLOADS = 50_000;
    /** 50,000 workloads with labels fit; the server's general 1 MiB bound does not apply to this route. */
    static final int MAX_BYTES = 32 << 20;

    static final int MAX_ERRORS = 100;
    static final int MAX_LABELS = 64;
    static final int MAX_PODS_PER_JOB = 10_000;
    static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern STATUS = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,62}");
    private static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9_./-]{1,253}");
    private static final int MAX_LABEL_VALUE = 1024;

    /** A read report and the tenant it names (when it names one). */
    record Read(Optional<String> tenant, ClusterReport report) {}

    private ReportReader() {}

    static Read read(Context ctx) {
        JsonNode body = json(ctx);
        List<FieldError> errors = new ArrayList<>();
        if (!body.isObject()) {
            throw ApiProblem.badRequest(
                    "the report must be a JSON object {pods, jobs}", FieldError.of("body", "expected an object"));
        }
        unknown(body, Set.of("tenant", "pods", "jobs"), "", errors);
        JsonNode pods = list(body, "pods", errors);
        JsonNode jobs = list(body, "jobs", errors);
        if (pods.size() + jobs.size() > MAX_WORKLOADS) {
            throw new ApiProblem(
                    413,
                    "content-too-large",
                    "Content too large",
                    "a report holds at most " + MAX_WORKLOADS + " workloads (pods and jobs); this one has "
                            + (pods.size() + jobs.size()),
                    List.of(
                            FieldError.of("pods", pods.size() + " pods"),
                            FieldError.of("jobs", jobs.size() + " jobs")));
        }
        Optional<String> tenant = Optional.empty();
        JsonNode t = body.get("tenant");
        if (t != null && !t.isNull()) {
            if (!t.isTextual() || !Names.isValid(t.textValue())) {
                errors.add(FieldError.of("tenant", Names.RULE_TEXT));
            } else {
                tenant = Optional.of(t.textValue());
            }
        }
        List<StoredPod> readPods = new ArrayList<>(pods.size());
        Set<String> podIds = new HashSet<>();
        for (int i = 0; i < pods.size() && errors.size() < MAX_ERRORS; i++) {
            String at = "pods[" + i + "]";
            JsonNode p = pods.get(i);
            if (!p.isObject()) {
                errors.add(FieldError.of(at, "expected an object {id, name, namespace, status, labels?}"));
                continue;
            }
            unknown(p, Set.of("id", "name", "namespace", "status", "labels"), at + ".", errors);
            String id = text(p, "id", UUID, at, "a UUID (lower case)", errors);
            String name = text(p, "name", DNS_LABEL, at, "a DNS label", errors);
            String namespace = text(p, "namespace", DNS_LABEL, at, "a DNS label", errors);
            String status =
                    text(p, "status", STATUS, at, "a word of letters, digits, '_', '.', '-' (at most 63)", errors);
            Map<String, String> labels = labels(p.get("labels"), at + ".labels", errors);
            if (id != null && !podIds.add(id)) {
                errors.add(FieldError.of(at + ".id", "pod " + id + " is reported twice"));
            }
            if (id != null && name != null && namespace != null && status != null) {
                readPods.add(new StoredPod(id, name, namespace, status, labels));
            }
        }
        List<StoredJob> readJobs = new ArrayList<>(jobs.size());
        Set<String> jobIds = new HashSet<>();
        for (int i = 0; i < jobs.size() && errors.size() < MAX_ERRORS; i++) {
            String at = "jobs[" + i + "]";
            JsonNode j = jobs.get(i);
            if (!j.isObject()) {
                errors.add(FieldError.of(at, "expected an object {id, name, namespace, priority, status, pods}"));
                continue;
            }
            unknown(j, Set.of("id", "name", "namespace", "priority", "status", "pods"), at + ".", errors);
            String id = text(j, "id", UUID, at, "a UUID (lower case)", errors);
            String name = text(j, "name", DNS_LABEL, at, "a DNS label", errors);
            String namespace = text(j, "namespace", DNS_LABEL, at, "a DNS label", errors);
            String status =
                    text(j, "status", STATUS, at, "a word of letters, digits, '_', '.', '-' (at most 63)", errors);
            JsonNode pr = j.get("priority");
            Integer priority = null;
            if (pr == null || pr.isNull()) {
                errors.add(FieldError.of(at + ".priority", "required: an integer"));
            } else if (!pr.isIntegralNumber() || !pr.canConvertToInt()) {
                errors.add(FieldError.of(at + ".priority", "expected a 32-bit integer"));
            } else {
                priority = pr.intValue();
            }
            List<String> members = new ArrayList<>();
            JsonNode jp = j.get("pods");
            if (jp != null && !jp.isNull()) {
                if (!jp.isArray() || jp.size() > MAX_PODS_PER_JOB) {
                    errors.add(
                            FieldError.of(at + ".pods", "expected a list of at most " + MAX_PODS_PER_JOB + " pod ids"));
                } else {
                    Set<String> seen = new HashSet<>();
                    for (int k = 0; k < jp.size(); k++) {
                        JsonNode v = jp.get(k);
                        if (!v.isTextual() || !UUID.matcher(v.textValue()).matches()) {
                            errors.add(
                                    FieldError.of(at + ".pods[" + k + "]", "expected a pod id (a UUID, lower case)"));
                        } else if (!podIds.contains(v.textValue())) {
                            errors.add(FieldError.of(
                                    at + ".pods[" + k + "]", "pod " + v.textValue() + " is not in this report's pods"));
                        } else if (seen.add(v.textValue())) {
                            members.add(v.textValue());
                        }
                    }
                }
            }
            if (id != null && !jobIds.add(id)) {
                errors.add(FieldError.of(at + ".id", "job " + id + " is reported twice"));
            }
            if (id != null && name != null && namespace != null && status != null && priority != null) {
                readJobs.add(new StoredJob(id, name, namespace, priority, status, members));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.badRequest(
                    "the report is invalid; nothing was stored"
                            + (errors.size() >= MAX_ERRORS ? " (the first " + MAX_ERRORS + " errors)" : ""),
                    errors);
        }
        return new Read(tenant, new ClusterReport(readPods, readJobs));
    }

    private static JsonNode json(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_BYTES) {
            throw new ApiProblem(
                    413,
                    "content-too-large",
                    "Content too large",
                    "a report is at most " + MAX_BYTES + " bytes",
                    List.of());
        }
        byte[] bytes;
        try (InputStream in = ctx.req().getInputStream()) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (bytes.length > MAX_BYTES) {
            throw new ApiProblem(
                    413,
                    "content-too-large",
                    "Content too large",
                    "a report is at most " + MAX_BYTES + " bytes",
                    List.of());
        }
        if (bytes.length == 0) {
            throw ApiProblem.badRequest("the request needs a JSON body", FieldError.of("body", "empty"));
        }
        try {
            JsonNode n = Json.MAPPER.readTree(bytes);
            if (n == null || n.isMissingNode()) {
                throw ApiProblem.badRequest("the request needs a JSON body", FieldError.of("body", "empty"));
            }
            return n;
        } catch (JsonProcessingException e) {
            throw ApiProblem.badRequest("the body is not valid JSON", FieldError.of("body", e.getOriginalMessage()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode list(JsonNode body, String field, List<FieldError> errors) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return Json.MAPPER.createArrayNode(); // a cluster with no jobs may leave them out
        }
        if (!n.isArray()) {
            errors.add(FieldError.of(field, "expected a list"));
            return Json.MAPPER.createArrayNode();
        }
        return n;
    }

    private static void unknown(JsonNode n, Set<String> known, String prefix, List<FieldError> errors) {
        Iterator<String> names = n.fieldNames();
        while (names.hasNext()) {
            String f = names.next();
            if (!known.contains(f)) {
                errors.add(FieldError.of(
                        prefix + Names.printable(f),
                        "unknown field; expected one of "
                                + String.join(", ", known.stream().sorted().toList())));
            }
        }
    }

    private static String text(
            JsonNode n, String field, Pattern pattern, String at, String what, List<FieldError> errors) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            errors.add(FieldError.of(at + "." + field, "required: " + what));
            return null;
        }
        if (!v.isTextual() || !pattern.matcher(v.textValue()).matches()) {
            errors.add(FieldError.of(at + "." + field, "'" + Names.printable(v.asText()) + "' is not " + what));
            return null;
        }
        return v.textValue();
    }

    private static Map<String, String> labels(JsonNode n, String at, List<FieldError> errors) {
        if (n == null || n.isNull()) {
            return Map.of();
        }
        if (!n.isObject() || n.size() > MAX_LABELS) {
            errors.add(FieldError.of(at, "expected an object of at most " + MAX_LABELS + " string values"));
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> {
            if (!LABEL_KEY.matcher(e.getKey()).matches()) {
                errors.add(FieldError.of(
                        at + "." + Names.printable(e.getKey()), "keys are [A-Za-z0-9_./-], 1 to 253 characters"));
            } else if (!e.getValue().isTextual() || e.getValue().textValue().length() > MAX_LABEL_VALUE) {
                errors.add(FieldError.of(
                        at + "." + e.getKey(), "expected a string of at most " + MAX_LABEL_VALUE + " characters"));
            } else {
                out.put(e.getKey(), e.getValue().textValue());
            }
        });
        return out;
    }
}
