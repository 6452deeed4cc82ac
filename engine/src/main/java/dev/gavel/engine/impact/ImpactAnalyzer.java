package dev.gavel.engine.impact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.engine.model.ScopePath;
import dev.gavel.engine.parse.Diagnostic;
import dev.gavel.engine.parse.PolicyWriter;
import dev.gavel.engine.resolve.PolicyDefinition;
import dev.gavel.engine.resolve.ResolvedPolicy;
import dev.gavel.engine.snapshot.PolicySnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Compares the resolved policies of two snapshots scope by scope: for the global scope and every
 * directory holding policies in either version, which policies apply there only before (removed),
 * only after (added), or differently (changed, field by field with the scope each value came from).
 * Resolved views are compared rather than files, so a change to a global policy shows at every scope
 * that inherits it and an override shows only where it applies.
 */
public final class ImpactAnalyzer {
    private static final Comparator<ScopePath> SHALLOW_FIRST =
            Comparator.comparingInt(ScopePath::depth).thenComparing(ScopePath::dotted);

    private ImpactAnalyzer() {}

    public static Impact compare(PolicySnapshot base, PolicySnapshot head) {
        TreeSet<ScopePath> scopes = new TreeSet<>(SHALLOW_FIRST);
        scopes.add(ScopePath.GLOBAL);
        scopes.addAll(base.policies().scopes());
        scopes.addAll(head.policies().scopes());
        List<ScopeImpact> impacts = new ArrayList<>();
        List<EnforcementChange> enforcement = new ArrayList<>();
        for (ScopePath scope : scopes) {
            Map<String, ResolvedPolicy> before = byName(base.resolve(scope));
            Map<String, ResolvedPolicy> after = byName(head.resolve(scope));
            TreeSet<String> names = new TreeSet<>(before.keySet());
            names.addAll(after.keySet());
            List<PolicyChange> changes = new ArrayList<>();
            for (String name : names) {
                ResolvedPolicy b = before.get(name);
                ResolvedPolicy a = after.get(name);
                if (b == null) {
                    changes.add(new PolicyChange(
                            name, PolicyChange.Kind.ADDED, Optional.empty(), Optional.of(a), List.of()));
                } else if (a == null) {
                    changes.add(new PolicyChange(
                            name, PolicyChange.Kind.REMOVED, Optional.of(b), Optional.empty(), List.of()));
                } else {
                    List<FieldChange> fields = diff(b, a);
                    if (!fields.isEmpty() || !layerFiles(b).equals(layerFiles(a))) {
                        changes.add(new PolicyChange(
                                name, PolicyChange.Kind.CHANGED, Optional.of(b), Optional.of(a), fields));
                    }
                    var bs = b.policy().spec();
                    var as = a.policy().spec();
                    // A paused policy's enforcement does nothing: only a change of what applies is listed.
                    if (!EnforcementChange.effective(bs.enforcement(), bs.status())
                            .equals(EnforcementChange.effective(as.enforcement(), as.status()))) {
                        enforcement.add(new EnforcementChange(
                                scope, name, bs.enforcement(), bs.status(), as.enforcement(), as.status()));
                    }
                }
            }
            if (!changes.isEmpty()) {
                impacts.add(new ScopeImpact(scope, changes));
            }
        }
        return new Impact(List.copyOf(scopes), impacts, enforcement);
    }

    /**
     * The diagnostics of a compile that are lock violations: a definition below a locked policy
     * (which the resolver reports as an override of the locked policy).
     */
    public static List<Diagnostic> lockViolations(List<Diagnostic> diagnostics) {
        return diagnostics.stream()
                .filter(d -> d.isError() && d.message().contains("overrides the locked policy"))
                .toList();
    }

    /** The fields whose values differ, with the scope each side's value came from. */
    static List<FieldChange> diff(ResolvedPolicy before, ResolvedPolicy after) {
        List<FieldChange> out = new ArrayList<>();
        diff("", comparable(before), comparable(after), before, after, out);
        return out;
    }

    private static void diff(
            String path, JsonNode b, JsonNode a, ResolvedPolicy before, ResolvedPolicy after, List<FieldChange> out) {
        if (b != null && a != null && b.equals(a)) {
            return;
        }
        if (b != null && a != null && b.isObject() && a.isObject()) {
            TreeSet<String> keys = new TreeSet<>();
            b.fieldNames().forEachRemaining(keys::add);
            a.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                diff(path.isEmpty() ? k : path + "." + k, b.get(k), a.get(k), before, after, out);
            }
            return;
        }
        // Scalars and arrays are compared whole: settings arrays replace rather than merge, so a
        // changed list is one change.
        out.add(new FieldChange(
                path,
                Optional.ofNullable(b),
                Optional.ofNullable(a),
                b == null ? Optional.empty() : Optional.of(origin(before, path)),
                a == null ? Optional.empty() : Optional.of(origin(after, path))));
    }

    /** The policy's JSON form with rules keyed by name, so a rule is compared with its namesake. */
    private static ObjectNode comparable(ResolvedPolicy r) {
        ObjectNode tree = PolicyWriter.tree(r.policy());
        ObjectNode spec = (ObjectNode) tree.get("spec");
        JsonNode rules = spec.get("rules");
        if (rules != null && rules.isArray()) {
            ObjectNode byName = spec.objectNode();
            for (JsonNode rule : rules) {
                ObjectNode copy = rule.deepCopy();
                String name = copy.remove("name").asText();
                byName.set(name, copy);
            }
            spec.set("rules", byName);
        }
        return tree;
    }

    /**
     * The scope a field's value came from: the provenance of the field or of its nearest recorded
     * ancestor; for a subtree, the nearest scope among its recorded leaves; else the nearest layer.
     */
    static ScopePath origin(ResolvedPolicy r, String path) {
        Map<String, ScopePath> provenance = r.provenance();
        for (String p = path; !p.isEmpty(); p = parentOf(p)) {
            ScopePath s = provenance.get(p);
            if (s != null) {
                return s;
            }
        }
        return provenance.entrySet().stream()
                .filter(e -> e.getKey().startsWith(path + "."))
                .map(Map.Entry::getValue)
                .max(Comparator.comparingInt(ScopePath::depth))
                .orElse(r.definedAt());
    }

    private static String parentOf(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "" : path.substring(0, dot);
    }

    private static List<String> layerFiles(ResolvedPolicy r) {
        return r.layers().stream().map(PolicyDefinition::file).toList();
    }

    private static Map<String, ResolvedPolicy> byName(List<ResolvedPolicy> resolved) {
        return resolved.stream()
                .collect(Collectors.toMap(ResolvedPolicy::name, Function.identity(), (x, y) -> x, TreeMap::new));
    }
}
