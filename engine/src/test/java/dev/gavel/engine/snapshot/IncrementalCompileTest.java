package dev.gavel.engine.snapshot;

import static dev.gavel.engine.snapshot.SnapshotCompilerTest.policy;
import static dev.gavel.engine.snapshot.SnapshotCompilerTest.repo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gavel.engine.compile.CompiledPartition;
import dev.gavel.engine.eval.Evaluation;
import dev.gavel.engine.eval.Match;
import dev.gavel.engine.eval.Request;
import dev.gavel.engine.model.ScopePath;
import dev.gavel.engine.resolve.TemplatePolicies;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A commit compiled with the previous snapshot redoes only what it changed (definitions re-merged,
 * rules generated, partitions built) and yields the same snapshot as a full compile of its files:
 * the same rules in every partition, the same side tables and the same decisions.
 */
class IncrementalCompileTest {
    private static final List<String> SCOPES = List.of(
            "",
            "acme",
            "acme.chat",
            "acme.chat.support-bot",
            "acme.chat.support-bot.dev",
            "acme.chat.support-bot.prod",
            "acme.search",
            "globex",
            "globex.x.y.prod",
            "initech");

    static String replace(Map<String, byte[]> files, String path, String from, String to) {
        String text = new String(files.get(path), StandardCharsets.UTF_8);
        assertThat(text).contains(from);
        return text.replace(from, to);
    }

    static CompileResult.Compiled compile(String commit, Map<String, byte[]> files, PolicySnapshot previous) {
        CompileResult r = SnapshotCompiler.compile(commit, files, Optional.ofNullable(previous));
        assertThat(r).as("diagnostics: %s", r.diagnostics()).isInstanceOf(CompileResult.Compiled.class);
        return (CompileResult.Compiled) r;
    }

    /** The incremental snapshot equals a full compile of the same files: rules, side tables, decisions. */
    static void sameAsFullCompile(PolicySnapshot incremental, Map<String, byte[]> files) {
        PolicySnapshot full = compile("full", files, null).snapshot();
        assertThat(incremental.partitions().keySet())
                .isEqualTo(full.partitions().keySet());
        for (Map.Entry<String, CompiledPartition> e : full.partitions().entrySet()) {
            CompiledPartition mine = incremental.partitions().get(e.getKey());
            assertThat(mine.drl())
                    .as("partition '%s'", e.getKey())
                    .isEqualTo(e.getValue().drl());
            assertThat(mine.rules())
                    .as("side table of '%s'", e.getKey())
                    .isEqualTo(e.getValue().rules());
        }
        for (String scope : SCOPES) {
            for (long total : new long[] {10, 45_000, 60_000, 200_000}) {
                Request r = new Request(
                        scope.isEmpty() ? List.of() : ScopePath.parse(scope).segments(),
                        new Request.Resource("model", "m", Map.of()),
                        "deploy",
                        new Request.Location("eu-west-1", "IE", "EU"),
                        new Request.Flavor("c7", "cpu"),
                        new Request.Tokens(total / 2, total / 2, total),
                        Map.of());
                Evaluation a = incremental.evaluate(r);
                Evaluation b = full.evaluate(r);
                assertThat(a.matches()).as("%s total %d", scope, total).isEqualTo(b.matches());
                assertThat(a.missing()).isEqualTo(b.missing());
                assertThat(a.decision()).isEqualTo(b.decision());
            }
        }
    }

    @Test
    @DisplayName(
            "a tenant's change re-merges and regenerates only the definitions it layers into, and builds only that tenant")
    void tenantChange() {
        Map<String, byte[]> files = TemplatePolicies.files();
        CompileResult.Compiled first = compile("a", files, null);
        int definitions = first.snapshot().policies().all().size();
        assertThat(first.snapshot().compileWork().regeneratedDefinitions()).isEqualTo(definitions);

        Map<String, byte[]> changed = new TreeMap<>(files);
        String path = "policies/acme/token-limits.yaml";
        changed.put(path, replace(files, path, "total: 50000", "total: 40000").getBytes(StandardCharsets.UTF_8));
        CompileResult.Compiled second = compile("b", changed, first.snapshot());

        // acme's token-limits and the three definitions below it that merge it (acme.chat, support-bot, dev, prod).
        long layered = changed.keySet().stream()
                .filter(p -> p.startsWith("policies/acme/") && p.endsWith("/token-limits.yaml"))
                .count();
        assertThat(layered).isEqualTo(5);
        assertThat(second.snapshot().compileWork().mergedDefinitions()).isEqualTo((int) layered);
        assertThat(second.snapshot().compileWork().regeneratedDefinitions()).isEqualTo((int) layered);
        assertThat(second.rebuiltPartitions()).containsExactly("acme");
        assertThat(second.snapshot().partitions().get(""))
                .isSameAs(first.snapshot().partitions().get(""));
        sameAsFullCompile(second.snapshot(), changed);
    }

