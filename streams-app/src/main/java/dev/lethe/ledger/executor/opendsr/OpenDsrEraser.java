package dev.lethe.ledger.executor.opendsr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.avro.ErasureEvent;
import dev.lethe.avro.Identifier;
import dev.lethe.avro.OpenDsrIdentity;
import dev.lethe.avro.OpenDsrSettings;
import dev.lethe.avro.SystemRegistration;
import dev.lethe.ledger.executor.Answer;
import dev.lethe.ledger.executor.Progress;
import dev.lethe.ledger.executor.SystemEraser;
import dev.lethe.schemas.opendsr.Evidence;
import dev.lethe.schemas.opendsr.Identities;
import dev.lethe.schemas.opendsr.Processors;
import dev.lethe.schemas.opendsr.SignatureException;
import dev.lethe.schemas.opendsr.SubjectRequestIds;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code opendsr} executor's eraser: files an erasure request with a SaaS processor over
 * OpenDSR and answers with its signed receipt.
 *
 * <p>On a first event it reads the processor's discovery document and certificate
 * ({@link Processors}), maps the event's identifiers to the identity types and formats the
 * registration names (hashing as asked, skipping pairs the discovery document does not list),
 * and POSTs {@code {url}/requests} with a {@code subject_request_id} stable per (request, system)
 * ({@link SubjectRequestIds}), so a retry or a restart files the same request again and the
 * processor never sees two, and Lethe's status callback URL. A 201 whose signature verifies over
 * the raw body (before it is parsed) is the receipt: the answer is PROGRESS with the receipt's
 * evidence; the ledger then waits for the processor's signed callbacks (the gateway's
 * {@code /opendsr/v1/callbacks/...}). On a reminder (no news within the system's
 * {@code reminderHours}) it polls {@code GET {url}/requests/{subject_request_id}} instead, verifies
 * the signed status and maps it ({@link OpenDsrStatuses}); a processor that does not know the id
 * (404) gets the request filed again. 429 (after its {@code Retry-After}), 408, 5xx and connection
 * failures are retried with exponential backoff and jitter up to the registration's
 * {@code maxAttempts}; other 4xx, a bad signature or an untrusted certificate are FAILED at once.
 */
public final class OpenDsrEraser implements SystemEraser {

    private static final Logger LOG = LoggerFactory.getLogger(OpenDsrEraser.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);
    private static final int MAX_DETAIL = 300;

    private final HttpClient client;
    private final Processors processors;
    private final OpenDsrConfig config;
    private final Duration retryBase;

    public OpenDsrEraser(HttpClient client, Processors processors, OpenDsrConfig config, Duration retryBase) {
        this.client = client;
        this.processors = processors;
        this.config = config;
        this.retryBase = retryBase;
    }

    @Override
    public Answer erase(ErasureEvent event, SystemRegistration system, Progress progress) {
        final OpenDsrSettings settings = system.getOpendsr();
        if (settings == null) {
            return Answer.failed("system " + system.getName() + " has no opendsr settings");
        }
        final String id = SubjectRequestIds.of(event.getRequestId(), system.getName());
        try {
            if (event.getReminder()) {
                final Optional<Answer> polled = poll(settings, id);
                if (polled.isPresent()) {
                    return polled.get();
                }
            }
            return file(event, system.getName(), settings, id);
        } catch (SignatureException e) {
            LOG.warn("request {} system {}: the processor's answer is not trusted: {}", event.getRequestId(),
                    system.getName(), e.getMessage());
            return Answer.failed("the processor's answer failed verification: " + e.getMessage());
        } catch (IOException e) {
            return Answer.failed("the processor could not be read: " + e.getMessage());
        } catch (Transient e) {
            LOG.warn("request {} system {}: giving up after {} attempts: {}", event.getRequestId(), system.getName(),
                    settings.getMaxAttempts(), e.getMessage());
            return Answer.failed("after " + settings.getMaxAttempts() + " attempts: " + e.getMessage());
        }
    }

