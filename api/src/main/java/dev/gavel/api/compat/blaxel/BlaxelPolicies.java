package dev.gavel.api.compat.blaxel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.api.compat.FaceCaller;
import dev.gavel.api.http.ApiProblem;
import dev.gavel.api.http.FieldError;
import dev.gavel.api.http.Json;
import dev.gavel.api.server.ListCursors;
import dev.gavel.api.server.eval.EvaluationFeature;
import dev.gavel.api.snapshot.SnapshotService;
import dev.gavel.engine.model.Names;
import dev.gavel.engine.model.Policy;
import dev.gavel.engine.model.PolicyType;
import dev.gavel.engine.model.ResourceType;
import dev.gavel.engine.resolve.PolicyDefinition;
import dev.gavel.store.git.FileStamp;
import dev.gavel.store.git.GitPolicyRepository;
import dev.gavel.store.log.LogUnavailableException;
import dev.gavel.store.log.PolicyKey;
import dev.gavel.store.log.ResourceCounts;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** ListPolicies: the workspace's governance policies in the seed's {metadata, spec, usage} shape. */
final class BlaxelPolicies {
    /** The first API version that answers {data, meta} and honours cursor, limit, sort and q. */
    static final LocalDate PAGED_FROM = LocalDate.of(2026, 4, 28);

    static final String VERSION_HEADER = "Blaxel-Version";
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;
    static final int MAX_QUERY = 200;
    /** The window of the evaluation log the usage counts cover. */
    static final Duration USAGE_WINDOW = Duration.ofDays(30);

    static final String SCOPE_LABEL = "gavel.dev/scope";
    private static final Set<String> SORTS = Set.of("createdAt:desc", "createdAt:asc", "name:asc", "name:desc");
    private static final Set<PolicyType> GOVERNANCE =
            Set.of(PolicyType.LOCATION, PolicyType.FLAVOR, PolicyType.MAX_TOKENS);

    private final GitPolicyRepository repository;
    private final SnapshotService snapshots;
    private final EvaluationFeature evaluations;
    private final ListCursors cursors = new ListCursors();

    BlaxelPolicies(GitPolicyRepository repository, SnapshotService snapshots, EvaluationFeature evaluations) {
        this.repository = repository;
        this.snapshots = snapshots;
        this.evaluations = evaluations;
    }

    void list(Context ctx) {
        FaceCaller caller = FaceCaller.of(ctx);
        boolean paged = paged(ctx.header(VERSION_HEADER));
        String sort = "createdAt:desc";
        String query = "";
        int limit = Integer.MAX_VALUE;
        if (paged) {
            sort = Optional.ofNullable(ctx.queryParam("sort"))
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .orElse(sort);
            if (!SORTS.contains(sort)) {
                throw ApiProblem.badRequest(
                        "invalid sort",
                        FieldError.of(
                                "sort",
                                "'" + Names.printable(sort)
                                        + "' is not one of createdAt:desc, createdAt:asc, name:asc, name:desc"));
            }
            limit = limit(ctx.queryParam("limit"));
            String q = Optional.ofNullable(ctx.queryParam("q")).orElse("");
            if (q.length() > MAX_QUERY) {
                throw ApiProblem.badRequest("invalid q", FieldError.of("q", "at most " + MAX_QUERY + " characters"));
            }
            q = q.strip().toLowerCase(Locale.ROOT);
            query = q.length() < 2 ? "" : q;
        }
        Map<String, FileStamp> stamps = repository.fileStamps();
        List<PolicyDefinition> all = snapshots.require().policies().all().stream()
                .filter(d ->
                        caller.owns(d.scope()) && GOVERNANCE.contains(d.policy().type()))
                .toList();
        final String q = query;
        List<PolicyDefinition> items = new ArrayList<>(
                all.stream().filter(d -> q.isEmpty() || matches(d, q)).toList());
        boolean byName = sort.startsWith("name");
        Comparator<ListCursors.Key> order =
                Comparator.comparing(ListCursors.Key::primary).thenComparing(ListCursors.Key::path);
        if (sort.endsWith(":desc")) {
            order = order.reversed();
        }
        Comparator<ListCursors.Key> keyOrder = order;
        Function<PolicyDefinition, ListCursors.Key> keyOf = d -> new ListCursors.Key(
                byName
                        ? d.name()
                        : String.format(
                                "%015d",
                                Optional.ofNullable(stamps.get(d.file()))
                                        .map(s -> s.createdAt().toEpochMilli())
                                        .orElse(0L)),
                d.file());
        items.sort(Comparator.comparing(keyOf, keyOrder));
        if (!paged) {
            Json.ok(ctx, page(caller, items, stamps));
            return;
        }
        // The cursor is bound to the workspace, the sort and the query (the seed's fingerprint).
        String queryHash = ListCursors.hash(String.join("\u0000", "blaxel", caller.tenant(), query));
        int start = 0;
        String cursor = ctx.queryParam("cursor");
        if (cursor != null && !cursor.isBlank()) {
            ListCursors.Key after = cursors.read(cursor.strip(), sort, queryHash);
            while (start < items.size() && keyOrder.compare(keyOf.apply(items.get(start)), after) <= 0) {
                start++;
            }
        }
        int end = (int) Math.min(items.size(), (long) start + limit);
        boolean more = end < items.size();
        ObjectNode out = Json.object();
        out.set("data", page(caller, items.subList(start, end), stamps));
        ObjectNode meta = out.putObject("meta");
        meta.put("hasMore", more);
        meta.put("nextCursor", more ? cursors.issue(sort, queryHash, keyOf.apply(items.get(end - 1))) : "");
        meta.put("total", all.size()); // the workspace's policies: q does not narrow it
        Json.ok(ctx, out);
    }

