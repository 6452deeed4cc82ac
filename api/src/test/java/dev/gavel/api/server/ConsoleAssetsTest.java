package dev.gavel.api.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's files as a real server answers them: from memory, by name only, gzip and entity tags. */
class ConsoleAssetsTest {
    @TempDir
    static Path dir;

    static ServerFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = ServerFixture.start(dir);
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    private static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fx.base() + path));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return fx.http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void everyFileOfTheConsoleDirectoryIsServedAsItIsInTheSources() throws Exception {
        Path sources = Path.of("src/main/resources/gavel-console");
        try (var files = Files.walk(sources)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String name = sources.relativize(f).toString().replace('\\', '/');
                HttpResponse<byte[]> r = get("/ui/" + name);
                assertThat(r.statusCode()).as(name).isEqualTo(200);
                assertThat(r.body()).as(name).isEqualTo(Files.readAllBytes(f));
                assertThat(r.headers().firstValue("Content-Security-Policy"))
                        .as(name)
                        .isPresent();
                assertThat(r.headers().firstValue("Content-Encoding")).as(name).isEmpty();
            }
        }
        assertThat(new String(get("/ui/").body(), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(Files.readString(sources.resolve("index.html")));
        assertThat(get("/ui/js/app.js").headers().firstValue("Content-Type"))
                .hasValue("text/javascript; charset=utf-8");
        assertThat(get("/ui/schema/policy.schema.json").statusCode()).isEqualTo(200);
    }

    @Test
    void gzipWhenAskedWithItsOwnEntityTagAndNotModifiedOnAMatch() throws Exception {
        HttpResponse<byte[]> plain = get("/ui/js/app.js");
        HttpResponse<byte[]> gz = get("/ui/js/app.js", "Accept-Encoding", "gzip, deflate");
        assertThat(gz.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(gz.headers().firstValue("Vary")).hasValue("Accept-Encoding");
        assertThat(new GZIPInputStream(new ByteArrayInputStream(gz.body())).readAllBytes())
                .isEqualTo(plain.body());
        assertThat(gz.body().length).isLessThan(plain.body().length);
        String tag = plain.headers().firstValue("ETag").orElseThrow();
        String gzTag = gz.headers().firstValue("ETag").orElseThrow();
        assertThat(tag).startsWith("\"").isNotEqualTo(gzTag);

        HttpResponse<byte[]> again = get("/ui/js/app.js", "If-None-Match", tag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(get("/ui/js/app.js", "If-None-Match", "\"other\"").statusCode())
                .isEqualTo(200);
        for (String refused : new String[] {"gzip;q=0", "br, gzip; q=0.000", "identity"}) {
            assertThat(get("/ui/js/app.js", "Accept-Encoding", refused)
                            .headers()
                            .firstValue("Content-Encoding"))
                    .as(refused)
                    .isEmpty();
        }
        for (String accepted : new String[] {"*", "br;q=1, GZIP;q=0.5", "deflate, gzip"}) {
            assertThat(get("/ui/js/app.js", "Accept-Encoding", accepted)
                            .headers()
                            .firstValue("Content-Encoding"))
                    .as(accepted)
                    .hasValue("gzip");
        }
    }

    @Test
    void uiWithoutTheSlashRedirectsSoThatTheModulesResolve() throws Exception {
        HttpResponse<byte[]> r = get("/ui");
        assertThat(r.statusCode()).isEqualTo(301);
        assertThat(r.headers().firstValue("Location")).hasValue("/ui/");
    }

    @Test
    void aNameThatIsNotAFileOfTheConsoleIsNotFound() throws Exception {
        for (String path :
                new String[] {"/ui/nope.js", "/ui/js/", "/ui/schema/", "/ui/schema/../index.html", "/ui/../gavel.yaml"
                }) {
            HttpResponse<byte[]> r = get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.headers().firstValue("Content-Type")).as(path).hasValue("application/problem+json");
        }
        // An encoded dot segment is refused by Jetty before any route (ambiguous URI).
        assertThat(get("/ui/%2e%2e/%2e%2e/pom.xml").statusCode()).isEqualTo(400);
        // An encoded dot segment is refused by Jetty before any route (ambiguous URI).
        assertThat(get("/ui/%2e%2e/%2e%2e/pom.xml").statusCode()).isEqualTo(400);
    }
}
