package dev.gavel.bench.figures;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Figure 3: time from a one-file change to the new policies being served. Each change makes one file
 * decide differently for a probe request that names the change; the harness polls that decision every
 * 10 ms and timestamps the first changed answer. Gavel: a probe policy file at the first tenant, rewritten
 * to deny the resource {@code <method>-<n>}. Cerbos: the largest translated resource policy file, rewritten
 * with one more rule denying the action {@code <method>-<n>} (so Cerbos recompiles that policy, as it
 * would for a real edit of it).
 *
 * <ul>
 *   <li>gavel-hook: {@code git push} into the served bare repository, then {@code POST /api/v1/hooks/git}
 *       (polling set to 1 h so that only the hook can pick the commit up);
 *   <li>gavel-poll: {@code git push} only, {@code --poll 1s};
 *   <li>cerbos-git: {@code git push} into the bare repository the git driver follows ({@code
 *       updatePollInterval} 1s, the same as Gavel's poll);
 *   <li>cerbos-disk-watch: the file rewritten in the disk driver's directory ({@code watchForChanges}).
 * </ul>
 *
 * Every server gets one untimed warm-up change first (a long-running server reloads warm; Gavel's first
 * compile in a fresh JVM is cold, see BENCHMARKS.md). t0 is taken just before {@code git push} (the commit
 * is made before, untimed) or before the file write; the push time is reported too.
 */
final class ReloadFigure {
    static final String PROBE = "flip-probe";
    /** Rest between changes, so that a change never lands while the previous one is still compiling. */
    private static final long SETTLE_MILLIS = 2_000;

    private ReloadFigure() {}

    static Report run(Harness h) throws IOException, InterruptedException {
        Options o = h.options;
        Report report = new Report(3, "one-file change to served (ms), polled every 10 ms")
                .setting("changes_per_method", o.runs())
                .setting("warmup_changes", 1)
                .setting("gavel_poll", "1s")
                .setting("cerbos_git_updatePollInterval", "1s")
                .setting("cerbos_change", "largest translated resource policy + one rule (EFFECT_DENY on a new action)")
                .setting("gavel_hook", "--poll 1h, POST /api/v1/hooks/git after the push")
                .setting("t0", "just before git push (commit made before) / before the file write");
        for (int size : o.sizes()) {
            Workspace w = h.workspace(size);
            gavel(h, w, report, "gavel-hook", "1h", true);
            gavel(h, w, report, "gavel-poll", "1s", false);
            cerbosGit(h, w, report);
            cerbosDisk(h, w, report);
        }
        report.ratio("served_ms", "gavel-hook", "cerbos-git");
        report.ratio("served_ms", "gavel-poll", "cerbos-git");
        report.ratio("served_ms", "gavel-hook", "cerbos-disk-watch");
        return report;
    }

    /** A Gavel policy at the probe tenant that denies the resource {@code name}, and nothing else. */
    static byte[] gavelProbe(String name) {
        return ("""
        apiVersion: gavel/v1
        kind: Policy
        metadata:
          name: %s
          owner: bench
        spec:
          type: custom
          enforcement: block
          rules:
            - name: probe
              when: resource.name == "%s"
              effect: deny
              message: The reload probe.
        """.formatted(PROBE, name)).getBytes(StandardCharsets.UTF_8);
    }

    static String gavelProbeRequest(Workspace w, String name) {
        return """
        {"scope":"%s","resource":{"type":"model","name":"%s"},"action":"invoke",\
        "location":{"name":"eu-west-1","country":"IE","continent":"EU"},"flavor":{"name":"c-small","type":"cpu"},\
        "tokens":{"input":100,"output":100}}""".formatted(w.probeScope(), name);
    }

    /**
     * The translated Cerbos file the probe changes: the largest one (the resource policy of the kind most
     * of the workload's rules apply to), so that Cerbos, like Gavel, recompiles real policies on a change.
     */
    /** {@code scope}: the policy's Cerbos scope ({@code ""} at the root), sent with the probe so it reaches the file. */
    record CerbosFile(String relative, byte[] original, String kind, String scope) {
        static CerbosFile largest(Path dir) throws IOException {
            Path largest;
            try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
                largest = files.filter(f -> f.toString().endsWith(".yaml")
                                && !f.getFileName().toString().startsWith(PROBE))
                        .max(java.util.Comparator.comparingLong(f -> f.toFile().length()))
                        .orElseThrow(() -> new IllegalStateException("no Cerbos policy under " + dir));
            }
            byte[] bytes = Files.readAllBytes(largest);
            com.fasterxml.jackson.databind.JsonNode policy =
                    YAML.readTree(bytes).path("resourcePolicy");
            String kind = policy.path("resource").asText();
            if (kind.isEmpty()) {
                throw new IllegalStateException(largest + " is not a resource policy");
            }
            return new CerbosFile(
                    dir.relativize(largest).toString(),
                    bytes,
                    kind,
                    policy.path("scope").asText(""));
        }

        /** The file plus one rule denying the action {@code action} (no other rule names it) to everyone. */
        byte[] withProbe(String action) throws IOException {
            com.fasterxml.jackson.databind.node.ObjectNode root =
                    (com.fasterxml.jackson.databind.node.ObjectNode) YAML.readTree(original);
            com.fasterxml.jackson.databind.node.ObjectNode rule = ((com.fasterxml.jackson.databind.node.ArrayNode)
                            root.path("resourcePolicy").path("rules"))
                    .addObject();
            rule.put("name", "reload-probe");
            rule.putArray("actions").add(action);
            rule.put("effect", "EFFECT_DENY");
            rule.putArray("roles").add("*");
            return YAML.writeValueAsBytes(root);
        }

        String request(String action) {
            return """
          {"principal":{"id":"bench","roles":["runtime"]},\
          "resources":[{"actions":["%s"],"resource":{"kind":"%s","id":"probe",%s"attr":{}}}]}""".formatted(action, kind, scope.isEmpty() ? "" : "\"scope\":\"" + scope + "\",");
        }
    }

    /** The largest translated Cerbos file is 4.5 MB at 10,000 policies: over SnakeYAML's default 3 M code points. */
    private static final com.fasterxml.jackson.dataformat.yaml.YAMLMapper YAML = largeDocuments();

    private static com.fasterxml.jackson.dataformat.yaml.YAMLMapper largeDocuments() {
        org.yaml.snakeyaml.LoaderOptions options = new org.yaml.snakeyaml.LoaderOptions();
        options.setCodePointLimit(256 * 1024 * 1024);
        return new com.fasterxml.jackson.dataformat.yaml.YAMLMapper(
                com.fasterxml.jackson.dataformat.yaml.YAMLFactory.builder()
                        .loaderOptions(options)
                        .build());
    }

    private static boolean cerbosAllowed(Http.Answer a) {
        return a.ok() && a.body().contains("EFFECT_ALLOW");
    }

    private static boolean gavelFlipped(Http.Answer a) {
        return a.ok()
                && a.body().contains("\"policy\":\"" + PROBE + "\"")
                && a.body().contains("\"decision\":\"deny\"");
    }

    private static boolean cerbosFlipped(Http.Answer a) {
        return a.ok() && a.body().contains("EFFECT_DENY");
    }

    private static void gavel(Harness h, Workspace w, Report report, String subject, String poll, boolean hook)
            throws IOException, InterruptedException {
        Path dir = h.runDir("fig3-" + subject);
        String path = "policies/" + w.probeTenant() + "/" + PROBE + ".yaml";
        try (GavelLauncher.Running g = h.gavel.start(w.gavelRepo(), dir.resolve("data"), h.options.gavelPort(), poll)) {
            h.awaitGavel(g, gavelProbeRequest(w, "probe-0"));
            for (int run = 0; run <= h.options.runs(); run++) { // run 0: warm-up change, not counted
                String name = subject + "-" + run;
                String probe = gavelProbeRequest(w, name);
                if (gavelFlipped(h.http.post(Harness.evaluateUrl(g.server()), g.token(), probe))) {
                    throw new IllegalStateException("probe already denied before the change");
                }
                String commit = Git.commit(w.gavelWork(), path, gavelProbe(name), "Reload probe " + name);
                long t0 = System.nanoTime();
                Git.push(w.gavelWork());
                long pushed = System.nanoTime();
                if (hook) {
                    Http.Answer a = h.http.post(g.server().baseUrl() + "/api/v1/hooks/git", g.token(), "{}");
                    if (!a.ok()) {
                        throw new IllegalStateException("hook answered " + a.status() + " " + a.body());
                    }
                }
                long t1 = h.pollUntil(
                        g.server(),
                        () -> h.http.post(Harness.evaluateUrl(g.server()), g.token(), probe),
                        ReloadFigure::gavelFlipped,
                        900_000);
                if (run > 0) {
                    report.add(w.size(), subject, "served_ms", (t1 - t0) / 1e6);
                    report.add(w.size(), subject, "push_ms", (pushed - t0) / 1e6);
                }
                System.out.printf(
                        "  %s %,d change %d%s: %.0f ms (commit %s)%n",
                        subject, w.size(), run, run == 0 ? " (warm-up)" : "", (t1 - t0) / 1e6, commit.substring(0, 8));
                Thread.sleep(SETTLE_MILLIS);
            }
        } finally {
            Workspace.delete(dir);
        }
    }

    private static void cerbosGit(Harness h, Workspace w, Report report) throws IOException, InterruptedException {
        Path dir = h.runDir("fig3-cerbos-git");
        CerbosFile target = CerbosFile.largest(w.cerbosPolicies());
        String path = Workspace.CERBOS_SUBDIR + "/" + target.relative();
        CerbosLauncher.GitRepo storage =
                new CerbosLauncher.GitRepo(w.cerbosRepo(), Workspace.CERBOS_SUBDIR, dir.resolve("checkout"), "1s");
        try (ServerProcess c = h.cerbos.start(
                storage, CerbosLauncher.Audit.OFF, h.options.cerbosHttpPort(), h.options.cerbosGrpcPort(), dir)) {
            h.awaitCerbos(c, target.request("probe-0"));
            for (int run = 0; run <= h.options.runs(); run++) { // run 0: warm-up change, not counted
                String action = "cerbos-git-" + run;
                String probe = target.request(action);
                if (!cerbosAllowed(h.http.post(Harness.checkUrl(c), null, probe))) {
                    throw new IllegalStateException("probe not allowed before the change");
                }
                Git.commit(w.cerbosWork(), path, target.withProbe(action), "Reload probe " + action);
                long t0 = System.nanoTime();
                Git.push(w.cerbosWork());
                long pushed = System.nanoTime();
                long t1 = h.pollUntil(
                        c, () -> h.http.post(Harness.checkUrl(c), null, probe), ReloadFigure::cerbosFlipped, 900_000);
                if (run > 0) {
                    report.add(w.size(), "cerbos-git", "served_ms", (t1 - t0) / 1e6);
                    report.add(w.size(), "cerbos-git", "push_ms", (pushed - t0) / 1e6);
                }
                System.out.printf(
                        "  cerbos-git %,d change %d%s: %.0f ms%n",
                        w.size(), run, run == 0 ? " (warm-up)" : "", (t1 - t0) / 1e6);
                Thread.sleep(SETTLE_MILLIS);
            }
        } finally {
            Workspace.delete(dir);
        }
    }

    private static void cerbosDisk(Harness h, Workspace w, Report report) throws IOException, InterruptedException {
        Path dir = h.runDir("fig3-cerbos-disk");
        CerbosFile target = CerbosFile.largest(w.cerbosPolicies());
        Path file = w.cerbosPolicies().resolve(target.relative());
        try (ServerProcess c = h.cerbos.start(
                new CerbosLauncher.Disk(w.cerbosPolicies(), true),
                CerbosLauncher.Audit.OFF,
                h.options.cerbosHttpPort(),
                h.options.cerbosGrpcPort(),
                dir)) {
            h.awaitCerbos(c, target.request("probe-0"));
            for (int run = 0; run <= h.options.runs(); run++) { // run 0: warm-up change, not counted
                String action = "cerbos-disk-" + run;
                String probe = target.request(action);
                if (!cerbosAllowed(h.http.post(Harness.checkUrl(c), null, probe))) {
                    throw new IllegalStateException("probe not allowed before the change");
                }
                // Written to a temporary name and renamed, as an editor or a sync tool would, so the watcher never
                // reads half a file.
                Path tmp = file.resolveSibling("." + PROBE + ".tmp");
                byte[] changed = target.withProbe(action);
                long t0 = System.nanoTime();
                Files.write(tmp, changed);
                Files.move(
                        tmp,
                        file,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                long t1 = h.pollUntil(
                        c, () -> h.http.post(Harness.checkUrl(c), null, probe), ReloadFigure::cerbosFlipped, 900_000);
                if (run > 0) {
                    report.add(w.size(), "cerbos-disk-watch", "served_ms", (t1 - t0) / 1e6);
                }
                System.out.printf(
                        "  cerbos-disk-watch %,d change %d%s: %.0f ms%n",
                        w.size(), run, run == 0 ? " (warm-up)" : "", (t1 - t0) / 1e6);
                Thread.sleep(SETTLE_MILLIS);
            }
        } finally {
            Workspace.delete(dir);
            Files.write(file, target.original()); // the disk directory is shared with figures 2 and 4
        }
    }
}
