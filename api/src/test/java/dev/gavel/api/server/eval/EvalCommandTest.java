package dev.gavel.api.server.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gavel.api.cli.GavelCommand;
import dev.gavel.api.http.Json;
import dev.gavel.store.git.GitPolicyRepository;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code gavel eval}: the API's answer, offline. */
class EvalCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = GavelCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    @DisplayName("prints the evaluate JSON: decision, results, commit; --scope overrides a missing scope")
    void decides() throws Exception {
        GitPolicyRepository repo = EvalServer.templateRepo(dir);
        String head = repo.head().orElseThrow();
        repo.close();
        ObjectNode req = Requests.outsideEu("acme.chat.support-bot.prod");
        req.remove("scope");
        Path input = dir.resolve("req.json");
        Files.write(input, Json.bytes(req));
        Run r = run(
                "eval",
                "--repo",
                dir.resolve("policies.git").toString(),
                "--scope",
                "acme.chat.support-bot.prod",
                "--input",
                input.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode a = Json.MAPPER.readTree(r.out());
        assertThat(a.path("decision").asText()).isEqualTo("deny");
        assertThat(a.path("commit").asText()).isEqualTo(head);
        assertThat(a.path("scope").asText()).isEqualTo("acme.chat.support-bot.prod");
        assertThat(a.path("results").get(0).path("policy").asText()).isEqualTo("eu-residency");
        assertThat(a.path("id").asText()).isNotBlank();
    }

    @Test
    @DisplayName("an undecidable request prints its fields and exits 2; a bad input file is a one-line error")
    void rejects() throws Exception {
        EvalServer.templateRepo(dir).close();
        ObjectNode req = Requests.allowed("acme.chat.support-bot.prod");
        req.remove("location");
        Path input = dir.resolve("req.json");
        Files.write(input, Json.bytes(req));
        Run r = run("eval", "--repo", dir.resolve("policies.git").toString(), "--input", input.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("location").contains("eu-residency");
        assertThat(r.out()).isEmpty();
        Files.writeString(input, "{nope");
        Run bad = run("eval", "--repo", dir.resolve("policies.git").toString(), "--input", input.toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("not valid JSON").doesNotContain("Exception");
        Run differ = run(
                "eval",
                "--repo",
                dir.resolve("policies.git").toString(),
                "--scope",
                "globex",
                "--input",
                dir.resolve("req.json").toString());
        assertThat(differ.code()).isEqualTo(2);
    }
}
