package dev.gavel.api.cli;

import static dev.gavel.api.cli.CliRun.gavel;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** eval, validate and test read the same version by default (the work tree); --head picks a commit. */
class EvalHeadTest {
    @TempDir
    Path dir;

    private static final String REQUEST =
            "{\"scope\":\"acme.search\",\"resource\":{\"type\":\"model\",\"name\":\"m1\"},"
                    + "\"action\":\"invoke\",\"location\":{\"name\":\"eu-west-1\",\"country\":\"IE\",\"continent\":\"EU\"},"
                    + "\"flavor\":{\"name\":\"c7i.large\",\"type\":\"cpu\"},\"tokens\":{\"input\":1000,\"output\":200}}";

    @Test
    @DisplayName("gavel eval decides with the work tree by default and with a commit given --head REF")
    void evalReadsTheWorktreeLikeValidate() throws Exception {
        Path repo = dir.resolve("policies");
        assertThat(gavel("init", repo.toString()).exit()).isZero();
        Path input = dir.resolve("request.json");
        Files.writeString(input, REQUEST);
        // Committed: acme.search allows only eu-central-1, so eu-west-1 is denied.
        CliRun committed = gavel("eval", "--repo", repo.toString(), "--head", "HEAD", "--input", input.toString());
        assertThat(committed.exit()).as(committed.err()).isZero();
        assertThat(committed.out()).contains("\"decision\" : \"deny\"");
        // Uncommitted edit in the work tree: eu-west-1 allowed too.
        Path policy = repo.resolve("policies/acme/search/eu-residency.yaml");
        String text = Files.readString(policy, StandardCharsets.UTF_8);
        Files.writeString(
                policy,
                text.replace(
                        "      - {name: eu-central-1, type: location}",
                        "      - {name: eu-central-1, type: location}\n      - {name: eu-west-1, type: location}"));
        CliRun worktree = gavel("eval", "--repo", repo.toString(), "--input", input.toString());
        assertThat(worktree.exit()).as(worktree.err()).isZero();
        assertThat(worktree.out()).contains("\"decision\" : \"allow\"");
        assertThat(gavel("eval", "--repo", repo.toString(), "--at", "HEAD", "--input", input.toString())
                        .out())
                .contains("\"decision\" : \"deny\"");
        // gavel --help lists every command with a whole sentence, not a description cut at its first line.
        String help = gavel("--help").out().replaceAll("\\s+", " ");
        assertThat(help).contains("report a change's impact (reads the work tree by default).");
        // The help of all three says what they read by default.
        for (String command : new String[] {"eval", "validate", "test"}) {
            assertThat(gavel(command, "--help").out())
                    .as(command)
                    .contains("--head")
                    .contains("worktree");
        }
    }
}
