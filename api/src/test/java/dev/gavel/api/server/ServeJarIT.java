package dev.gavel.api.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar gavel.jar serve} as users run it: demo repository, admin token, SIGTERM. */
class ServeJarIT {
    private static final Pattern URL = Pattern.compile("Gavel serving (http://[^\\s]+)");

    @TempDir
    Path tmp;

    record Started(Process process, String url, List<String> lines) {}

    private Started serve(Path data) throws Exception {
        Path jar = Path.of("target", "gavel.jar").toAbsolutePath();
        Process p = new ProcessBuilder(
                        "java", "-jar", jar.toString(), "serve", "--port", "0", "--data", data.toString())
                .redirectErrorStream(true)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        String line;
        while ((line = out.readLine()) != null) {
            lines.add(line);
            Matcher m = URL.matcher(line);
            if (m.find()) {
                // The banner's lines up to its last ("try: ..."); the drain below adds later lines concurrently.
                String more;
                while ((more = out.readLine()) != null) {
                    lines.add(more);
                    if (more.startsWith("  try:")) {
                        break;
                    }
                }
                Thread drain = new Thread(() -> out.lines().forEach(lines::add));
                drain.setDaemon(true);
                drain.start();
                return new Started(p, m.group(1), lines);
            }
        }
        throw new AssertionError("serve exited: " + String.join("\n", lines));
    }

    @Test
    @DisplayName(
            "serve creates the demo repository once, prints URL, commit and token file, answers, and stops on SIGTERM")
    void serveDemo() throws Exception {
        Path data = tmp.resolve("data");
        Started s = serve(data);
        HttpClient http = HttpClient.newHttpClient();
        try {
            HttpResponse<String> ready = http.send(
                    HttpRequest.newBuilder(URI.create(s.url() + "/readyz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);
            String token = Files.readString(data.resolve("admin.token")).strip();
            HttpResponse<String> status = http.send(
                    HttpRequest.newBuilder(URI.create(s.url() + "/api/v1/status"))
                            .header("Authorization", "Bearer " + token)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(status.statusCode()).isEqualTo(200);
            assertThat(String.join("\n", s.lines()))
                    .contains("admin token: " + data.resolve("admin.token").toAbsolutePath())
                    .containsPattern("commit: +[0-9a-f]{40}");
        } finally {
            s.process().destroy();
        }
        assertThat(s.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(String.join("\n", s.lines())).doesNotContain("Exception");

        // A second start serves the same demo repository instead of making a new one.
        String firstCommit = s.lines().stream()
                .filter(l -> l != null && l.contains("commit:"))
                .findFirst()
                .orElseThrow();
        Started again = serve(data);
        try {
            assertThat(again.lines()).contains(firstCommit);
        } finally {
            again.process().destroy();
            again.process().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
