package dev.gavel.api.cli;

import static dev.gavel.api.cli.CliRun.gavel;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gavel test: the policy tests only. */
class TestCommandTest {
    @TempDir
    Path tmp;

    @Test
    @DisplayName(
            "the template's tests pass; a committed change that breaks one fails with exit 1 at that revision only")
    void runsTestsAtWorktreeAndRevision() throws Exception {
        Path repo = tmp.resolve("p");
        assertThat(gavel("init", repo.toString()).exit()).isZero();
        CliRun clean = gavel("test", "--repo", repo.toString());
        assertThat(clean.exit()).as(clean.out()).isZero();
        assertThat(clean.out()).contains("tests: 21 passed, 0 failed").doesNotContain("impact");

        Path file = repo.resolve("policies/eu-residency.yaml");
        Files.writeString(
                file, Files.readString(file).replace("{name: EU, type: continent}", "{name: NA, type: continent}"));
        ValidateCommandTest.Git.run(repo, "commit", "-qam", "Residency in North America");

        CliRun broken = gavel("test", "--repo", repo.toString(), "--format", "json");
        assertThat(broken.exit()).isEqualTo(1);
        JsonNode json = new ObjectMapper().readTree(broken.out());
        assertThat(json.at("/tests/failed").asInt()).isPositive();
        assertThat(json.get("impact").isNull()).isTrue();
        JsonNode failure = null;
        for (JsonNode t : json.at("/tests/results")) {
            if (!t.path("passed").asBoolean()) {
                failure = t;
                break;
            }
        }
        assertThat(failure).isNotNull();
        assertThat(failure.at("/expected/decision").asText())
                .isNotEqualTo(failure.at("/actual/decision").asText());

        // the previous commit still passes
        assertThat(gavel("test", "--repo", repo.toString(), "--head", "HEAD~1").exit())
                .isZero();
        assertThat(gavel("test", "--repo", repo.toString(), "--head", "HEAD").exit())
                .isEqualTo(1);
    }

    @Test
    @DisplayName("policies that do not compile fail gavel test with their diagnostics and no test results")
    void doesNotCompile() throws Exception {
        Path repo = tmp.resolve("p");
        assertThat(gavel("init", repo.toString()).exit()).isZero();
        Files.writeString(repo.resolve("policies/acme/oops.yaml"), "apiVersion: gavel/v1\nkind: Policy\n");
        CliRun run = gavel("test", "--repo", repo.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("policies/acme/oops.yaml:").contains("tests not run");
    }
}
