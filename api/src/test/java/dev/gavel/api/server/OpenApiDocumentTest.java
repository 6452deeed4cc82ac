package dev.gavel.api.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /openapi.json describes exactly the routes Javalin registered. */
class OpenApiDocumentTest {
    @TempDir
    static Path dir;

    static ServerFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = ServerFixture.start(dir);
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @Test
    @DisplayName("every registered route is in the document and every documented operation is registered")
    void documentMatchesRegisteredRoutes() {
        JsonNode doc = f.get("/openapi.json", null).json();
        Set<String> documented = new HashSet<>();
        doc.path("paths")
                .fields()
                .forEachRemaining(p -> p.getValue()
                        .fieldNames()
                        .forEachRemaining(m -> documented.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey())));
        Set<String> registered = new HashSet<>(f.server.registeredRoutes());
        registered.removeIf(r -> r.contains(" /compat/")); // each face has its own document
        registered.removeIf(r -> r.endsWith(" /ui") || r.contains(" /ui/")); // the console's files (docs/console.md)
        assertThat(registered).hasSizeGreaterThan(25);
        assertThat(documented).isEqualTo(registered);
    }

    @Test
    @DisplayName("every $ref points at a component, path parameters are declared, and guarded routes name bearer auth")
    void documentIsSelfConsistent() {
        JsonNode doc = f.get("/openapi.json", null).json();
        String text = doc.toString();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("#/components/schemas/([A-Za-z]+)")
                .matcher(text);
        while (m.find()) {
            assertThat(doc.at("/components/schemas").has(m.group(1)))
                    .as(m.group(1))
                    .isTrue();
        }
        doc.path("paths")
                .fields()
                .forEachRemaining(p -> p.getValue().fields().forEachRemaining(op -> {
                    Set<String> declared = new HashSet<>();
                    op.getValue().path("parameters").forEach(x -> {
                        if (x.path("in").asText().equals("path")) {
                            declared.add(x.path("name").asText());
                        }
                    });
                    Set<String> inPath = new HashSet<>();
                    java.util.regex.Matcher pm =
                            java.util.regex.Pattern.compile("\\{([a-z]+)}").matcher(p.getKey());
                    while (pm.find()) {
                        inPath.add(pm.group(1));
                    }
                    assertThat(declared).as(p.getKey()).isEqualTo(inPath);
                    if (p.getKey().startsWith("/api/v1/") && !p.getKey().equals("/api/v1/hooks/git")) {
                        assertThat(op.getValue().path("security").toString())
                                .as(p.getKey())
                                .contains("bearer");
                        assertThat(op.getValue().path("responses").has("401")).isTrue();
                    }
                }));
    }
}
