package dev.gavel.bench.workload;

import dev.gavel.engine.eval.Request;
import dev.gavel.engine.snapshot.CompileResult;
import dev.gavel.engine.snapshot.PolicySnapshot;
import dev.gavel.engine.snapshot.SnapshotCompiler;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Prints what the generator produces for each size and the decisions of its request mix, and fails
 * when a mix is off target. Usage: {@code WorkloadReport [--requests N] [--why] [SIZE...]}
 * ({@code --why} counts the matches behind the decisions) (default 100 1000 10000).
 */
public final class WorkloadReport {
    private WorkloadReport() {}

    public static void main(String[] args) {
        int requests = 10_000;
        boolean why = false;
        List<Integer> sizes = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--why")) {
                why = true;
            } else if (args[i].equals("--requests")) {
                requests = Integer.parseInt(args[++i]);
            } else {
                sizes.add(Integer.parseInt(args[i]));
            }
        }
        if (sizes.isEmpty()) {
            sizes = List.of(100, 1_000, 10_000);
        }
        boolean ok = true;
        for (int size : sizes) {
            Workload w = WorkloadGenerator.generate(size);
            Map<String, byte[]> files = w.files();
            long bytes = files.values().stream().mapToLong(b -> b.length).sum();
            PolicySnapshot snapshot = compile(files);
            List<Request> mix = RequestMix.generate(w, w.seed(), requests);
            DecisionMix decisions = DecisionMix.of(snapshot, mix);
            long rules = snapshot.partitions().values().stream()
                    .mapToLong(p -> p.rules().size())
                    .sum();
            System.out.printf(
                    Locale.ROOT,
                    "%,d policies (%,d KiB of YAML) over %d tenants: by type %s, by depth "
                            + "global/tenant/app/agent/env %s, %d overrides, %d partitions, %,d generated rules (global %,d)%n",
                    w.policies().size(),
                    bytes / 1024,
                    w.tenants(),
                    w.countByType(),
                    Arrays.toString(w.countByDepth()),
                    w.overrides(),
                    snapshot.partitions().size(),
                    rules,
                    snapshot.partitions().get("").rules().size());
            System.out.println("  " + decisions);
            if (why) {
                Map<String, Integer> denyBy = new java.util.TreeMap<>();
                Map<String, Integer> warnBy = new java.util.TreeMap<>();
                for (Request r : mix) {
                    var e = snapshot.evaluate(r);
                    for (var m : e.matches()) {
                        String key = m.policy().replaceAll("-[0-9]+$", "-N") + "/"
                                + m.rule().replaceAll("-[0-9]+$", "-N")
                                + (m.definedAt().isGlobal() ? " (global)" : " (tenant)") + " " + m.enforcement() + " "
                                + m.effect();
                        (e.decision() == dev.gavel.engine.model.Decision.DENY ? denyBy : warnBy)
                                .merge(key, 1, Integer::sum);
                    }
                }
                System.out.println("  matches in denied requests: " + denyBy);
                System.out.println("  matches in other requests: " + warnBy);
            }
            try {
                decisions.requireTargetShares();
            } catch (IllegalStateException e) {
                System.out.println("  OFF TARGET");
                ok = false;
            }
        }
        if (!ok) {
            System.exit(1);
        }
    }

    static PolicySnapshot compile(Map<String, byte[]> files) {
        CompileResult result = SnapshotCompiler.compile("c0", files, Optional.empty());
        if (result instanceof CompileResult.Rejected rejected) {
            throw new IllegalStateException("generated repository rejected: "
                    + rejected.diagnostics()
                            .subList(0, Math.min(5, rejected.diagnostics().size())));
        }
        return ((CompileResult.Compiled) result).snapshot();
    }
}
