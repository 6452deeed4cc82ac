package dev.gavel.engine.impact;

import dev.gavel.engine.snapshot.CompileResult;
import dev.gavel.engine.snapshot.PolicySnapshot;
import dev.gavel.engine.snapshot.SnapshotCompiler;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/** A repository's files held in memory for engine tests, with small policy builders. */
final class Repo {
    final Map<String, byte[]> files = new TreeMap<>();

    Repo put(String path, String text) {
        files.put(path, text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    Repo remove(String path) {
        files.remove(path);
        return this;
    }

    Repo copy() {
        Repo r = new Repo();
        r.files.putAll(files);
        return r;
    }

    CompileResult compile(String commit) {
        return SnapshotCompiler.compile(commit, files);
    }

    PolicySnapshot snapshot(String commit) {
        CompileResult r = compile(commit);
        if (r instanceof CompileResult.Compiled ok) {
            return ok.snapshot();
        }
        throw new AssertionError("does not compile: " + r.diagnostics());
    }

    static String tokenLimits(String name, String enforcement, String settings) {
        return "apiVersion: gavel/v1\nkind: Policy\nmetadata:\n  name: " + name + "\nspec:\n  type: maxTokens\n"
                + "  enforcement: " + enforcement + "\n  settings:\n" + settings;
    }

    static String custom(String name, String enforcement, boolean locked, String when) {
        return "apiVersion: gavel/v1\nkind: Policy\nmetadata:\n  name: " + name + "\nspec:\n  type: custom\n"
                + "  enforcement: " + enforcement + "\n" + (locked ? "  locked: true\n" : "")
                + "  rules:\n    - name: r1\n      when: '" + when + "'\n      effect: deny\n      message: denied by "
                + name + "\n";
    }

    /** The fixture most tests start from: a global token limit, a tenant override, a custom rule. */
    static Repo base() {
        return new Repo()
                .put(
                        "policies/token-limits.yaml",
                        tokenLimits("token-limits", "block", "    total: 1000\n    input: 800\n"))
                .put("policies/acme/token-limits.yaml", tokenLimits("token-limits", "block", "    total: 500\n"))
                .put("policies/globex/keep.yaml", custom("keep", "warn", false, "action == \"delete\""))
                .put("policies/no-gpu.yaml", custom("no-gpu", "block", true, "flavor.type == \"gpu\""));
    }
}
