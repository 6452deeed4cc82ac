package dev.gavel.api.compat.cpod;

import dev.gavel.api.http.ApiProblem;
import dev.gavel.api.http.FieldError;
import dev.gavel.engine.model.Category;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The list operation's query: filters (equality on a field, {@code q} search), soft-deleted records left out
 * unless asked for, a sort, and keyset pagination ({@code limit}, {@code cursor}). A cursor names the last
 * record of its page and the query it belongs to; used with another query it is refused.
 */
record CpodListQuery(
        Map<String, String> filters,
        String q,
        boolean includeDeleted,
        String sort,
        boolean descending,
        int limit,
        Cursor after) {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;
    static final List<String> FILTERS = List.of(
            "category", "status", "owner_id", "priority", "source", "source_type", "app_id", "tag", "is_deleted");
    static final List<String> SORTS = List.of("created_at", "updated_at", "name", "next_review_at", "published_at");
    static final List<String> PARAMS;

    static {
        List<String> p = new ArrayList<>(FILTERS);
        p.addAll(List.of("q", "include_deleted", "sort", "limit", "cursor"));
        PARAMS = List.copyOf(p);
    }

    /** Where the previous page ended: the sort key and id of its last record, and the query's fingerprint. */
    record Cursor(String key, String id, String query) {}

    static CpodListQuery of(Context ctx) {
        List<FieldError> errors = new ArrayList<>();
        for (String k : ctx.queryParamMap().keySet()) {
            if (!PARAMS.contains(k)) {
                errors.add(FieldError.of(printable(k), "unknown query parameter; known: " + String.join(", ", PARAMS)));
            }
        }
        Map<String, String> filters = new TreeMap<>();
        for (String f : FILTERS) {
            String v = ctx.queryParam(f);
            if (v != null) {
                filters.put(f, v);
            }
        }
        if (filters.containsKey("category")
                && Category.fromValue(filters.get("category")).isEmpty()) {
            errors.add(FieldError.of("category", "one of " + String.join(", ", Category.spellings())));
        }
        if (filters.containsKey("is_deleted") && !List.of("true", "false").contains(filters.get("is_deleted"))) {
            errors.add(FieldError.of("is_deleted", "true or false"));
        }
        String inc = ctx.queryParam("include_deleted");
        if (inc != null && !List.of("true", "false").contains(inc)) {
            errors.add(FieldError.of("include_deleted", "true or false"));
        }
        String sortParam = Objects.requireNonNullElse(ctx.queryParam("sort"), "created_at");
        boolean desc = sortParam.startsWith("-");
        String sort = desc ? sortParam.substring(1) : sortParam;
        if (!SORTS.contains(sort)) {
            errors.add(
                    FieldError.of("sort", "one of " + String.join(", ", SORTS) + ", with '-' in front for descending"));
        }
        int limit = DEFAULT_LIMIT;
        String l = ctx.queryParam("limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                errors.add(FieldError.of("limit", "an integer from 1 to " + MAX_LIMIT));
            }
        }
        String q = ctx.queryParam("q");
        if (!errors.isEmpty()) {
            throw ApiProblem.badRequest(
                    "invalid query; " + errors.get(0).field() + ": "
                            + errors.get(0).message(),
                    errors);
        }
        CpodListQuery query = new CpodListQuery(
                filters, q == null || q.isBlank() ? null : q.strip(), "true".equals(inc), sort, desc, limit, null);
        String c = ctx.queryParam("cursor");
        if (c == null || c.isEmpty()) {
            return query;
        }
        Cursor cursor = decode(c);
        if (cursor == null || !cursor.query().equals(query.fingerprint())) {
            throw ApiProblem.badRequest(
                    "the cursor is not one this query returned",
                    List.of(FieldError.of(
                            "cursor", "not a cursor of this query (filters, q and sort must stay the same)")));
        }
        return new CpodListQuery(filters, query.q(), query.includeDeleted(), sort, desc, limit, cursor);
    }

    /** The records of this query, in order, one page, with the total that match. */
    CpodRecord.Page page(List<CpodRecord> all) {
        List<CpodRecord> matching =
                all.stream().filter(this::matches).sorted(order()).toList();
        int from = 0;
        // keyset: the page starts at the first record that sorts after the cursor's (key, id)
        while (after != null && from < matching.size() && compareToCursor(matching.get(from)) <= 0) {
            from++;
        }
        int to = Math.min(matching.size(), from + limit);
        List<CpodRecord> page = matching.subList(from, to);
        boolean more = to < matching.size();
        String next = more
                ? encode(new Cursor(
                        key(page.get(page.size() - 1)),
                        page.get(page.size() - 1).id(),
                        fingerprint()))
                : null;
        return new CpodRecord.Page(page, more, next, matching.size());
    }

    boolean matches(CpodRecord r) {
        String deleted = filters.get("is_deleted");
        if (deleted != null ? r.deleted() != Boolean.parseBoolean(deleted) : r.deleted() && !includeDeleted) {
            return false;
        }
        for (Map.Entry<String, String> f : filters.entrySet()) {
            String v = f.getValue();
            boolean ok = switch (f.getKey()) {
                case "category" -> v.equals(r.category());
                case "status" -> v.equals(r.status());
                case "owner_id" -> v.equals(r.ownerId());
                case "priority" -> v.equals(r.priority());
                case "source" -> v.equals(r.source());
                case "source_type" -> v.equals(r.sourceType());
                case "app_id" -> v.equals(r.appId());
                case "tag" -> r.tags().contains(v);
                default -> true;
            };
            if (!ok) {
                return false;
            }
        }
        if (q == null) {
            return true;
        }
        String needle = q.toLowerCase(Locale.ROOT);
        return contains(r.name(), needle)
                || contains(r.description(), needle)
                || contains(r.body(), needle)
                || r.tags().stream().anyMatch(t -> contains(t, needle));
    }

    private static boolean contains(String hay, String needle) {
        return hay != null && hay.toLowerCase(Locale.ROOT).contains(needle);
    }

    /** The sort key as text that orders like the value: instants as ISO text of fixed width, names lower-cased. */
    String key(CpodRecord r) {
        Function<Instant, String> t = i -> i == null
                ? ""
                : String.format(Locale.ROOT, "%020d%09d", i.getEpochSecond() + 100_000_000_000L, i.getNano());
        return switch (sort) {
            case "updated_at" -> t.apply(r.updatedAt());
            case "name" -> r.name() == null ? "" : r.name().toLowerCase(Locale.ROOT);
            case "next_review_at" -> t.apply(r.nextReviewAt());
            case "published_at" -> t.apply(r.publishedAt());
            default -> t.apply(r.createdAt());
        };
    }

    private Comparator<CpodRecord> order() {
        Comparator<CpodRecord> c = Comparator.comparing(this::key).thenComparing(CpodRecord::id);
        return descending ? c.reversed() : c;
    }

    private int compareToCursor(CpodRecord r) {
        int c = key(r).compareTo(after.key());
        if (c == 0) {
            c = r.id().compareTo(after.id());
        }
        return descending ? -c : c;
    }

    /** What a cursor is bound to: everything but the limit and the cursor. */
    String fingerprint() {
        return Integer.toHexString(Objects.hash(filters, q, includeDeleted, sort, descending));
    }

    static String encode(Cursor c) {
        String raw = c.key() + "\n" + c.id() + "\n" + c.query();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String text) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split("\n", -1);
            return parts.length == 3 ? new Cursor(parts[0], parts[1], parts[2]) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String printable(String s) {
        return dev.gavel.engine.model.Names.printable(s);
    }
}