    /** The status of a filed request, verified and mapped; empty when the processor does not know it. */
    Optional<Answer> poll(OpenDsrSettings settings, String id) throws SignatureException, IOException {
        final HttpResponse<byte[]> response = call(settings, request(settings, "/requests/" + id).GET());
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            return Optional.of(refused("status", response));
        }
        final Processors.Verified signer = processors.verify(settings, response.body(),
                name -> response.headers().firstValue(name).orElse(null));
        final JsonNode status = readVerified(response.body(), id);
        final String value = status.path("request_status").asText();
        return Optional.of(OpenDsrStatuses.answer(value, Evidence.of("status", id, value, signer, response.body())));
    }

    private Answer file(ErasureEvent event, String system, OpenDsrSettings settings, String id)
            throws SignatureException, IOException {
        final Processors.Known processor = processors.get(settings);
        final List<ObjectNode> identities = identities(event, settings, processor);
        if (identities.isEmpty()) {
            return Answer.failed("none of the request's identifiers is in a type and format the processor accepts");
        }
        final byte[] body = body(event, system, settings, id, identities);
        final HttpResponse<byte[]> response = call(settings, request(settings, "/requests")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        if (response.statusCode() == 409) {
            return poll(settings, id).orElseGet(() -> Answer.failed("the processor answered 409 but knows no " + id));
        }
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            return refused("request", response);
        }
        final Processors.Verified signer = processors.verify(settings, response.body(),
                name -> response.headers().firstValue(name).orElse(null));
        final JsonNode receipt = readVerified(response.body(), id);
        LOG.info("request {} system {} filed with {} as {}", event.getRequestId(), system, signer.domain(), id);
        return OpenDsrStatuses.answer("pending", Evidence.of("receipt", id, null, signer, response.body())
                + " expected_completion_time=" + receipt.path("expected_completion_time").asText("?"));
    }

    private static JsonNode readVerified(byte[] body, String id) throws IOException {
        final JsonNode node = JSON.readTree(body);
        if (node == null || !id.equals(node.path("subject_request_id").asText())) {
            throw new IOException("the signed answer is not about subject_request_id " + id);
        }
        return node;
    }

    private static Answer refused(String what, HttpResponse<byte[]> response) {
        final String text = new String(response.body(), StandardCharsets.UTF_8).strip();
        return Answer.failed("the processor refused the " + what + " with " + response.statusCode() + ": "
                + (text.length() <= MAX_DETAIL ? text : text.substring(0, MAX_DETAIL) + "…"));
    }

    /** The identities to send: each configured (namespace → type, format) the processor lists, once. */
    static List<ObjectNode> identities(ErasureEvent event, OpenDsrSettings settings, Processors.Known processor) {
        final List<Identifier> all = new ArrayList<>();
        all.add(event.getSubject());
        event.getIdentifiers().stream().filter(i -> !i.equals(event.getSubject())).forEach(all::add);
        final Set<String> seen = new LinkedHashSet<>();
        final List<ObjectNode> identities = new ArrayList<>();
        for (OpenDsrIdentity wanted : settings.getIdentities()) {
            if (processor != null && !processor.discovery().accepts(wanted.getType(), wanted.getFormat())) {
                continue;
            }
            for (Identifier identifier : all) {
                if (!identifier.getNamespace().equals(wanted.getNamespace())) {
                    continue;
                }
                final String value = Identities.encode(wanted.getType(), wanted.getFormat(), identifier.getValue());
                if (seen.add(wanted.getType() + '|' + wanted.getFormat() + '|' + value)) {
                    identities.add(JSON.createObjectNode().put("identity_type", wanted.getType())
                            .put("identity_value", value).put("identity_format", wanted.getFormat()));
                }
            }
        }
        return identities;
    }

    private byte[] body(ErasureEvent event, String system, OpenDsrSettings settings, String id,
                        List<ObjectNode> identities) {
        final ObjectNode node = JSON.createObjectNode();
        node.put("subject_request_id", id);
        node.put("subject_request_type", "erasure");
        node.put("regulation", settings.getRegulation());
        node.put("submitted_time", DateTimeFormatter.ISO_INSTANT.format(event.getIssuedAt()));
        node.put("api_version", "2.0");
        final ArrayNode array = node.putArray("subject_identities");
        identities.forEach(array::add);
        config.callbackUrl(system, event.getRequestId()).ifPresent(url -> node.putArray("status_callback_urls").add(url));
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpRequest.Builder request(OpenDsrSettings settings, String path) throws IOException {
        final HttpRequest.Builder builder;
        try {
            builder = HttpRequest.newBuilder(URI.create(settings.getUrl() + path));
        } catch (IllegalArgumentException e) {
            throw new IOException("bad processor url", e);
        }
        builder.timeout(Duration.ofMillis(settings.getTimeoutMs())).header("Accept", "application/json");
        if (settings.getCredentialsFile() != null) {
            builder.header("Authorization", "Bearer " + token(settings.getCredentialsFile()));
        }
        return builder;
    }

    private static String token(String file) throws IOException {
        final String token;
        try {
            token = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IOException("cannot read the credentials file " + file + " (" + e.getClass().getSimpleName()
                    + ")");
        }
        if (token.isEmpty()) {
            throw new IOException("the credentials file " + file + " is empty");
        }
        return token;
    }

    /** Sends with retries: 408, 429 (after Retry-After), 5xx and connection failures are tried again. */
    private HttpResponse<byte[]> call(OpenDsrSettings settings, HttpRequest.Builder builder) {
        final HttpRequest request = builder.build();
        final IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(retryBase, 2.0, 0.5,
                Duration.ofMinutes(2));
        final IntervalBiFunction<HttpResponse<byte[]>> interval = (attempt, either) -> {
            if (either.isLeft() && either.getLeft() instanceof Transient t && t.retryAfter != null) {
                return t.retryAfter.toMillis();
            }
            return backoff.apply(attempt);
        };
        final Retry retry = Retry.of("opendsr", RetryConfig.<HttpResponse<byte[]>>custom()
                .maxAttempts(Math.max(1, settings.getMaxAttempts()))
                .intervalBiFunction(interval)
                .retryExceptions(Transient.class)
                .build());
        return retry.executeSupplier(() -> attempt(request));
    }

    private HttpResponse<byte[]> attempt(HttpRequest request) {
        final HttpResponse<byte[]> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new Transient(request.method() + " " + request.uri().getPath() + " failed: "
                    + e.getClass().getSimpleName(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling the processor", e);
        }
        final int status = response.statusCode();
        if (status == 429) {
            throw new Transient("the processor answered 429", retryAfter(response));
        }
        if (status == 408 || status >= 500) {
            throw new Transient("the processor answered " + status, null);
        }
        return response;
    }

    /** The wait a 429 asks for: {@code Retry-After} in seconds or as an HTTP date, at most five minutes. */
    static Duration retryAfter(HttpResponse<?> response) {
        final String value = response.headers().firstValue("Retry-After").orElse(null);
        if (value == null || value.isBlank()) {
            return null;
        }
        Duration wait;
        try {
            wait = Duration.ofSeconds(Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            try {
                wait = Duration.between(java.time.Instant.now(),
                        ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
        if (wait.isNegative()) {
            return Duration.ZERO;
        }
        return wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait;
    }

    /** A failure worth another attempt, with the wait the processor asked for, if any. */
    static final class Transient extends RuntimeException {

        private final transient Duration retryAfter;

        Transient(String message, Duration retryAfter) {
            super(message, null, false, false);
            this.retryAfter = retryAfter;
        }
    }
}
