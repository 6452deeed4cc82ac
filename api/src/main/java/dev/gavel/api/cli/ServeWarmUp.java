package dev.gavel.api.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The requests {@code gavel serve --warm-up} sends its own server before it exits: the training run of a class-data
 * archive ({@code -XX:ArchiveClassesAtExit}, docs/operations.md "Start-up"). What matters is which classes they load
 * (routing, auth, JSON, the engine's evaluation path, the evaluation log, a Git read, the console's files), so each
 * route kind is asked once, on the demo repository's scopes.
 */
final class ServeWarmUp {
    /** One request of the warm-up and the status it was answered with. */
    record Answer(String method, String path, int status) {
        boolean failed() {
            return status >= 500 || status == 0;
        }

        @Override
        public String toString() {
            return method + " " + path + " " + status;
        }
    }

    /** The README's evaluation: decided by the demo repository's eu-residency policy. */
    static final String EVALUATION = "{\"scope\":\"acme.chat.support-bot.prod\",\"resource\":{\"type\":\"model\","
            + "\"name\":\"gpt-x\"},\"action\":\"deploy\",\"location\":{\"name\":\"us-east-1\",\"country\":\"US\","
            + "\"continent\":\"NA\"},\"flavor\":{\"name\":\"h100\",\"type\":\"gpu\"},"
            + "\"tokens\":{\"input\":1000,\"output\":200}}";

    private ServeWarmUp() {}

    static List<Answer> run(String baseUrl, String token) throws InterruptedException {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<Answer> answers = new ArrayList<>();
        answers.add(send(client, baseUrl, token, "GET", "/api/v1/status", null));
        answers.add(send(client, baseUrl, token, "GET", "/api/v1/scopes/acme.chat.support-bot.prod/resolved", null));
        answers.add(send(client, baseUrl, token, "POST", "/api/v1/evaluate", EVALUATION));
        answers.add(send(client, baseUrl, token, "GET", "/api/v1/evaluations?limit=5", null));
        answers.add(send(client, baseUrl, token, "GET", "/api/v1/scopes/acme/history", null));
        answers.add(send(client, baseUrl, token, "GET", "/ui/", null));
        return answers;
    }

    private static Answer send(HttpClient client, String baseUrl, String token, String method, String path, String body)
            throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
        if (body != null) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.GET();
        }
        try {
            return new Answer(
                    method,
                    path,
                    client.send(request.build(), HttpResponse.BodyHandlers.discarding())
                            .statusCode());
        } catch (IOException e) {
            return new Answer(method, path, 0);
        }
    }
}
