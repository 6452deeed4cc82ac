package dev.gavel.api.server;

import dev.gavel.api.http.Json;
import dev.gavel.api.template.RepositoryTemplate;
import dev.gavel.store.git.Author;
import dev.gavel.store.git.GitPolicyRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes {@code /openapi.json} to a file without listening: the build generates the typed test client
 * from it (api/pom.xml, generate-test-sources). The document depends only on the route table and the
 * body records, so a server over the template repository gives the same document as any other.
 */
public final class OpenApiExport {
    private OpenApiExport() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: OpenApiExport FILE");
        }
        Path tmp = Files.createTempDirectory("gavel-openapi");
        try (GitPolicyRepository repo = GitPolicyRepository.initFromFiles(
                        tmp.resolve("policies.git"),
                        RepositoryTemplate.files(),
                        true,
                        "main",
                        new Author("Gavel", "gavel@localhost"),
                        "Template policies");
                GavelServer server = new GavelServer(
                        repo,
                        header -> java.util.Optional.empty(),
                        ServerOptions.defaults().withPort(0))) {
            Path out = Path.of(args[0]);
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.write(out, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(server.openApiDocument()));
        } finally {
            try (Stream<Path> files = Files.walk(tmp)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
