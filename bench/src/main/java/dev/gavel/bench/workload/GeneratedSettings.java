package dev.gavel.bench.workload;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The settings of generated policies, one method per built-in type, drawn from the generator's random
 * source (so the same seed still gives byte-identical files).
 */
final class GeneratedSettings {
    private final Random rnd;

    GeneratedSettings(Random rnd) {
        this.rnd = rnd;
    }

    /** Always allows the core locations, in one of three spellings, plus up to two extras. */
    List<Map<String, Object>> locationsAllowed() {
        List<Map<String, Object>> allowed = new ArrayList<>();
        switch (rnd.nextInt(3)) {
            case 0 -> {
                allowed.add(entry("EU", "continent"));
                allowed.add(entry("NA", "continent"));
            }
            case 1 -> {
                allowed.add(entry("EU", "continent"));
                allowed.add(entry("US", "country"));
                allowed.add(entry("CA", "country"));
            }
            default -> WorkloadGenerator.CORE_LOCATIONS.forEach(l -> allowed.add(entry(l[0], "location")));
        }
        int extras = rnd.nextInt(3);
        for (String[] l : pick(WorkloadGenerator.EDGE_LOCATIONS, extras)) {
            allowed.add(rnd.nextBoolean() ? entry(l[0], "location") : entry(l[1], "country"));
        }
        return allowed;
    }

    List<Map<String, Object>> flavorsAllowed(boolean anyGpu) {
        List<Map<String, Object>> allowed = new ArrayList<>();
        allowed.add(Map.of("type", "cpu"));
        if (anyGpu) {
            allowed.add(Map.of("type", "gpu"));
        } else {
            for (String gpu : WorkloadGenerator.CORE_GPUS) {
                allowed.add(ordered("name", gpu, "type", "gpu"));
            }
            if (rnd.nextDouble() < 0.3) {
                allowed.add(ordered("name", rnd.nextBoolean() ? "b200" : "v100", "type", "gpu"));
            }
        }
        return allowed;
    }

    /** Limits above a normal request (input <= 6,000, output <= 4,000); big requests cross some. */
    Map<String, Object> tokenLimits(boolean partial) {
        Map<String, Object> s = new LinkedHashMap<>();
        if (rnd.nextDouble() < 0.6) {
            s.put("input", 20_000L + 1000L * rnd.nextInt(130));
        }
        if (rnd.nextDouble() < 0.5) {
            s.put("output", 8_000L + 1000L * rnd.nextInt(25));
        }
        if (s.isEmpty() || rnd.nextDouble() < 0.6) {
            s.put("total", 30_000L + 1000L * rnd.nextInt(170));
        }
        if (!partial && rnd.nextDouble() < 0.4) {
            s.put("ratioInputOverOutput", 40L + rnd.nextInt(160));
        }
        if (!partial) {
            s.put("granularity", "request");
            s.put("step", 1000L);
        }
        return s;
    }

    Map<String, Object> heartbeat() {
        Map<String, Object> s = ordered(
                "interval",
                30L * (1 + rnd.nextInt(120)),
                "resource",
                List.of("pods", "namespace", "jobs").get(rnd.nextInt(3)));
        if (s.get("resource").equals("jobs")) {
            s.put("jobFilter", ordered("namespace", "ns-" + rnd.nextInt(100), "priority", (long) rnd.nextInt(3)));
        }
        return s;
    }

    Map<String, Object> sla() {
        int p = 1 + rnd.nextInt(4);
        return ordered(
                "priority",
                "P" + p,
                "appliesTo",
                pick(List.of("incident", "outage", "question", "service-request"), 1 + rnd.nextInt(2)),
                "firstResponseMinutes",
                (long) (15 * p * (1 + rnd.nextInt(4))),
                "resolutionMinutes",
                (long) (240 * p * (1 + rnd.nextInt(4))),
                "businessHoursOnly",
                p > 2);
    }

    Map<String, Object> document(int serial) {
        int major = 1 + rnd.nextInt(3);
        return ordered(
                "version",
                major + "." + rnd.nextInt(10) + ".0",
                "publishedAt",
                String.format("2026-%02d-%02d", 1 + rnd.nextInt(12), 1 + rnd.nextInt(28)),
                "body",
                "# Standard " + serial + "\n\n1. Every workload names an owning team.\n"
                        + "2. Prompts and outputs are logged for " + (30 + rnd.nextInt(300)) + " days.\n"
                        + "3. Report incidents to the platform team within " + (1 + rnd.nextInt(24)) + " hours.\n");
    }

    <T> List<T> pick(List<T> from, int n) {
        List<T> copy = new ArrayList<>(from);
        java.util.Collections.shuffle(copy, rnd);
        return List.copyOf(copy.subList(0, Math.min(n, copy.size())));
    }

    static Map<String, Object> entry(String name, String type) {
        return ordered("name", name, "type", type);
    }

    static Map<String, Object> ordered(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}
