package dev.gavel.api.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gavel.client.ApiClient;
import dev.gavel.client.ApiException;
import dev.gavel.client.api.EvaluationsApi;
import dev.gavel.client.api.PoliciesApi;
import dev.gavel.client.model.EvaluationAnswer;
import dev.gavel.client.model.EvaluationList;
import dev.gavel.client.model.EvaluationRequest;
import dev.gavel.client.model.LoggedEvaluation;
import dev.gavel.client.model.Policy;
import dev.gavel.client.model.PolicyList;
import dev.gavel.client.model.PolicySpec;
import dev.gavel.client.model.PolicySummary;
import dev.gavel.client.model.RawPolicy;
import dev.gavel.client.model.ResolvedSet;
import dev.gavel.client.model.WriteResult;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java client openapi-generator makes from /openapi.json (api/pom.xml, no hand edits) drives the main
 * flows on a real server, with typed values throughout.
 */
class ClientFlowsTest {
    @TempDir
    static Path dir;

    static ServerFixture f;
    static ApiClient client;

    @BeforeAll
    static void start() throws Exception {
        f = ServerFixture.start(dir);
        client = new ApiClient();
        client.updateBaseUri(f.base());
        client.setRequestInterceptor(b -> b.header("Authorization", "Bearer editor"));
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @Test
    @DisplayName("cursor-paged list, resolved read, PUT with If-Match and a message, evaluate, log and export")
    void mainFlows() throws Exception {
        PoliciesApi policies = new PoliciesApi(client);
        // Cursor-paged list: typed items, typed totals.
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int total;
        do {
            PolicyList page = policies.getPolicies(null, null, null, null, null, "name:asc", 4, cursor);
            total = page.getMeta().getTotal();
            for (PolicySummary p : page.getData()) {
                assertThat(seen.add(p.getScope() + "/" + p.getName())).isTrue();
            }
            cursor = Boolean.TRUE.equals(page.getMeta().getHasMore())
                    ? page.getMeta().getNextCursor()
                    : null;
        } while (cursor != null);
        assertThat(seen).hasSize(total).hasSizeGreaterThan(10);

        // Resolved read.
        ResolvedSet resolved = policies.getScopesScopeResolved("acme.chat.support-bot.prod", null, null);
        assertThat(resolved.getData()).isNotEmpty();
        assertThat(resolved.getData().get(0).getPolicy().getSpec().getEnforcement())
                .isNotNull();

        // Read, then PUT with If-Match and a commit message.
        RawPolicy before = policies.getScopesScopePoliciesName("acme", "token-limits", null, null);
        Policy edited = before.getPolicy();
        edited.getSpec().setEnforcement(PolicySpec.EnforcementEnum.WARN);
        WriteResult written = policies.putScopesScopePoliciesName(
                "acme", "token-limits", edited, before.getEtag(), "client: warn first");
        assertThat(written.getChanged()).isTrue();
        assertThat(written.getPolicy().getPolicy().getSpec().getEnforcement())
                .isEqualTo(PolicySpec.EnforcementEnum.WARN);
        assertThat(written.getPolicy().getCreatedAt()).isNotNull();
        assertThat(f.repository.commitDetails(written.getCommit()).commit().message())
                .startsWith("client: warn first");
        // The same stale ETag again is a 412 the client surfaces.
        assertThatThrownBy(() ->
                        policies.putScopesScopePoliciesName("acme", "token-limits", edited, before.getEtag(), null))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.getCode()).isEqualTo(412));

        // Evaluate, then find it in the log.
        EvaluationsApi evaluations = new EvaluationsApi(client);
        EvaluationRequest request = new EvaluationRequest()
                .scope("acme.search")
                .resource(Map.of("type", "model", "name", "m1"))
                .action("invoke")
                .location(Map.of("name", "us-east-1", "country", "US", "continent", "NA"))
                .flavor(Map.of("name", "c7i.large", "type", "cpu"))
                .tokens(Map.of("input", 1000, "output", 200));
        EvaluationAnswer answer = evaluations.postEvaluate(request);
        assertThat(answer.getDecision()).isEqualTo(EvaluationAnswer.DecisionEnum.DENY);
        assertThat(answer.getResults()).extracting(r -> r.getPolicy()).contains("eu-residency");
        f.server.evaluations().log().flush();
        EvaluationList log = evaluations.getEvaluations("acme.search", null, null, null, null, null, null, 10, null);
        assertThat(log.getData()).extracting(LoggedEvaluation::getId).contains(answer.getId());
        assertThat(log.getData().get(0).getDurationMicros()).isInstanceOf(Long.class);

        // Export: NDJSON has no item schema in OpenAPI 3.1, so the stream is read line by line into the
        // generated model with the client's own HTTP client and mapper.
        HttpResponse<java.util.stream.Stream<String>> export = client.getHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(f.base() + "/api/v1/evaluations/export?scope=acme.search"))
                                .header("Authorization", "Bearer reader")
                                .build(),
                        HttpResponse.BodyHandlers.ofLines());
        assertThat(export.headers().firstValue("Content-Type").orElse("")).startsWith("application/x-ndjson");
        List<LoggedEvaluation> lines = new ArrayList<>();
        for (String line : (Iterable<String>) export.body()::iterator) {
            lines.add(client.getObjectMapper().readValue(line, LoggedEvaluation.class));
        }
        assertThat(lines).extracting(LoggedEvaluation::getId).contains(answer.getId());
    }
}
