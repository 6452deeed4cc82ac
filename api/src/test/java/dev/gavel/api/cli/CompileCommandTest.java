package dev.gavel.api.cli;

import static dev.gavel.api.cli.CliRun.gavel;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompileCommandTest {
    @TempDir
    Path dir;

    @Test
    void lists_partitions_and_renders_one_as_drl_with_its_side_table() {
        Path repo = dir.resolve("p");
        assertThat(gavel("init", repo.toString()).exit()).isZero();
        CliRun list = gavel("compile", "--repo", repo.toString());
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains("_ (global): ", "acme: ");

        CliRun drl = gavel("compile", "--repo", repo.toString(), "--drl", "--partition", "_");
        assertThat(drl.exit()).as(drl.err()).isZero();
        assertThat(drl.out())
                .contains("package gavel.rules;", "rule r0 when $f: RequestFact(", "//   r0 = ")
                .doesNotContain("partition acme");

        CliRun unknown = gavel("compile", "--repo", repo.toString(), "--partition", "nope");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("no such partition");
    }
}
