package dev.lethe.schemas.opendsr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An OpenDSR processor for tests: a real HTTP server (the JDK's) with its own key pair and a
 * certificate for {@code processor.test} issued by a test CA. It serves {@code /v1/discovery},
 * {@code /cert.pem}, {@code POST /v1/requests} (a signed 201 receipt; scripted failures first) and
 * {@code GET /v1/requests/{id}} (a signed status, 404 when unknown), and can send signed status
 * callbacks to the URLs a request named (or build them for a test to send itself).
 */
public final class FakeProcessor implements AutoCloseable {

    public static final String DOMAIN = "processor.test";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Pki.Issued ca;
    private final Pki.Issued identity;
    private final HttpServer server;
    private final Map<String, ObjectNode> requests = new ConcurrentHashMap<>();
    private final Map<String, String> statuses = new ConcurrentHashMap<>();
    private final List<JsonNode> filed = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final Deque<int[]> failures = new ConcurrentLinkedDeque<>();
    private final AtomicBoolean forgeResponses = new AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicInteger discoveryFetches = new java.util.concurrent.atomic.AtomicInteger();
    private final HttpClient client = HttpClient.newHttpClient();

    /** A signed body as sent. */
    public record Signed(byte[] body, String signature) {

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** One test CA for every processor of a test run (key generation is the slow part). */
    private static final Pki.Issued SHARED_CA = Pki.root("Lethe Test CA", Duration.ofDays(2));
    private static final java.security.PrivateKey FORGER = Pki.rsa().getPrivate();

    public FakeProcessor() {
        this(SHARED_CA);
    }

    public FakeProcessor(Pki.Issued ca) {
        this.ca = ca;
        this.identity = Pki.issue(ca, DOMAIN, Instant.now(), Duration.ofDays(1));
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/v1/discovery", this::discovery);
        server.createContext("/cert.pem", ex -> answer(ex, 200, Pki.pem(identity.certificate())
                .getBytes(StandardCharsets.US_ASCII), null));
        server.createContext("/v1/requests", this::requests);
        server.start();
    }

    /** The CA that issued the processor's certificate (the test's trusted root). */
    public Pki.Issued ca() {
        return ca;
    }

    public Pki.Issued identity() {
        return identity;
    }

    /** The OpenDSR base URL ({@code http://127.0.0.1:port/v1}). */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** The next POSTs answer these statuses (with {@code Retry-After: retryAfter} seconds on a 429). */
    public void failNext(int status, int retryAfterSeconds) {
        failures.add(new int[] {status, retryAfterSeconds});
    }

    /** From now on, responses are signed with a key that is not the certificate's. */
    public void forgeResponses() {
        forgeResponses.set(true);
    }

    /** Every request body the processor accepted, in order (repeats of one id included). */
    public List<JsonNode> filed() {
        return List.copyOf(filed);
    }

    public List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    public boolean knows(String subjectRequestId) {
        return requests.containsKey(subjectRequestId);
    }

    public void setStatus(String subjectRequestId, String status) {
        statuses.put(subjectRequestId, status);
    }

    /** A callback body for {@code status}, signed by the processor (or by {@code key} when forging). */
    public Signed callback(String subjectRequestId, String callbackUrl, String status, boolean forged) {
        final ObjectNode body = JSON.createObjectNode().put("controller_id", "lethe")
                .put("expected_completion_time", "2030-01-01T00:00:00Z").put("status_callback_url", callbackUrl)
                .put("subject_request_id", subjectRequestId).put("request_status", status);
        final byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        return new Signed(bytes, Signatures.sign(forged ? FORGER : identity.keys().getPrivate(), bytes));
    }

    /** Sets the status and POSTs a signed callback to every URL the request named; answers their statuses. */
    public List<Integer> sendCallbacks(String subjectRequestId, String status) {
        setStatus(subjectRequestId, status);
        final List<Integer> answers = new ArrayList<>();
        for (JsonNode url : requests.get(subjectRequestId).path("status_callback_urls")) {
            final Signed signed = callback(subjectRequestId, url.asText(), status, false);
            answers.add(post(url.asText(), signed, OpenDsrHeaders.SIGNATURE, OpenDsrHeaders.DOMAIN));
        }
        return answers;
    }

    /** POSTs {@code signed} to {@code url} with the given header family; answers the status. */
    public int post(String url, Signed signed, String signatureHeader, String domainHeader) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                    .header(signatureHeader, signed.signature()).header(domainHeader, DOMAIN)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(signed.body())).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** How many times the discovery document was fetched. */
    public int discoveryFetches() {
        return discoveryFetches.get();
    }

    private void discovery(HttpExchange exchange) throws IOException {
        discoveryFetches.incrementAndGet();
        final String base = "http://127.0.0.1:" + server.getAddress().getPort();
        answer(exchange, 200, ("{\"api_version\":\"2.0\",\"supported_identities\":["
                + "{\"identity_type\":\"email\",\"identity_format\":\"raw\"},"
                + "{\"identity_type\":\"email\",\"identity_format\":\"sha256\"},"
                + "{\"identity_type\":\"controller_customer_id\",\"identity_format\":\"raw\"}],"
                + "\"supported_subject_request_types\":[\"erasure\"],"
                + "\"processor_certificate\":\"" + base + "/cert.pem\"}").getBytes(StandardCharsets.UTF_8), null);
    }

    private void requests(HttpExchange exchange) throws IOException {
        final String path = exchange.getRequestURI().getPath();
        if ("POST".equals(exchange.getRequestMethod()) && path.equals("/v1/requests")) {
            final int[] failure = failures.poll();
            if (failure != null) {
                if (failure[1] >= 0) {
                    exchange.getResponseHeaders().add("Retry-After", String.valueOf(failure[1]));
                }
                answer(exchange, failure[0], ("{\"error\":{\"code\":" + failure[0] + "}}").getBytes(StandardCharsets.UTF_8),
                        null);
                return;
            }
            final byte[] raw = exchange.getRequestBody().readAllBytes();
            final ObjectNode request = (ObjectNode) JSON.readTree(raw);
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            filed.add(request);
            final String id = request.path("subject_request_id").asText();
            requests.putIfAbsent(id, request);
            statuses.putIfAbsent(id, "pending");
            final ObjectNode receipt = JSON.createObjectNode().put("controller_id", "lethe")
                    .put("expected_completion_time", "2030-01-01T00:00:00Z")
                    .put("received_time", Instant.now().toString())
                    .put("encoded_request", java.util.Base64.getEncoder().encodeToString(raw))
                    .put("subject_request_id", id);
            signed(exchange, 201, receipt);
            return;
        }
        if ("GET".equals(exchange.getRequestMethod()) && path.startsWith("/v1/requests/")) {
            final String id = path.substring("/v1/requests/".length());
            if (!requests.containsKey(id)) {
                answer(exchange, 404, "{\"error\":{\"code\":404}}".getBytes(StandardCharsets.UTF_8), null);
                return;
            }
            signed(exchange, 200, JSON.createObjectNode().put("controller_id", "lethe")
                    .put("expected_completion_time", "2030-01-01T00:00:00Z").put("subject_request_id", id)
                    .put("request_status", statuses.get(id)).put("api_version", "2.0"));
            return;
        }
        answer(exchange, 405, new byte[0], null);
    }

    private void signed(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        final byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        final String signature = Signatures.sign(forgeResponses.get() ? FORGER
                : identity.keys().getPrivate(), bytes);
        answer(exchange, status, bytes, signature);
    }

    private static void answer(HttpExchange exchange, int status, byte[] body, String signature) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        if (signature != null) {
            exchange.getResponseHeaders().add(OpenDsrHeaders.DOMAIN, DOMAIN);
            exchange.getResponseHeaders().add(OpenDsrHeaders.SIGNATURE, signature);
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