    @Test
    @DisplayName("a global change regenerates the global definition and the overrides that merge it, nothing else")
    void globalChangeMergedIntoOverrides() {
        Map<String, byte[]> files = TemplatePolicies.files();
        CompileResult.Compiled first = compile("a", files, null);
        Map<String, byte[]> changed = new TreeMap<>(files);
        String path = "policies/token-limits.yaml";
        changed.put(
                path,
                replace(files, path, "ratioInputOverOutput: 50", "ratioInputOverOutput: 40")
                        .getBytes(StandardCharsets.UTF_8));
        CompileResult.Compiled second = compile("b", changed, first.snapshot());

        long tokenLimits = changed.keySet().stream()
                .filter(p -> p.endsWith("/token-limits.yaml"))
                .count();
        assertThat(second.snapshot().compileWork().regeneratedDefinitions()).isEqualTo((int) tokenLimits);
        assertThat(second.rebuiltPartitions()).containsExactlyInAnyOrder("", "acme");
        sameAsFullCompile(second.snapshot(), changed);

        // And back: a third commit equal to the first yields the first's rules.
        CompileResult.Compiled third = compile("c", files, second.snapshot());
        sameAsFullCompile(third.snapshot(), files);
    }

    @Test
    @DisplayName("random commits (files added, changed, removed; overrides, locks, type changes) compiled on the"
            + " previous snapshot equal a full compile of their files, or are refused with the same diagnostics")
    void randomCommitsEqualFullCompiles() {
        String[] names = {"a", "b", "c", "d", "e"};
        for (long seed = 1; seed <= 4; seed++) {
            java.util.Random random = new java.util.Random(seed);
            Map<String, byte[]> files = new TreeMap<>();
            Map<String, byte[]> servedFiles = files;
            PolicySnapshot served = null;
            int compiled = 0;
            int refused = 0;
            for (int step = 0; step < 60; step++) {
                Map<String, byte[]> next = new TreeMap<>(files);
                for (int change = random.nextInt(3); change >= 0; change--) {
                    String scope = SCOPES.get(random.nextInt(SCOPES.size()));
                    String name = names[random.nextInt(names.length)];
                    String path = scope.isEmpty()
                            ? "policies/" + name + ".yaml"
                            : "policies/" + scope.replace('.', '/') + "/" + name + ".yaml";
                    if (next.containsKey(path) && random.nextInt(10) < 3) {
                        next.remove(path);
                    } else {
                        next.put(path, randomPolicy(random, name).getBytes(StandardCharsets.UTF_8));
                    }
                }
                CompileResult incremental = SnapshotCompiler.compile("s" + step, next, Optional.ofNullable(served));
                CompileResult full = SnapshotCompiler.compile("full", next, Optional.empty());
                String at = "seed " + seed + " step " + step;
                assertThat(incremental.getClass()).as(at).isEqualTo(full.getClass());
                assertThat(incremental.diagnostics()).as(at).isEqualTo(full.diagnostics());
                if (incremental instanceof CompileResult.Compiled ok) {
                    PolicySnapshot mine = ok.snapshot();
                    PolicySnapshot theirs = ((CompileResult.Compiled) full).snapshot();
                    assertThat(mine.policies().all())
                            .as(at)
                            .isEqualTo(theirs.policies().all());
                    for (String scope : SCOPES) {
                        assertThat(mine.resolve(ScopePath.parse(scope)))
                                .as(at + " scope " + scope)
                                .isEqualTo(theirs.resolve(ScopePath.parse(scope)));
                    }
                    sameAsFullCompile(mine, next);
                    served = mine;
                    servedFiles = next;
                    compiled++;
                    files = next;
                } else {
                    refused++;
                    // A refused commit is usually fixed soon: most walks go back to the served files.
                    files = random.nextInt(3) == 0 ? next : servedFiles;
                }
            }
            // The walk must exercise both outcomes, or it proves less than it says.
            assertThat(compiled).as("seed %d compiled", seed).isGreaterThan(10);
            assertThat(refused).as("seed %d refused", seed).isGreaterThan(0);
        }
    }

