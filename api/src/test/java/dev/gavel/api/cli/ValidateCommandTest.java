package dev.gavel.api.cli;

import static dev.gavel.api.cli.CliRun.gavel;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gavel validate over real repositories made by gavel init and changed with the git CLI. */
class ValidateCommandTest {
    @TempDir
    Path tmp;

    Path repo;

    @BeforeEach
    void initRepository() throws Exception {
        repo = tmp.resolve("policies");
        assertThat(gavel("init", repo.toString()).exit()).isZero();
    }

    @Test
    @DisplayName("a clean change on a branch: exit 0, the impact names the scopes, fields and provenance it changes")
    void cleanChange() throws Exception {
        git("switch", "-c", "sla");
        edit("policies/sla-p1.yaml", "firstResponseMinutes: 15", "firstResponseMinutes: 10");
        CliRun run = gavel("validate", "--repo", repo.toString(), "--base", "main");
        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out())
                .contains("base: main (")
                .contains("scope (global):")
                .contains("spec.settings.firstResponseMinutes: 15 -> 10 (from (global))")
                .contains("tests: 21 passed, 0 failed")
                .endsWith("passed: valid (22 policies); tests: 21 passed, 0 failed; impact: 6 changes in 6 of 8 scopes"
                        + System.lineSeparator());
        // acme.chat.support-bot.prod overrides sla-p1's settings; globex too: only where the value is inherited
        assertThat(run.out()).doesNotContain("scope globex:").doesNotContain("scope acme.chat.support-bot.prod:");
    }

    @Test
    @DisplayName("a broken file: exit 1, every diagnostic as file:line:column, tests and impact not run")
    void brokenFile() throws Exception {
        edit("policies/acme/token-limits.yaml", "enforcement: block", "enforcement: blok");
        Files.writeString(
                repo.resolve("policies/acme/chat/bad.yaml"), "apiVersion: gavel/v1\nkind: Policy\nmetadata: [\n");
        CliRun run = gavel("validate", "--repo", repo.toString(), "--base", "HEAD");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()
                        .lines()
                        .filter(l -> l.matches("policies/\\S+\\.yaml:\\d+:\\d+: error: .*"))
                        .toList())
                .anySatisfy(l -> assertThat(l)
                        .startsWith("policies/acme/token-limits.yaml:")
                        .contains("blok"))
                .anySatisfy(l -> assertThat(l).startsWith("policies/acme/chat/bad.yaml:"));
        assertThat(run.out())
                .contains("not computed: the head does not compile")
                .contains("tests not run");
        assertThat(run.err()).isEmpty();
    }

    @Test
    @DisplayName("overriding a locked policy below its scope fails and is reported as a lock violation")
    void lockedPolicyViolation() throws Exception {
        String locked = Files.readString(repo.resolve("policies/no-sanctioned-regions.yaml"))
                .replace("enforcement: block", "enforcement: audit")
                .replace("locked: true", "locked: false")
                .replace("../schema", "../../schema");
        Files.writeString(repo.resolve("policies/acme/no-sanctioned-regions.yaml"), locked);
        CliRun run = gavel("validate", "--repo", repo.toString(), "--base", "main");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out())
                .contains("lock violated: policies/acme/no-sanctioned-regions.yaml:1:1: error:")
                .contains("overrides the locked policy 'no-sanctioned-regions'")
                .contains("1 lock violation");
    }

    @Test
    @DisplayName("a change that breaks a policy test fails with expected vs actual and the matched policies")
    void failingTest() throws Exception {
        edit("policies/acme/token-limits.yaml", "total: 50000 ", "total: 70000 ");
        CliRun run = gavel("validate", "--repo", repo.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out())
                .contains("FAIL token-limits: 60k tokens exceed acme's total of 50k (tests/token-limits.test.yaml:")
                .contains("expected: deny, matched [token-limits]")
                .contains("actual:   allow, matched []")
                .contains("tests: 20 passed, 1 failed");
    }

    @Test
    @DisplayName("a merged branch: --base and --head as revisions compare the merge with main before it")
    void mergedBranch() throws Exception {
        git("switch", "-c", "sla");
        edit("policies/sla-p1.yaml", "resolutionMinutes: 240", "resolutionMinutes: 120");
        git("commit", "-am", "Resolve P1 in two hours");
        git("switch", "main");
        edit("policies/sla-p3.yaml", "businessHoursOnly: true", "businessHoursOnly: false");
        git("commit", "-am", "P3 around the clock");
        git("merge", "--no-ff", "-m", "Merge sla", "sla");
        CliRun run =
                gavel("validate", "--repo", repo.toString(), "--base", "HEAD^1", "--head", "HEAD", "--format", "json");
        assertThat(run.exit()).as(run.out()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.at("/head/ref").asText()).isEqualTo("HEAD");
        assertThat(json.at("/head/commit").asText())
                .isEqualTo(git("rev-parse", "HEAD").strip());
        assertThat(json.at("/base/commit").asText())
                .isEqualTo(git("rev-parse", "HEAD^1").strip());
        List<String> changed = new ArrayList<>();
        json.at("/impact/scopes")
                .forEach(s -> s.path("changes")
                        .forEach(c -> changed.add(s.path("scope").asText() + ":"
                                + c.path("policy").asText())));
        // only the merged branch's change, where it is inherited; not main's own sla-p3 commit
        assertThat(changed)
                .contains(":sla-p1", "acme:sla-p1")
                .allSatisfy(c -> assertThat(c).endsWith(":sla-p1"));
        assertThat(json.at("/impact/scopes/0/changes/0/fields/0/path").asText())
                .isEqualTo("spec.settings.resolutionMinutes");
        assertThat(json.at("/impact/scopes/0/changes/0/fields/0/after").asInt()).isEqualTo(120);
        assertThat(json.at("/impact/enforcementChanges")).isEmpty();
    }

    @Test
    @DisplayName("markdown output has a summary heading, the diagnostics block, the test table and the impact table")
    void markdownShape() throws Exception {
        edit("policies/acme/token-limits.yaml", "total: 50000 ", "total: 70000 ");
        Files.writeString(repo.resolve("policies/globex/broken.yaml"), "not: [valid");
        CliRun broken = gavel("validate", "--repo", repo.toString(), "--base", "main", "--format", "markdown");
        assertThat(broken.exit()).isEqualTo(1);
        assertThat(broken.out())
                .startsWith("### ❌ Gavel failed: ")
                .contains("\n#### Diagnostics\n\n```text\npolicies/globex/broken.yaml:")
                .contains("#### Tests: not run");

        Files.delete(repo.resolve("policies/globex/broken.yaml"));
        CliRun run = gavel("validate", "--repo", repo.toString(), "--base", "main", "--format", "markdown");
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).startsWith("### ❌ Gavel failed: valid (22 policies); tests: 20 passed, 1 failed");
        assertThat(lines)
                .contains(
                        "#### Tests: 20 passed, 1 failed",
                        "#### Impact",
                        "| scope | policy | change | fields (before → after, from scope) |",
                        "| `acme` | `token-limits` | changed | `spec.settings.total`: `50000` → `70000` (acme) |");
        // every table row has as many cells as its header
        for (String l : lines) {
            if (l.startsWith("| `acme` |")) {
                assertThat(l.replace("\\|", "").chars().filter(c -> c == '|').count())
                        .isEqualTo(5);
            }
        }
    }

    @Test
    @DisplayName("usage errors exit 2: an unknown format, an unknown ref, --base outside a Git repository")
    void usageErrors() throws Exception {
        assertThat(gavel("validate", "--repo", repo.toString(), "--format", "html")
                        .exit())
                .isEqualTo(2);
        CliRun unknownRef = gavel("validate", "--repo", repo.toString(), "--base", "no-such-branch");
        assertThat(unknownRef.exit()).isEqualTo(2);
        assertThat(unknownRef.err())
                .startsWith("gavel: ")
                .contains("no-such-branch")
                .doesNotContain("Exception");
        Path plain = Files.createDirectories(tmp.resolve("plain/policies"));
        Files.copy(repo.resolve("policies/eu-residency.yaml"), plain.resolve("eu-residency.yaml"));
        assertThat(gavel("validate", "--repo", plain.getParent().toString()).exit())
                .isZero();
        CliRun noGit = gavel("validate", "--repo", plain.getParent().toString(), "--base", "main");
        assertThat(noGit.exit()).isEqualTo(2);
        assertThat(noGit.err()).contains("is not a Git repository");
        assertThat(gavel("validate", "--repo", tmp.resolve("missing").toString())
                        .exit())
                .isEqualTo(2);
    }

    @Test
    @DisplayName("working-tree paths are checked before reading: a bad scope directory is reported and not entered")
    void worktreePathsChecked() throws Exception {
        Path bad = Files.createDirectories(repo.resolve("policies/Acme Corp"));
        Files.writeString(bad.resolve("x.yaml"), "anything");
        Files.writeString(repo.resolve("policies/acme/Token.yaml"), "anything");
        Files.createSymbolicLink(repo.resolve("policies/acme/linked.yaml"), repo.resolve("policies/eu-residency.yaml"));
        Files.writeString(repo.resolve("policies/.swap.yaml"), "editor droppings are skipped");
        CliRun run = gavel("validate", "--repo", repo.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out())
                .contains("policies/Acme Corp:1:1: error: directory 'Acme Corp' is not a valid scope name")
                .contains("policies/acme/Token.yaml:1:1: error:")
                .contains("policies/acme/linked.yaml:1:1: error: not a regular file")
                .doesNotContain("policies/Acme Corp/x.yaml")
                .doesNotContain(".swap.yaml");
    }

    // ------------------------------------------------------------------------------------------ helpers

    void edit(String path, String from, String to) throws IOException {
        Path p = repo.resolve(path);
        String text = Files.readString(p);
        assertThat(text).as(path).contains(from);
        Files.writeString(p, text.replace(from, to));
    }

    String git(String... args) throws IOException, InterruptedException {
        return Git.run(repo, args);
    }

    /** The real git CLI with a fixed identity; a failing command fails the test. */
    static final class Git {
        static String run(Path dir, String... args) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of(
                    "/usr/bin/git",
                    "-C",
                    dir.toString(),
                    "-c",
                    "user.name=t",
                    "-c",
                    "user.email=t@x",
                    "-c",
                    "commit.gpgsign=false"));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new AssertionError("git " + String.join(" ", args) + " failed: " + out);
            }
            return out;
        }
    }
}
