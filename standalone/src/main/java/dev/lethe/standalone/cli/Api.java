package dev.lethe.standalone.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The gateway's HTTP API as the command line uses it: JSON in, JSON out, the token as a bearer.
 * A connection that cannot be made is an {@link IllegalStateException} saying where it tried;
 * every answer, 4xx and 5xx included, is returned to the caller to judge.
 */
final class Api {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final String base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Api(String base, String token) {
        this.base = base;
        this.token = token;
    }

    /** One answer: its status and its JSON body (a JSON null when it had none). */
    record Answer(int status, JsonNode body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** {@code error: message} of an error body, or the status alone. */
        String problem() {
            final String error = body.path("error").asText("");
            final String message = body.path("message").asText("");
            return error.isEmpty() ? "HTTP " + status : error + ": " + message;
        }
    }

    String base() {
        return base;
    }

    Answer get(String path) {
        return send(request(path).GET().build());
    }

    Answer post(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(write(body))).build());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token).header("Accept", "application/json");
    }

    private Answer send(HttpRequest request) {
        try {
            final HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            final String text = response.body();
            return new Answer(response.statusCode(), text == null || text.isBlank() ? NullNode.getInstance()
                    : JSON.readTree(text));
        } catch (ConnectException e) {
            throw new IllegalStateException("cannot reach Lethe at " + base + " (is it running? set --url or "
                    + "LETHE_URL)", e);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(request.method() + " " + request.uri().getPath()
                    + " answered something that is not JSON", e);
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri().getPath() + " failed: "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Interrupted(e);
        }
    }

    /** The thread was interrupted while it waited for an answer (its interrupt flag is set again). */
    static final class Interrupted extends RuntimeException {
        Interrupted(InterruptedException cause) {
            super("interrupted", cause);
        }
    }

    static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write JSON: " + e.getMessage(), e);
        }
    }
}
