package dev.lethe.ledger.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.avro.Notification;
import dev.lethe.avro.OpenDsrPortal;
import dev.lethe.schemas.opendsr.OpenDsrHeaders;
import dev.lethe.schemas.opendsr.SigningPair;
import dev.lethe.schemas.opendsr.Statuses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls a portal back, signed, when the OpenDSR status of a request it filed changes (OpenDSR 2.0,
 * section 8.6): for a {@code STATUS_CHANGED} notification naming a portal, whose OpenDSR status
 * ({@link Statuses#ofLethe}) differs from the previous one (or is the first the portal hears of),
 * it POSTs to each of the portal's {@code status_callback_urls}
 * {@code {"controller_id","expected_completion_time","status_callback_url","subject_request_id","request_status","api_version"}}
 * with {@code X-OpenDSR-Processor-Domain} and {@code X-OpenDSR-Signature} (RSA SHA-256 over the
 * raw body, Lethe's {@link SigningPair}).
 *
 * <p>{@link #deliver} makes each URL's first attempt before it returns (so a callback is tried at
 * least once before its notification is committed); a failed one (an I/O error or a non-2xx
 * answer) is retried on a timer with exponential backoff and jitter, up to the configured attempts,
 * without holding up the next notifications or the other URLs. A retry is sent only while its
 * callback is still the newest for that URL (a later time, or for equal times the later
 * notification), else dropped. Each URL is checked against the allow-list
 * again before every call (a request written to Kafka by another producer is not trusted), and
 * redirects are not followed.
 */
public final class PortalCallbackSender implements AutoCloseable {

    static final String API_VERSION = "2.0";
    private static final java.util.Set<String> FINAL = java.util.Set.of("completed", "cancelled");
    private static final Logger LOG = LoggerFactory.getLogger(PortalCallbackSender.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How long {@link #deliver} makes first attempts before it hands the rest to the retry timer. */
    static final Duration FIRST_ATTEMPTS_BUDGET = Duration.ofSeconds(30);

    private final PortalCallbackConfig config;
    private final Duration budget;
    private final HttpClient http;
    private final ScheduledExecutorService retries;
    private final AtomicLong sequence = new AtomicLong();
    /** The newest status sent (or being sent) to each (subject_request_id, URL): its time and sequence. */
    private final Map<String, Callback> newest = new ConcurrentHashMap<>();

    public PortalCallbackSender(PortalCallbackConfig config) {
        this(config, FIRST_ATTEMPTS_BUDGET);
    }

    PortalCallbackSender(PortalCallbackConfig config, Duration budget) {
        this.config = config;
        this.budget = budget;
        this.http = HttpClient.newBuilder().connectTimeout(config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread thread = new Thread(r, "lethe-opendsr-callback-retries");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** One callback: a signed body for one URL; {@code seq} orders callbacks of equal {@code at} (0 until delivered). */
    record Callback(String requestId, String url, String subjectRequestId, String status, Instant at, byte[] body,
                    long seq) {

        Callback withSeq(long seq) {
            return new Callback(requestId, url, subjectRequestId, status, at, body, seq);
        }

        /** Whether this status is newer than {@code other}'s: a later time, or the same one delivered later. */
        boolean newerThan(Callback other) {
            return at.isAfter(other.at) || at.equals(other.at) && seq > other.seq;
        }
    }

    /** The callbacks {@code n} asks for: none unless it changes the OpenDSR status of a portal's request. */
    static List<Callback> callbacks(Notification n) {
        final OpenDsrPortal portal = n.getOpendsr();
        if (portal == null || portal.getCallbackUrls().isEmpty() || !"STATUS_CHANGED".equals(n.getType())
                || n.getStatus() == null) {
            return List.of();
        }
        final String status = Statuses.ofLethe(n.getStatus().name());
        if (n.getPreviousStatus() != null && status.equals(Statuses.ofLethe(n.getPreviousStatus().name()))) {
            return List.of();
        }
        final List<Callback> callbacks = new ArrayList<>();
        for (String url : portal.getCallbackUrls()) {
            callbacks.add(new Callback(n.getRequestId(), url, portal.getSubjectRequestId(), status, n.getAt(),
                    body(portal, url, status), 0));
        }
        return callbacks;
    }

    static byte[] body(OpenDsrPortal portal, String url, String status) {
        final ObjectNode node = JSON.createObjectNode();
        node.put("controller_id", portal.getControllerId());
        if (portal.getExpectedCompletionTime() != null) {
            node.put("expected_completion_time", portal.getExpectedCompletionTime());
        }
        node.put("status_callback_url", url);
        node.put("subject_request_id", portal.getSubjectRequestId());
        node.put("request_status", status);
        node.put("api_version", API_VERSION);
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends the callbacks of {@code n}: each URL's first attempt now, retries later. Once the
     * first attempts have taken {@link #FIRST_ATTEMPTS_BUDGET}, the remaining URLs' first attempts
     * go to the retry timer too, so one notification holds the consumer for at most the budget plus
     * one call ({@link PortalCallbacks#maxPollInterval}). Answers how many were taken on the first
     * attempt made here.
     */
    public int deliver(Notification n) {
        final long start = System.nanoTime();
        int taken = 0;
        for (Callback c : callbacks(n)) {
            final Callback callback = c.withSeq(sequence.incrementAndGet());
            newest.merge(key(callback), callback, (old, now) -> now.newerThan(old) ? now : old);
            if (System.nanoTime() - start >= budget.toNanos() && !retries.isShutdown()) {
                retries.execute(() -> attempt(callback, 1, true));
            } else if (attempt(callback, 1, false)) {
                taken++;
            }
        }
        return taken;
    }

    private static String key(Callback c) {
        return c.subjectRequestId() + " " + c.url();
    }

    /** One attempt; on failure the next is scheduled (or the callback given up). True when the portal took it. */
    private boolean attempt(Callback callback, int attempt, boolean deferred) {
        final Callback latest = newest.get(key(callback));
        // a later attempt finds its entry gone once the final status went through (or was given up),
        // or another (newer) callback in it: then it is not sent
        if ((attempt > 1 || deferred) && (latest == null || latest.seq() != callback.seq())) {
            LOG.info("opendsr callback {} of request {} not retried: a newer status went to the portal since",
                    callback.status(), callback.requestId());
            return false;
        }
        final String refusal = config.hosts().refusal(callback.url());
        if (refusal != null) {
            LOG.warn("opendsr callback of request {} not sent: its callback URL is refused: {}",
                    callback.requestId(), refusal);
            return false;
        }
        String failure;
        try {
            final int status = post(callback);
            if (status >= 200 && status <= 299) {
                LOG.info("opendsr callback {} of request {} taken by {} ({})", callback.status(),
                        callback.requestId(), URI.create(callback.url()).getHost(), status);
                done(callback);
                return true;
            }
            failure = "the portal answered " + status;
        } catch (IOException | RuntimeException e) {
            failure = e.getClass().getSimpleName() + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (attempt >= config.maxAttempts()) {
            LOG.warn("opendsr callback {} of request {} to {} given up after {} attempts: {}", callback.status(),
                    callback.requestId(), URI.create(callback.url()).getHost(), attempt, failure);
            done(callback);
            return false;
        }
        final long wait = backoff(attempt);
        LOG.info("opendsr callback {} of request {} failed (attempt {}): {}; again in {} ms", callback.status(),
                callback.requestId(), attempt, failure, wait);
        if (!retries.isShutdown()) {
            retries.schedule(() -> attempt(callback, attempt + 1, true), wait, TimeUnit.MILLISECONDS);
        }
        return false;
    }

    /** A final status is the last a URL hears of its request: its entry is forgotten once it is done with. */
    private void done(Callback callback) {
        if (FINAL.contains(callback.status())) {
            newest.computeIfPresent(key(callback), (k, held) -> held.seq() == callback.seq() ? null : held);
        }
    }

    /** How many (request, URL) pairs still wait for their final status (tests). */
    int tracked() {
        return newest.size();
    }

    /** The wait before attempt {@code attempt + 1}: the initial backoff doubled per attempt, ±50% jitter, at most 5 min. */
    private long backoff(int attempt) {
        final double base = config.initialBackoff().toMillis() * Math.pow(2, Math.min(attempt - 1, 20));
        final double jittered = base * (0.5 + ThreadLocalRandom.current().nextDouble());
        return (long) Math.min(jittered, Duration.ofMinutes(5).toMillis());
    }

    private int post(Callback callback) throws IOException, InterruptedException {
        final SigningPair signer = config.signer().get();
        final HttpRequest request = HttpRequest.newBuilder(URI.create(callback.url())).timeout(config.timeout())
                .header("Content-Type", "application/json")
                .header(OpenDsrHeaders.DOMAIN, signer.domain())
                .header(OpenDsrHeaders.SIGNATURE, signer.sign(callback.body()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(callback.body())).build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Stops retrying; callbacks still waiting for a retry are dropped (logged). */
    @Override
    public void close() {
        final int waiting = retries.shutdownNow().size();
        if (waiting > 0) {
            LOG.warn("opendsr callbacks: {} retries dropped at shutdown", waiting);
        }
    }
}
