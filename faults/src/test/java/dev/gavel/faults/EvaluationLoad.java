package dev.gavel.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Clients that send {@code POST /api/v1/evaluate} as fast as they are answered, each on its own thread,
 * and remember every evaluation answered 200: its id and the wall-clock millisecond the answer arrived.
 * The requests spread over scopes of the demo repository (allows, warns and denies).
 */
final class EvaluationLoad implements AutoCloseable {
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    private static final String[] SCOPES = {
        "acme.chat.support-bot.prod",
        "acme.chat.support-bot.dev",
        "acme.search.indexer.prod",
        "globex.web.shop.prod",
        "acme.chat.support-bot.staging",
        "initech.ops.batch.prod"
    };
    private static final String[] LOCATIONS = {
        "{\"name\":\"us-east-1\",\"country\":\"US\",\"continent\":\"NA\"}",
        "{\"name\":\"eu-west-1\",\"country\":\"IE\",\"continent\":\"EU\"}"
    };

    /** One evaluation answered 200. */
    record Answer(String id, long answeredAtMillis) {}

    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    /**
     * Starts {@code clients} threads against {@code baseUrl}; {@code batchClients} of them send
     * {@code /evaluate/batch} with {@link #BATCH} requests each (an answer acknowledges all of them).
     */
    static EvaluationLoad start(String baseUrl, String token, int clients, int batchClients) {
        EvaluationLoad load = new EvaluationLoad();
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        for (int i = 0; i < clients; i++) {
            int client = i;
            boolean batch = i < batchClients;
            Thread t = new Thread(() -> load.run(http, baseUrl, token, client, batch), "load-" + i);
            t.setDaemon(true);
            load.threads.add(t);
            t.start();
        }
        return load;
    }

    static final int BATCH = 200;

    private static String request(long n) {
        return "{\"scope\":\"" + SCOPES[(int) (n % SCOPES.length)] + "\",\"resource\":{\"type\":\"model\","
                + "\"name\":\"m" + (n % 7) + "\"},\"action\":\"deploy\",\"location\":" + LOCATIONS[(int) (n / 3 % 2)]
                + ",\"flavor\":{\"name\":\"h100\",\"type\":\"gpu\"},\"tokens\":{\"input\":" + (n % 50) * 1000
                + ",\"output\":200}}";
    }

    private void run(HttpClient http, String baseUrl, String token, int client, boolean batch) {
        URI uri = URI.create(baseUrl + (batch ? "/api/v1/evaluate/batch" : "/api/v1/evaluate"));
        for (long n = client; !stop.get(); n++) {
            String body;
            if (batch) {
                StringBuilder b = new StringBuilder("{\"requests\":[");
                for (int i = 0; i < BATCH; i++) {
                    b.append(i == 0 ? "" : ",").append(request(n * BATCH + i));
                }
                body = b.append("]}").toString();
            } else {
                body = request(n);
            }
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            try {
                HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                long at = System.currentTimeMillis();
                if (r.statusCode() == 200) {
                    Matcher m = ID.matcher(r.body());
                    int ids = 0;
                    while (m.find()) {
                        answers.add(new Answer(m.group(1), at));
                        ids++;
                    }
                    if (ids != (batch ? BATCH : 1)) {
                        throw new IllegalStateException(ids + " ids in an answer: " + r.body());
                    }
                } else {
                    refused.incrementAndGet();
                }
            } catch (IOException e) {
                failed.incrementAndGet(); // the server went away: no answer, nothing acknowledged
                if (stop.get()) {
                    return;
                }
                sleep(5);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    int answered() {
        return answers.size();
    }

    List<Answer> answers() {
        return List.copyOf(answers);
    }

    long refused() {
        return refused.get();
    }

    long failed() {
        return failed.get();
    }

    /** Stops the clients and waits for them (requests in flight end by answer or error). */
    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join(35_000);
        }
    }
}
