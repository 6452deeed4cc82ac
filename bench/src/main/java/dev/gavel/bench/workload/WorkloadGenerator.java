package dev.gavel.bench.workload;

import dev.gavel.bench.workload.GeneratedPolicy.GeneratedRule;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Generates a policies repository of a given size over a number of tenants, deterministically from a
 * seed: the same arguments give byte-identical files.
 *
 * <p>Shape (docs/engine.md partitions matter here): about 2 % of the policies are global (six fixed
 * guardrails plus generated ones), the rest spread evenly over the tenants, 40 % at tenant level, 25 %
 * app, 20 % agent, 15 % env. Of the tenant policies 15 % override a global policy and 10 % override a
 * policy of their own tenant from a deeper scope (one or two overrides per tenant target the guardrails). Types: location 15 %, flavor 10 %, maxTokens 15 %,
 * heartbeat, sla and document 10 % each, custom 30 % (1 to 3 rules using ==, in, &&, ||, !,
 * startsWith, matches, labels and attributes).
 *
 * <p>Every location policy allows at least the {@link #CORE_LOCATIONS}, every flavor policy at least
 * the {@link #CORE_FLAVORS}, every token limit is above a normal request's size, and custom rules key
 * on values drawn from a pool as large as the repository: so a typical request passes, and what
 * denies or warns is a property of the request ({@link RequestMix}), at any repository size.
 */
public final class WorkloadGenerator {
    public static final int DEFAULT_TENANTS = 50;
    public static final long DEFAULT_SEED = 20_260_101L;

    /** Locations every location policy allows: {name, country, continent}. */
    static final List<String[]> CORE_LOCATIONS = List.of(
            new String[] {"eu-west-1", "IE", "EU"}, new String[] {"eu-central-1", "DE", "EU"},
            new String[] {"eu-north-1", "SE", "EU"}, new String[] {"us-east-1", "US", "NA"},
            new String[] {"us-west-2", "US", "NA"}, new String[] {"ca-central-1", "CA", "NA"});
    /** Locations the global location guardrail does not allow; some tenant overrides do. */
    static final List<String[]> EDGE_LOCATIONS = List.of(
            new String[] {"ap-northeast-1", "JP", "AS"}, new String[] {"ap-south-1", "IN", "AS"},
            new String[] {"sa-east-1", "BR", "SA"}, new String[] {"af-south-1", "ZA", "AF"});
    /** Locations in a sanctioned country: denied by the locked global rule everywhere. */
    static final List<String[]> SANCTIONED_LOCATIONS =
            List.of(new String[] {"ru-central-1", "RU", "EU"}, new String[] {"ir-north-1", "IR", "AS"});

    static final List<String> CORE_GPUS = List.of("l4", "a100", "h100");
    static final List<String> CORE_FLAVORS = List.of("cpu", "l4", "a100", "h100");
    static final String EDGE_GPU = "mi300x";

    static final List<String> APPS = List.of("chat", "search", "billing", "vision", "ingest", "ops");
    static final List<String> AGENTS = List.of("bot", "worker", "planner", "indexer");
    static final List<String> ENVS = List.of("dev", "staging", "prod");
    static final List<String> RESOURCE_TYPES = List.of("model", "function", "agent", "sandbox", "job");
    static final List<String> ACTIONS = List.of("invoke", "deploy", "scale", "read", "network-egress", "delete");

    private final Random rnd;
    private final GeneratedSettings typed;
    private final int size;
    private final int valuePool;
    private final List<GeneratedPolicy> out = new ArrayList<>();
    private final Set<String> paths = new HashSet<>();
    private int serial;

    private WorkloadGenerator(int size, long seed) {
        this.rnd = new Random(seed);
        this.typed = new GeneratedSettings(rnd);
        this.size = size;
        this.valuePool = Math.max(100, size);
    }

    /** A repository of {@code policies} policy files over {@code tenants} tenants. */
    public static Workload generate(int policies, int tenants, long seed) {
        if (policies < 10 || tenants < 1) {
            throw new IllegalArgumentException("need at least 10 policies and 1 tenant");
        }
        return new WorkloadGenerator(policies, seed).build(tenants, seed);
    }

    public static Workload generate(int policies) {
        return generate(policies, DEFAULT_TENANTS, DEFAULT_SEED);
    }

    private Workload build(int tenantCount, long seed) {
        // Scope tree: tenant -> 3 apps -> 2..3 agents -> dev, staging, prod.
        List<String> tenants = new ArrayList<>();
        List<String> apps = new ArrayList<>();
        List<String> agents = new ArrayList<>();
        List<String> envs = new ArrayList<>();
        Map<String, List<List<String>>> byTenant = new LinkedHashMap<>(); // tenant -> [apps, agents, envs]
        for (int t = 0; t < tenantCount; t++) {
            String tenant = String.format("tenant-%02d", t);
            tenants.add(tenant);
            List<List<String>> levels = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            for (String app : pick(APPS, 3)) {
                String a = tenant + "." + app;
                levels.get(0).add(a);
                for (String agent : pick(AGENTS, 2 + rnd.nextInt(2))) {
                    String g = a + "." + agent;
                    levels.get(1).add(g);
                    for (String env : ENVS) {
                        levels.get(2).add(g + "." + env);
                    }
                }
            }
            apps.addAll(levels.get(0));
            agents.addAll(levels.get(1));
            envs.addAll(levels.get(2));
            byTenant.put(tenant, levels);
        }

        int global = Math.max(8, size / 50);
        globalGuardrails();
        while (out.size() < global) {
            GeneratedPolicy p = fresh("", false);
            add(rnd.nextDouble() < 0.05 ? locked(p) : p);
        }
        List<GeneratedPolicy> overridableGlobal =
                out.stream().filter(p -> !p.locked() && !p.paused()).toList();

        int tenantPolicies = size - global;
        int perTenantBase = tenantPolicies / tenantCount;
        int extra = tenantPolicies % tenantCount;
        for (int t = 0; t < tenantCount; t++) {
            String tenant = tenants.get(t);
            List<List<String>> levels = byTenant.get(tenant);
            int n = perTenantBase + (t < extra ? 1 : 0);
            int overrideGlobal = (int) Math.round(n * 0.15);
            int overrideTenant = (int) Math.round(n * 0.10);
            int fresh = n - overrideGlobal - overrideTenant;
            List<GeneratedPolicy> mine = new ArrayList<>();
            for (int i = 0; i < fresh; i++) {
                String scope = scopeAt(tenant, levels, new double[] {0.40, 0.25, 0.20, 0.15});
                GeneratedPolicy p = fresh(scope, true);
                if (p.depth() == 1 && rnd.nextDouble() < 0.03) {
                    p = locked(p);
                }
                add(p);
                mine.add(p);
            }
            // One or two overrides of the guardrails (regions, flavors, token limits, agent rules) per tenant
            // at any size, so the request mix decides alike at 1,000 and 10,000 policies; the rest override
            // any global policy.
            int guardrailOverrides = Math.min(overrideGlobal, 1 + rnd.nextInt(2));
            for (int i = 0; i < overrideGlobal; ) {
                GeneratedPolicy base = i < guardrailOverrides
                        ? overridableGlobal.get(rnd.nextInt(Math.min(4, overridableGlobal.size())))
                        : overridableGlobal.get(4 + rnd.nextInt(overridableGlobal.size() - 4));
                if (addOverrideAt(base, scopeAt(tenant, levels, new double[] {0.30, 0.30, 0.20, 0.20}))) {
                    i++;
                }
            }
            List<GeneratedPolicy> bases = mine.stream()
                    .filter(p -> p.depth() < 4 && !p.locked() && !p.paused())
                    .toList();
            for (int i = 0, tries = 0;
                    i < overrideTenant && !bases.isEmpty() && tries < 100 * overrideTenant;
                    tries++) {
                GeneratedPolicy base = bases.get(rnd.nextInt(bases.size()));
                List<String> below = new ArrayList<>();
                for (List<String> level : levels) {
                    for (String s : level) {
                        if (s.startsWith(base.scope() + ".")) {
                            below.add(s);
                        }
                    }
                }
                if (addOverrideAt(base, below.get(rnd.nextInt(below.size())))) {
                    i++;
                }
            }
            while (out.size() < global + perTenantBase * (t + 1) + Math.min(t + 1, extra)) {
                add(fresh(
                        scopeAt(tenant, levels, new double[] {0.40, 0.25, 0.20, 0.15}),
                        true)); // overrides that found no room
            }
        }
        return new Workload(seed, tenantCount, out, envs, valuePool);
    }

    // ----------------------------------------------------------------- global guardrails

    private void globalGuardrails() {
        add(new GeneratedPolicy(
                "",
                "core-regions",
                "location",
                "block",
                false,
                false,
                List.of("model", "agent", "sandbox"),
                Map.of(
                        "allowed",
                        List.of(
                                GeneratedSettings.entry("EU", "continent"),
                                GeneratedSettings.entry("NA", "continent"))),
                List.of(),
                Optional.empty()));
        add(new GeneratedPolicy(
                "",
                "allowed-flavors",
                "flavor",
                "block",
                false,
                false,
                List.of(),
                Map.of("allowed", typed.flavorsAllowed(false)),
                List.of(),
                Optional.empty()));
        add(new GeneratedPolicy(
                "",
                "token-limits",
                "maxTokens",
                "block",
                false,
                false,
                List.of("model", "agent"),
                ordered(
                        "input",
                        100_000L,
                        "output",
                        16_000L,
                        "total",
                        120_000L,
                        "ratioInputOverOutput",
                        50L,
                        "granularity",
                        "request",
                        "step",
                        1000L),
                List.of(),
                Optional.empty()));
        add(new GeneratedPolicy(
                "",
                "agent-guardrails",
                "custom",
                "warn",
                false,
                false,
                List.of(),
                Map.of(),
                List.of(
                        new GeneratedRule(
                                "no-gpu-in-dev",
                                "flavor.type == \"gpu\" && scope.env == \"dev\"",
                                "deny",
                                "GPUs are not allowed in dev environments."),
                        new GeneratedRule(
                                "sandbox-no-egress",
                                "resource.type == \"sandbox\" && action == \"network-egress\"",
                                "deny",
                                "Sandboxes may not open outbound connections."),
                        new GeneratedRule(
                                "experimental-in-prod",
                                "scope.env == \"prod\" && resource.labels.stage == \"experimental\"",
                                "warn",
                                "Experimental resources should not run in prod.")),
                Optional.empty()));
        add(new GeneratedPolicy(
                "",
                "no-sanctioned-regions",
                "custom",
                "block",
                false,
                true,
                List.of(),
                Map.of(),
                List.of(new GeneratedRule(
                        "sanctioned-country",
                        "location.country in [\"CU\", \"IR\", \"KP\", \"RU\", \"SY\"]",
                        "deny",
                        "Workloads may not run in a sanctioned country.")),
                Optional.empty()));
        add(new GeneratedPolicy(
                "",
                "acceptable-use",
                "document",
                "audit",
                false,
                false,
                List.of(),
                typed.document(serial),
                List.of(),
                Optional.empty()));
    }

    // ----------------------------------------------------------------- fresh policies

    private GeneratedPolicy fresh(String scope, boolean inTenant) {
        double r = rnd.nextDouble();
        String type = r < 0.15
                ? "location"
                : r < 0.25
                        ? "flavor"
                        : r < 0.40
                                ? "maxTokens"
                                : r < 0.50 ? "heartbeat" : r < 0.60 ? "sla" : r < 0.70 ? "document" : "custom";
        String name = switch (type) {
                    case "location" -> "residency";
                    case "flavor" -> "flavors";
                    case "maxTokens" -> "tokens";
                    case "heartbeat" -> "heartbeat";
                    case "sla" -> "sla";
                    case "document" -> "doc";
                    default -> "rules";
                }
                + "-" + (serial++);
        boolean decides = !List.of("heartbeat", "sla", "document").contains(type);
        String enforcement = decides ? enforcement() : "audit";
        boolean paused = decides && rnd.nextDouble() < 0.03;
        List<String> resourceTypes = rnd.nextDouble() < 0.5 ? List.of() : pick(RESOURCE_TYPES, 1 + rnd.nextInt(3));
        Map<String, Object> settings = switch (type) {
            case "location" -> Map.of("allowed", typed.locationsAllowed());
            case "flavor" -> Map.of("allowed", typed.flavorsAllowed(rnd.nextDouble() < 0.2));
            case "maxTokens" -> typed.tokenLimits(false);
            case "heartbeat" -> typed.heartbeat();
            case "sla" -> typed.sla();
            case "document" -> typed.document(serial);
            default -> Map.of();
        };
        List<GeneratedRule> rules = new ArrayList<>();
        if (type.equals("custom")) {
            int n = 1 + rnd.nextInt(3);
            for (int i = 0; i < n; i++) {
                rules.add(customRule("check-" + i));
            }
        } else if (decides && rnd.nextDouble() < 0.1) {
            rules.add(customRule("extra")); // any type may add rules
        }
        return new GeneratedPolicy(
                scope, name, type, enforcement, paused, false, resourceTypes, settings, rules, Optional.empty());
    }

    private String enforcement() {
        double r = rnd.nextDouble();
        return r < 0.45 ? "block" : r < 0.75 ? "warn" : r < 0.95 ? "audit" : "off";
    }

    private static GeneratedPolicy locked(GeneratedPolicy p) {
        return new GeneratedPolicy(
                p.scope(),
                p.name(),
                p.type(),
                p.enforcement(),
                false,
                true,
                p.resourceTypes(),
                p.settings(),
                p.rules(),
                p.overrides());
    }

    /**
     * A custom rule keyed on a value drawn from the pool ({@code svc-<k>-}, {@code team-<k>}, ...), so it
     * hits about 1 request in {@link #valuePool} among those it applies to.
     */
    private GeneratedRule customRule(String name) {
        int k = rnd.nextInt(valuePool);
        int k2 = rnd.nextInt(valuePool);
        String[] country =
                pick(List.of("IE", "DE", "SE", "US", "CA", "JP", "IN"), 2).toArray(String[]::new);
        String when = switch (rnd.nextInt(8)) {
            case 0 -> "resource.name startsWith \"svc-" + k + "-\" && action in [\"deploy\", \"scale\"]";
            case 1 -> "resource.type == \"model\" && resource.name matches \"svc-" + k + "-(canary|beta)[0-9]*\"";
            case 2 ->
                "resource.labels.team == \"team-" + k
                        + "\" && (action == \"delete\" || attributes.priority == \"low\")";
            case 3 -> "attributes.ticket == \"T-" + k + "\" || resource.labels.cost-center == \"cc-" + k2 + "\"";
            case 4 ->
                "scope.env == \"prod\" && resource.labels.tier in [\"tier-" + k + "\", \"tier-" + k2
                        + "\"] && !attributes.approved";
            case 5 ->
                "tokens.total > " + (1000 * (1 + rnd.nextInt(8))) + " && resource.name startsWith \"svc-" + k + "-\"";
            case 6 -> "flavor.type == \"gpu\" && attributes.budget == \"b-" + k + "\"";
            default ->
                "location.country in [\"" + country[0] + "\", \"" + country[1] + "\"] && resource.labels.app == \"app-"
                        + k + "\"";
        };
        String effect = rnd.nextDouble() < 0.6 ? "deny" : "warn";
        return new GeneratedRule(name, when, effect, "Generated rule " + name + " (" + effect + ").");
    }

    // ----------------------------------------------------------------- overrides

    /** Adds an override of {@code base} at {@code scope} unless that scope already defines the name. */
    private boolean addOverrideAt(GeneratedPolicy base, String scope) {
        Map<String, Object> settings = switch (base.type()) {
            case "location" -> Map.of("allowed", typed.locationsAllowed());
            case "flavor" -> Map.of("allowed", typed.flavorsAllowed(rnd.nextDouble() < 0.2));
            case "maxTokens" -> typed.tokenLimits(true);
            case "heartbeat" -> Map.of("interval", 30L * (1 + rnd.nextInt(120)));
            case "sla" -> Map.of("firstResponseMinutes", 5L * (1 + rnd.nextInt(12)));
            case "document" -> Map.of("version", (2 + rnd.nextInt(3)) + ".0.0");
            default -> Map.of();
        };
        List<GeneratedRule> rules = new ArrayList<>();
        if (base.type().equals("custom") && !base.rules().isEmpty()) {
            // Replace one rule by name (a new condition), sometimes add one.
            GeneratedRule replaced = base.rules().get(rnd.nextInt(base.rules().size()));
            GeneratedRule fresh = customRule(replaced.name());
            if (base.name().equals("agent-guardrails")) {
                fresh = replaced; // keep the guardrail's meaning; the override changes its enforcement
            }
            rules.add(fresh);
            if (rnd.nextDouble() < 0.3) {
                rules.add(customRule("local-" + rnd.nextInt(10)));
            }
        }
        String enforcement = List.of("heartbeat", "sla", "document").contains(base.type()) ? "audit" : enforcement();
        GeneratedPolicy p = new GeneratedPolicy(
                scope,
                base.name(),
                base.type(),
                enforcement,
                !enforcement.equals("audit") && rnd.nextDouble() < 0.02,
                false,
                List.of(),
                settings,
                rules,
                Optional.of(base.scope()));
        return add(p);
    }

    // ----------------------------------------------------------------- helpers

    private boolean add(GeneratedPolicy p) {
        if (!paths.add(p.path())) {
            return false;
        }
        out.add(p);
        return true;
    }

    private String scopeAt(String tenant, List<List<String>> levels, double[] weights) {
        double r = rnd.nextDouble();
        double acc = 0;
        for (int level = 0; level < weights.length; level++) {
            acc += weights[level];
            if (r < acc || level == weights.length - 1) {
                if (level == 0) {
                    return tenant;
                }
                List<String> scopes = levels.get(level - 1);
                return scopes.get(rnd.nextInt(scopes.size()));
            }
        }
        throw new AssertionError();
    }

    private <T> List<T> pick(List<T> from, int n) {
        return typed.pick(from, n);
    }

    private static Map<String, Object> ordered(Object... keyValues) {
        return GeneratedSettings.ordered(keyValues);
    }
}