    private static boolean paged(String version) {
        if (version == null || version.isBlank()) {
            return false;
        }
        try {
            return !LocalDate.parse(version.strip()).isBefore(PAGED_FROM);
        } catch (DateTimeParseException e) {
            throw ApiProblem.badRequest(
                    "invalid API version",
                    FieldError.of(
                            VERSION_HEADER, "'" + Names.printable(version) + "' is not a version date (YYYY-MM-DD)"));
        }
    }

    private static int limit(String raw) {
        if (raw == null || raw.isBlank()) {
            return DEFAULT_LIMIT;
        }
        long n;
        try {
            n = Long.parseLong(raw.strip());
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest("invalid limit", FieldError.of("limit", "an integer from 1 (clamped to 200)"));
        }
        if (n < 1) {
            throw ApiProblem.badRequest("invalid limit", FieldError.of("limit", "an integer from 1 (clamped to 200)"));
        }
        return (int) Math.min(MAX_LIMIT, n);
    }

    /** The seed's search: name, displayName, labels' keys and values (and the scope label of an override). */
    private static boolean matches(PolicyDefinition d, String q) {
        Policy p = d.policy();
        if (p.name().contains(q)
                || p.metadata()
                        .displayName()
                        .map(s -> s.toLowerCase(Locale.ROOT).contains(q))
                        .orElse(false)) {
            return true;
        }
        return labels(d).entrySet().stream()
                .anyMatch(e -> e.getKey().toLowerCase(Locale.ROOT).contains(q)
                        || e.getValue().toLowerCase(Locale.ROOT).contains(q));
    }

    /** The policy's labels; a definition below the workspace's own scope also names its scope. */
    private static Map<String, String> labels(PolicyDefinition d) {
        Map<String, String> labels =
                new java.util.TreeMap<>(d.policy().metadata().labels());
        if (d.scope().segments().size() > 1) {
            labels.put(SCOPE_LABEL, d.scope().dotted());
        }
        return labels;
    }

    private ArrayNode page(FaceCaller caller, List<PolicyDefinition> items, Map<String, FileStamp> stamps) {
        List<PolicyKey> keys = items.stream()
                .map(d -> new PolicyKey(d.name(), d.scope().dotted()))
                .toList();
        Map<PolicyKey, ResourceCounts> used;
        try {
            used = evaluations.log().resourcesUsed(keys, Instant.now().minus(USAGE_WINDOW));
        } catch (LogUnavailableException e) {
            throw ApiProblem.unavailable("the evaluation log cannot be read: " + e.getMessage());
        }
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (int i = 0; i < items.size(); i++) {
            out.add(item(
                    caller,
                    items.get(i),
                    stamps.get(items.get(i).file()),
                    used.getOrDefault(keys.get(i), ResourceCounts.NONE)));
        }
        return out;
    }

    private static ObjectNode item(FaceCaller caller, PolicyDefinition d, FileStamp stamp, ResourceCounts used) {
        Policy p = d.policy();
        ObjectNode n = Json.object();
        ObjectNode md = n.putObject("metadata");
        md.put("name", d.name());
        p.metadata().displayName().ifPresent(v -> md.put("displayName", v));
        ObjectNode labels = md.putObject("labels");
        labels(d).forEach(labels::put);
        if (stamp != null) {
            md.put("createdAt", stamp.createdAt().toString());
            md.put("updatedAt", stamp.updatedAt().toString());
            md.put("createdBy", stamp.createdBy().name());
            md.put("updatedBy", stamp.updatedBy().name());
        }
        md.put("workspace", caller.tenant());
        ObjectNode spec = n.putObject("spec");
        JsonNode settings = p.spec().rawSettings();
        switch (p.type()) {
            case LOCATION -> {
                spec.put("type", "location");
                spec.set("locations", allowed(settings, Set.of("location", "country", "continent")));
            }
            case FLAVOR -> {
                spec.put("type", "flavor");
                spec.set("flavors", allowed(settings, Set.of("cpu", "gpu")));
            }
            default -> {
                spec.put("type", "maxToken");
                ObjectNode mt = spec.putObject("maxTokens");
                for (String f : List.of("granularity", "input", "output", "ratioInputOverOutput", "step", "total")) {
                    if (settings.has(f)) {
                        mt.set(f, settings.get(f));
                    }
                }
            }
        }
        List<ResourceType> types = p.spec().resourceTypes();
        ArrayNode rt = spec.putArray("resourceTypes");
        types.stream().filter(t -> t != ResourceType.JOB).forEach(t -> rt.add(t.value()));
        spec.put("sandbox", types.isEmpty() || types.contains(ResourceType.SANDBOX));
        ObjectNode usage = n.putObject("usage");
        usage.put("agents", used.of("agent"));
        usage.put("functions", used.of("function"));
        usage.put("jobs", used.of("job"));
        usage.put("models", used.of("model"));
        usage.put("sandboxes", used.of("sandbox"));
        return n;
    }

    /** {@code settings.allowed} entries as {name, type}; an entry without a name (any flavor of a type) keeps none. */
    private static ArrayNode allowed(JsonNode settings, Set<String> kinds) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (JsonNode e : settings.path("allowed")) {
            ObjectNode o = out.addObject();
            if (e.hasNonNull("name")) {
                o.put("name", e.get("name").asText());
            }
            String type = e.path("type").asText();
            if (kinds.contains(type)) {
                o.put("type", type);
            }
        }
        return out;
    }
}
