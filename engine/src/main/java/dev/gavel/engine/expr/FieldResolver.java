package dev.gavel.engine.expr;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Resolves a dotted path to a request field, with "did you mean" suggestions. The known paths form
 * a tree; {@code resource.flavor.*} and {@code resource.location.*} are aliases of {@code flavor.*}
 * and {@code location.*} and resolve to the same {@link Field}.
 */
final class FieldResolver {

    /** A resolved path; attributes get their type from the predicate they are used in. */
    sealed interface Target {}

    record Resolved(FieldRef ref) implements Target {}

    record AttributeKey(String key, Position pos) implements Target {}

    private sealed interface Node {}

    private record Leaf(Field field, int scopeIndex, String scopeLevel) implements Node {}

    private enum Keyed implements Node {
        LABELS,
        ATTRIBUTES
    }

    private record Branch(Map<String, Node> children) implements Node {}

    private final Branch root;

    FieldResolver(RequestSchema schema) {
        Branch location = branch(
                "name",
                leaf(Field.LOCATION_NAME),
                "country",
                leaf(Field.LOCATION_COUNTRY),
                "continent",
                leaf(Field.LOCATION_CONTINENT));
        Branch flavor = branch("name", leaf(Field.FLAVOR_NAME), "type", leaf(Field.FLAVOR_TYPE));
        Branch resource = branch(
                "type",
                leaf(Field.RESOURCE_TYPE),
                "name",
                leaf(Field.RESOURCE_NAME),
                "labels",
                Keyed.LABELS,
                "flavor",
                flavor,
                "location",
                location);
        Branch tokens = branch(
                "input",
                leaf(Field.TOKENS_INPUT),
                "output",
                leaf(Field.TOKENS_OUTPUT),
                "total",
                leaf(Field.TOKENS_TOTAL));
        Map<String, Node> levels = new LinkedHashMap<>();
        List<String> names = schema.scopeLevels();
        for (int i = 0; i < names.size(); i++) {
            levels.put(names.get(i), new Leaf(null, i, names.get(i)));
        }
        root = branch(
                "resource",
                resource,
                "action",
                leaf(Field.ACTION),
                "scope",
                new Branch(levels),
                "location",
                location,
                "flavor",
                flavor,
                "tokens",
                tokens,
                "attributes",
                Keyed.ATTRIBUTES);
    }

    /**
     * @param path the dotted path as written
     * @param quotedKey the key of {@code path["key"]}, or null
     */
    Target resolve(String path, String quotedKey, Position pos) {
        String[] segments = path.split("\\.", -1);
        Node node = root;
        for (int i = 0; i < segments.length; i++) {
            String prefix = join(segments, i);
            if (node instanceof Keyed keyed) {
                if (quotedKey != null || i != segments.length - 1) {
                    throw new SyntaxError(
                            pos,
                            "a key is one name of letters, digits, '_' and '-'; write "
                                    + prefix + "[\""
                                    + String.join(".", List.of(segments).subList(i, segments.length))
                                    + "\"] for other keys");
                }
                return keyed(
                        keyed,
                        segments[i],
                        pos,
                        FieldRef.KEY.matcher(segments[i]).matches());
            }
            if (node instanceof Leaf) {
                throw new SyntaxError(pos, "'" + prefix + "' has no field '" + segments[i] + "'");
            }
            Branch branch = (Branch) node;
            Node child = branch.children().get(segments[i]);
            if (child == null) {
                String known = prefix.isEmpty() ? "" : prefix + ".";
                String unknown = known + segments[i];
                String suggestion = suggest(segments[i], branch.children().keySet());
                throw new SyntaxError(
                        pos,
                        suggestion != null
                                ? "unknown field '" + unknown + "' — did you mean '" + known + suggestion + "'?"
                                : "unknown field '" + unknown + "'; "
                                        + (prefix.isEmpty() ? "fields start with " : "'" + prefix + "' has ")
                                        + String.join(", ", branch.children().keySet()));
            }
            node = child;
        }
        if (node instanceof Keyed keyed) {
            if (quotedKey == null) {
                throw new SyntaxError(
                        pos, "'" + path + "' needs a key, e.g. " + path + (keyed == Keyed.LABELS ? ".team" : ".tier"));
            }
            return keyed(
                    keyed,
                    quotedKey,
                    pos,
                    FieldRef.QUOTED_KEY.matcher(quotedKey).matches());
        }
        if (quotedKey != null) {
            throw new SyntaxError(pos, "'" + path + "' takes no key in [...]; only resource.labels and attributes do");
        }
        if (node instanceof Branch branch) {
            List<String> options = new ArrayList<>();
            branch.children().keySet().forEach(name -> options.add(path + "." + name));
            throw new SyntaxError(pos, "'" + path + "' is not a field; use one of " + String.join(", ", options));
        }
        Leaf leaf = (Leaf) node;
        return new Resolved(
                leaf.field() != null
                        ? new FieldRef.Fixed(leaf.field(), pos)
                        : new FieldRef.Scope(leaf.scopeIndex(), leaf.scopeLevel(), pos));
    }

    private static Target keyed(Keyed keyed, String key, Position pos, boolean valid) {
        if (!valid) {
            throw new SyntaxError(
                    pos,
                    "invalid key '" + key + "': keys are 1 to 63 letters, digits, '_' or '-'"
                            + " (in [\"...\"] also '.' and '/', up to 253)");
        }
        return keyed == Keyed.LABELS ? new Resolved(new FieldRef.Label(key, pos)) : new AttributeKey(key, pos);
    }

    /** The closest known name within a small edit distance, ignoring case, or null. */
    static String suggest(String word, Iterable<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String lower = word.toLowerCase(Locale.ROOT);
        for (String candidate : candidates) {
            int distance = levenshtein(lower, candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        int allowed = Math.max(1, Math.min(3, word.length() / 3));
        return best != null && bestDistance <= allowed ? best : null;
    }

    static int levenshtein(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static String join(String[] segments, int count) {
        return String.join(".", List.of(segments).subList(0, count));
    }

    private static Leaf leaf(Field field) {
        return new Leaf(field, -1, null);
    }

    private static Branch branch(Object... namesAndNodes) {
        Map<String, Node> children = new LinkedHashMap<>();
        for (int i = 0; i < namesAndNodes.length; i += 2) {
            children.put((String) namesAndNodes[i], (Node) namesAndNodes[i + 1]);
        }
        return new Branch(children);
    }
}
