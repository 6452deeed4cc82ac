package dev.gavel.api.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unknown query parameters are refused; every gavel_ metric explains itself; latency is per route. */
class StrictQueryAndMetricsTest {
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
    @DisplayName("a query parameter the route does not read is a 400 naming the ones it accepts")
    void unknownQueryParametersAreRefused() {
        ServerFixture.Resp raw = f.get("/api/v1/scopes/acme/policies/token-limits?resolved=true", "reader");
        assertThat(raw.status()).isEqualTo(400);
        assertThat(raw.contentType()).startsWith("application/problem+json");
        JsonNode p = raw.json();
        assertThat(p.path("detail").asText()).contains("'resolved'").contains("version, at");
        assertThat(p.at("/errors/0/field").asText()).isEqualTo("resolved");

        ServerFixture.Resp paged = f.get("/api/v1/evaluations?page=2&pageSize=5", "reader");
        assertThat(paged.status()).isEqualTo(400);
        assertThat(paged.json().path("detail").asText())
                .contains("'page', 'pageSize'")
                .contains("cursor");

        assertThat(f.get("/healthz?verbose=1", null).status()).isEqualTo(400);
        assertThat(f.get("/api/v1/policies?limit=1&sort=name:asc", "reader").status())
                .isEqualTo(200);
        // Authentication comes first: a caller without a token learns nothing about the route.
        assertThat(f.get("/api/v1/policies?bogus=1", null).status()).isEqualTo(401);
    }

    @Test
    @DisplayName(
            "every gavel_ metric has HELP text, and HTTP latency is a histogram by route template, method and status")
    void metricsExplainThemselves() {
        assertThat(f.get("/api/v1/scopes/acme/policies/token-limits", "reader").status())
                .isEqualTo(200);
        String text = f.get("/metrics", null).text();
        Set<String> typed = new HashSet<>();
        Set<String> helped = new HashSet<>();
        Matcher t = Pattern.compile("(?m)^# TYPE (gavel_\\w+) ").matcher(text);
        while (t.find()) {
            typed.add(t.group(1));
        }
        Matcher h = Pattern.compile("(?m)^# HELP (gavel_\\w+) (\\S.*)$").matcher(text);
        while (h.find()) {
            helped.add(h.group(1));
        }
        assertThat(typed).hasSizeGreaterThan(5);
        assertThat(helped).containsAll(typed);
        assertThat(text)
                .containsPattern("gavel_http_server_requests_seconds_bucket\\{[^}]*"
                        + "route=\"/api/v1/scopes/\\{scope}/policies/\\{name}\"[^}]*\\}");
        assertThat(text)
                .containsPattern("gavel_http_server_requests_seconds_bucket\\{[^}]*method=\"GET\"[^}]*status=\"200\"");
    }
}
