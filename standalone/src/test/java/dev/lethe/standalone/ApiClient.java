package dev.lethe.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lethe.gateway.contract.OpenApiContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The public HTTP API as a client sees it: real HTTP, a bearer token, JSON bodies. Every answer is
 * checked against the served {@code /openapi.json} ({@link OpenApiContract}): an answer whose status
 * is not documented for its route, or whose body does not match the documented schema, fails the
 * test that received it, so the contract cannot drift from what is served. Calls to the ledger's
 * internal endpoint ({@code /internal/...}) are not checked.
 */
final class ApiClient {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** The ledger's internal query endpoint, which some tests also call: not part of the public contract. */
    private static final String INTERNAL = "/internal/";

    private final String base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private OpenApiContract contract;

    ApiClient(int port, String token) {
        this.base = "http://127.0.0.1:" + port;
        this.token = token;
    }

    /** One answer: status, headers and body. */
    record Response(int status, HttpHeaders headers, String body) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new AssertionError("not JSON (HTTP " + status + "): " + body, e);
            }
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    Response get(String path) {
        return send(request(path).GET().build());
    }

    /**
     * Reads request {@code id} until it shows {@code status}, and returns that view: a new request
     * waits in RECEIVED for the subject gate for a moment before the approval policy moves it on.
     */
    JsonNode awaitStatus(String id, String status) {
        return awaitStatus(id, status, TIMEOUT);
    }

    /**
     * Reads request {@code id} until it shows {@code status}, for at most {@code atMost}; an answer
     * other than 200 (a 503 while the ledger restarts or rebalances) is read again.
     */
    JsonNode awaitStatus(String id, String status, Duration atMost) {
        final JsonNode[] seen = new JsonNode[1];
        await("request " + id + " in status " + status).atMost(atMost).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> {
                    final Response response = get("/v1/erasures/" + id);
                    assertEquals(200, response.status(), response.body());
                    seen[0] = response.json();
                    assertEquals(status, seen[0].path("status").asText(), response.body());
                });
        return seen[0];
    }

    Response post(String path, String jsonBody) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8)).build());
    }

    Response put(String path, String jsonBody) {
        return send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8)).build());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
    }

    private Response send(HttpRequest request) {
        final Response response = exchange(request);
        if (request.uri().getRawPath().startsWith(INTERNAL)) {
            return response;
        }
        final List<String> violations = contract().violations(request.method(), request.uri().getRawPath(),
                response.status(), response.header("Content-Type"), response.body());
        if (!violations.isEmpty()) {
            throw new AssertionError("the answer breaks /openapi.json: " + violations + "\nanswer: " + response.body());
        }
        return response;
    }

    /** The served document, read once per client. */
    private OpenApiContract contract() {
        if (contract == null) {
            final Response document = exchange(request("/openapi.json").GET().build());
            if (document.status() != 200) {
                throw new AssertionError("/openapi.json answered " + document.status());
            }
            contract = OpenApiContract.parse(document.body());
        }
        return contract;
    }

    private Response exchange(HttpRequest request) {
        try {
            final HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code value} as a JSON document (for building bodies). */
    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
