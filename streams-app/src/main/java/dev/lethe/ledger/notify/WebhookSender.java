package dev.lethe.ledger.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.avro.Notification;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs one notification as JSON to the webhook URL, retrying a failed call (an I/O error or any
 * non-2xx answer) with exponential backoff and jitter up to the configured number of attempts.
 * {@link #send} answers whether the webhook took it; it never throws for a failed delivery.
 *
 * <p>The body: {@code {"requestId", "type", "status", "previousStatus", "system", "jurisdiction",
 * "deadline", "detail", "at"}} (times RFC 3339 UTC; absent values null). It never carries a raw
 * identifier: the ledger redacts them before a notification is written.
 */
public final class WebhookSender {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final NotifierConfig config;
    private final HttpClient http;
    private final Retry retry;

    public WebhookSender(NotifierConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(config.timeout()).build();
        this.retry = Retry.of("lethe-webhook", RetryConfig.custom()
                .maxAttempts(config.maxAttempts())
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(config.initialBackoff(), 2.0, 0.5))
                .retryExceptions(WebhookException.class, IOException.class, UncheckedIOException.class)
                .build());
    }

    /** Delivers {@code notification}; true once the webhook answered 2xx, false after the last failed attempt. */
    public boolean send(Notification notification) {
        final byte[] body = body(notification);
        try {
            retry.executeCheckedSupplier(() -> post(body));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            LOG.warn("notification {} of request {} not delivered after {} attempts: {}", notification.getType(),
                    notification.getRequestId(), config.maxAttempts(), e.getMessage());
            return false;
        }
    }

    private Integer post(byte[] body) throws IOException, InterruptedException {
        final HttpRequest request = HttpRequest.newBuilder(config.url()).timeout(config.timeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        final int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status < 200 || status > 299) {
            throw new WebhookException("the webhook answered " + status);
        }
        return status;
    }

    static byte[] body(Notification n) {
        final ObjectNode node = JSON.createObjectNode();
        node.put("requestId", n.getRequestId());
        node.put("type", n.getType());
        node.put("status", n.getStatus() == null ? null : n.getStatus().name());
        node.put("previousStatus", n.getPreviousStatus() == null ? null : n.getPreviousStatus().name());
        node.put("system", n.getSystem());
        node.put("jurisdiction", n.getJurisdiction());
        node.put("deadline", n.getDeadline() == null ? null : n.getDeadline().toString());
        node.put("detail", n.getDetail());
        node.put("at", n.getAt().toString());
        try {
            return JSON.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The webhook answered, but not with 2xx. */
    static final class WebhookException extends RuntimeException {
        WebhookException(String message) {
            super(message);
        }
    }
}
