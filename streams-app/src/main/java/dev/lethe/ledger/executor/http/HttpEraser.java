package dev.lethe.ledger.executor.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.avro.ErasureEvent;
import dev.lethe.avro.HttpSettings;
import dev.lethe.avro.Identifier;
import dev.lethe.avro.SystemRegistration;
import dev.lethe.ledger.executor.Answer;
import dev.lethe.ledger.executor.Progress;
import dev.lethe.ledger.executor.SystemEraser;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP executor's eraser: POSTs {@code {requestId, subjectKey, identifiers, deadline}} as JSON
 * to the system's URL with an {@code Idempotency-Key} (a stable hash of request id and system, the
 * same on every attempt and after a restart) and a per-attempt timeout. Answers: 2xx → DONE;
 * 404 → NOT_FOUND; any other 4xx except 408 and 429 → FAILED at once with the response body as
 * detail; 408, 429, 5xx, timeouts and connection errors → retried with exponential backoff and
 * jitter (Resilience4j) up to the system's {@code maxAttempts}, then FAILED with the last error.
 */
public final class HttpEraser implements SystemEraser {

    private static final Logger LOG = LoggerFactory.getLogger(HttpEraser.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_DETAIL = 500;

    private final HttpClient client;
    private final Duration retryBase;

    public HttpEraser(Duration retryBase) {
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.retryBase = retryBase;
    }

    @Override
    public Answer erase(ErasureEvent event, SystemRegistration system, Progress progress) {
        final HttpSettings settings = system.getHttp();
        if (settings == null) {
            return Answer.failed("system " + system.getName() + " has no http settings");
        }
        final HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(settings.getUrl()))
                    .timeout(Duration.ofMillis(settings.getTimeoutMs()))
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", idempotencyKey(event.getRequestId(), system.getName()))
                    .POST(HttpRequest.BodyPublishers.ofString(body(event)))
                    .build();
        } catch (IllegalArgumentException e) {
            return Answer.failed("bad url for system " + system.getName() + ": " + e.getMessage());
        }
        final Retry retry = Retry.of("http-" + system.getName(), RetryConfig.custom()
                .maxAttempts(Math.max(1, settings.getMaxAttempts()))
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(retryBase, 2.0, 0.5, Duration.ofMinutes(2)))
                .retryExceptions(Transient.class)
                .build());
        try {
            return retry.executeSupplier(() -> attempt(request));
        } catch (Transient e) {
            LOG.warn("request {} system {}: giving up after {} attempts: {}", event.getRequestId(), system.getName(),
                    settings.getMaxAttempts(), e.getMessage());
            return Answer.failed("after " + settings.getMaxAttempts() + " attempts: " + e.getMessage());
        }
    }

    private Answer attempt(HttpRequest request) {
        final HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new Transient("timed out after " + request.timeout().map(Duration::toMillis).orElse(0L) + " ms");
        } catch (IOException e) {
            throw new Transient("connection failed: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling the partner", e);
        }
        final int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return Answer.done(0, "partner answered " + status);
        }
        if (status == 404) {
            return Answer.notFound("partner answered 404");
        }
        if (status == 408 || status == 429 || status >= 500) {
            throw new Transient("partner answered " + status);
        }
        return Answer.failed("partner answered " + status + ": " + shorten(response.body()));
    }

    private static String shorten(String body) {
        final String text = body == null ? "" : body.strip();
        return text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL) + "…";
    }

    static String body(ErasureEvent event) {
        final ObjectNode node = JSON.createObjectNode();
        node.put("requestId", event.getRequestId());
        node.put("subjectKey", event.getSubjectKey());
        final ArrayNode identifiers = node.putArray("identifiers");
        identifiers.addObject().put("namespace", event.getSubject().getNamespace())
                .put("value", event.getSubject().getValue());
        for (Identifier identifier : event.getIdentifiers()) {
            if (!identifier.equals(event.getSubject())) {
                identifiers.addObject().put("namespace", identifier.getNamespace()).put("value", identifier.getValue());
            }
        }
        node.put("deadline", event.getDeadline().toString());
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A stable key per (request, system): hex SHA-256 of both, so every retry and restart sends the same. */
    public static String idempotencyKey(String requestId, String system) {
        try {
            final MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest((requestId + '\n' + system).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A failure worth another attempt. */
    static final class Transient extends RuntimeException {

        Transient(String message) {
            super(message, null, false, false);
        }
    }
}