    private static String randomPolicy(java.util.Random random, String name) {
        int kind = random.nextInt(100);
        String enforcement = random.nextBoolean() ? "warn" : "block";
        if (kind < 8) {
            return policy(
                    name,
                    "type: location\nenforcement: " + enforcement
                            + "\nsettings:\n  allowed: [{name: EU, type: continent}]\n");
        }
        String locked = kind < 14 ? "locked: true\n" : "";
        String setting = random.nextBoolean() ? "total" : "input";
        return policy(
                name,
                "type: maxTokens\nenforcement: " + enforcement + "\n" + locked + "settings: {" + setting + ": "
                        + (1 + random.nextInt(200)) * 1000 + "}\n");
    }

    @Test
    @DisplayName("an unchanged commit regenerates nothing and reuses every partition")
    void unchanged() {
        Map<String, byte[]> files = TemplatePolicies.files();
        CompileResult.Compiled first = compile("a", files, null);
        CompileResult.Compiled second = compile("b", new TreeMap<>(files), first.snapshot());
        assertThat(second.snapshot().compileWork()).isEqualTo(new PolicySnapshot.CompileWork(0, 0));
        assertThat(second.rebuiltPartitions()).isEmpty();
    }

    @Test
    @DisplayName(
            "indexed rule shapes: an `in` listed with a repeated value matches once; ten `>` limits on one property")
    void indexedShapes() {
        List<String> pathsAndYaml = new ArrayList<>(List.of("policies/acme/only.yaml", policy("only", """
        type: custom
        enforcement: block
        rules:
          - {name: r, when: 'action in ["deploy", "scale", "deploy"] && resource.labels.team == "core"', effect: deny, message: no}
        """)));
        for (int i = 1; i <= 10; i++) {
            pathsAndYaml.add("policies/acme/limit-" + i + ".yaml");
            pathsAndYaml.add(policy(
                    "limit-" + i, "type: maxTokens\nenforcement: warn\nsettings: {total: " + (i * 1000) + "}\n"));
        }
        PolicySnapshot snap =
                compile("x", repo(pathsAndYaml.toArray(String[]::new)), null).snapshot();
        Request deploy = new Request(
                List.of("acme"),
                new Request.Resource("model", "m", Map.of("team", "core")),
                "deploy",
                new Request.Location("x", "IE", "EU"),
                new Request.Flavor("c", "cpu"),
                new Request.Tokens(1L, 1L, 3_500L),
                Map.of());
        assertThat(snap.evaluate(deploy).matches())
                .extracting(Match::policy)
                .containsExactlyInAnyOrder("only", "limit-1", "limit-2", "limit-3");
        Request other = new Request(
                List.of("acme"),
                new Request.Resource("model", "m", Map.of("team", "edge")),
                "scale",
                new Request.Location("x", "IE", "EU"),
                new Request.Flavor("c", "cpu"),
                new Request.Tokens(1L, 1L, 1_000L),
                Map.of());
        assertThat(snap.evaluate(other).matches()).isEmpty(); // 1,000 is not over 1,000; team is not core
        Request noTotal = new Request(
                List.of("acme"),
                new Request.Resource("model", "m", Map.of("team", "core")),
                "scale",
                new Request.Location("x", "IE", "EU"),
                new Request.Flavor("c", "cpu"),
                Request.Tokens.NONE,
                Map.of());
        assertThat(snap.evaluate(noTotal).matches()).extracting(Match::policy).containsExactly("only");
        assertThat(snap.evaluate(noTotal).missing()).hasSize(10);
    }
}
