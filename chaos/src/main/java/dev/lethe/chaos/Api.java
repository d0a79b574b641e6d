package dev.lethe.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The harness's HTTP client of the gateway. Every answer is tallied: a 5xx other than a 503 with
 * {@code Retry-After} is an unexpected failure the check reports (with its route and body kept
 * as an example); a refused or timed-out connection is counted apart (the process is down, not
 * wrong).
 */
public final class Api {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    /** One answer; {@code status} 0 when no answer came (refused, reset, timed out). */
    public record Answer(int status, String body, boolean retryAfter) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                return JSON.missingNode();
            }
        }
    }

    /** What one scenario's answers were. */
    public static final class Tally {
        final AtomicLong answers = new AtomicLong();
        final AtomicLong unavailable = new AtomicLong();
        final AtomicLong noAnswer = new AtomicLong();
        final AtomicLong unexpected5xx = new AtomicLong();
        final Map<String, String> examples = new ConcurrentHashMap<>();

        public long unexpected5xx() {
            return unexpected5xx.get();
        }

        public long unavailable() {
            return unavailable.get();
        }

        public long noAnswer() {
            return noAnswer.get();
        }

        public long answers() {
            return answers.get();
        }

        public Map<String, String> examples() {
            return Map.copyOf(examples);
        }
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final String base;
    private volatile Tally tally = new Tally();

    public Api(String base) {
        this.base = base;
    }

    public String base() {
        return base;
    }

    /** Starts a new tally (one per scenario) and returns it. */
    public Tally newTally() {
        tally = new Tally();
        return tally;
    }

    public Answer get(String path, String token) {
        return send("GET", path, token, null, null);
    }

    public Answer post(String path, String token, String body, String idempotencyKey) {
        return send("POST", path, token, body, idempotencyKey);
    }

    /** Any method, any body (null: none), any token (null: no Authorization header). */
    public Answer send(String method, String path, String token, String body, String idempotencyKey) {
        final HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            if (idempotencyKey != null) {
                request.header("Idempotency-Key", idempotencyKey);
            }
        } catch (IllegalArgumentException e) {
            // not sendable over HTTP at all (the client refuses it): no answer to judge
            return new Answer(-1, e.getMessage(), false);
        }
        final Tally current = tally;
        try {
            // HttpRequest.timeout covers the wait for the headers only: the whole exchange is bounded here
            final HttpResponse<String> response = client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                    .get(TIMEOUT.plusSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
            final boolean retryAfter = response.headers().firstValue("Retry-After").isPresent();
            final Answer answer = new Answer(response.statusCode(), response.body(), retryAfter);
            current.answers.incrementAndGet();
            if (answer.status() == 503 && retryAfter) {
                current.unavailable.incrementAndGet();
            } else if (answer.status() >= 500) {
                current.unexpected5xx.incrementAndGet();
                current.examples.putIfAbsent(method + " " + route(path) + " " + answer.status(), abbreviate(answer.body()));
            }
            return answer;
        } catch (ExecutionException | TimeoutException e) {
            current.noAnswer.incrementAndGet();
            return new Answer(0, String.valueOf(e.getCause() == null ? e : e.getCause()), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, "interrupted", false);
        }
    }

    private static String route(String path) {
        return path.replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "{id}").replaceAll("\\?.*", "");
    }

    private static String abbreviate(String body) {
        return body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "..." : body;
    }
}
