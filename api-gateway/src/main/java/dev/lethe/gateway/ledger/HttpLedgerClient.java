package dev.lethe.gateway.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.gateway.events.Written;
import dev.lethe.gateway.http.ApiException;
import dev.lethe.gateway.http.Json;
import dev.lethe.schemas.config.InternalToken;
import dev.lethe.schemas.config.Secret;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link LedgerClient} over the streams-app's internal HTTP endpoint
 * ({@code /internal/v1/requests/{id}}, {@code /internal/v1/systems}, {@code /internal/health}).
 * Every call has a timeout; a ledger that cannot be reached, or does not answer in time, is a
 * 503 "ledger unreachable", never a 500. The systems list is cached for {@link #SYSTEMS_TTL}.
 * Every call carries the internal secret ({@link InternalToken}), which the ledger requires.
 *
 * <p>It may be given several instances of the ledger (their base URLs, comma separated). Each call
 * goes to the instance that answered last. When that one cannot be reached (connection refused or
 * reset, connect timeout), or answers 503 while it is not running (starting, rebalancing: its
 * {@code /internal/health} is not 200), the call is sent to the next instance, each instance once,
 * and the first that answers becomes the one asked first. Every call is a read (a GET, or a POST
 * look-up that writes nothing), so asking another instance is safe. A 503 from a running instance
 * (a key whose owner is moving), a 4xx or a 200 is the answer, never retried. A call that times out
 * after connecting is not repeated elsewhere (that would double its wait), but the next call starts
 * at the next instance. When no instance answers, the call fails as it did with one: 503 "ledger
 * unreachable", or the last not-running instance's 503 with its {@code Retry-After}.
 */
public final class HttpLedgerClient implements LedgerClient {

    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration SYSTEMS_TTL = Duration.ofSeconds(5);
    static final int RETRY_AFTER_SECONDS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(HttpLedgerClient.class);
    private static final TypeReference<List<RegisteredSystem>> SYSTEMS = new TypeReference<>() { };

    private static final String HEALTH = "/internal/health";
    /** The ledger marks an answer that is already the public view with this header (value {@code public}). */
    static final String VIEW_HEADER = "Lethe-View";
    private static final String PUBLIC_VIEW = "public";

    private final List<URI> bases;
    private final String authorization;
    private final HttpClient http;
    private final Duration timeout;
    private final Duration systemsTtl;
    private final Clock clock;
    private volatile Cached cached;
    /** The index in {@link #bases} of the instance that answered last: each call asks it first. */
    private volatile int preferred;

    private record Cached(List<RegisteredSystem> systems, Instant until) {
    }

    /** A client of the ledger at {@code baseUrls} (one or more, comma separated), default timeouts and cache. */
    public HttpLedgerClient(String baseUrls, Secret internalToken) {
        this(baseUrls, internalToken, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(CONNECT_TIMEOUT).build(), REQUEST_TIMEOUT,
                SYSTEMS_TTL, Clock.systemUTC());
    }

    public HttpLedgerClient(String baseUrls, Secret internalToken, HttpClient http, Duration timeout,
                            Duration systemsTtl, Clock clock) {
        this.bases = Arrays.stream(baseUrls.split(",")).map(String::strip).filter(url -> !url.isEmpty())
                .map(url -> URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url)).toList();
        if (bases.isEmpty()) {
            throw new IllegalArgumentException("no ledger URL in '" + baseUrls + "'");
        }
        this.authorization = InternalToken.headerValue(internalToken);
        this.http = http;
        this.timeout = timeout;
        this.systemsTtl = systemsTtl;
        this.clock = clock;
    }

    @Override
    public String request(String id) {
        return answer(get(requestPath(id), timeout), id);
    }

    /**
     * Asks the ledger for the public view and relays it byte for byte when the ledger marks it so
     * ({@value #VIEW_HEADER}); an answer without the mark (an older ledger) is stripped here.
     */
    @Override
    public String publicRequest(String id) {
        final HttpResponse<String> response = get(requestPath(id) + "?view=" + PUBLIC_VIEW, timeout);
        final String body = answer(response, id);
        if (response.headers().firstValue(VIEW_HEADER).filter(PUBLIC_VIEW::equals).isPresent()) {
            return body;
        }
        return LedgerJson.publicRequest(LedgerJson.parse(body)).toString();
    }

    @Override
    public String requestAfter(String id, Written position, Duration wait) {
        final String query = "?topic=" + encode(position.topic()) + "&partition=" + position.partition()
                + "&offset=" + position.offset() + "&waitMs=" + wait.toMillis();
        return answer(get(requestPath(id) + query, timeout.plus(wait)), id);
    }

    @Override
    public String audit(String id) {
        return answer(get(requestPath(id) + "/audit", timeout), id);
    }

    @Override
    public String list(Map<String, String> query) {
        final StringJoiner parameters = new StringJoiner("&", "?", "").setEmptyValue("");
        query.forEach((name, value) -> parameters.add(encode(name) + "=" + encode(value)));
        return answer(get("/internal/v1/requests" + parameters, timeout), null);
    }

    @Override
    public String certificate(String id) {
        return answer(get(requestPath(id) + "/certificate", timeout), id);
    }

    @Override
    public String lookup(String namespace, String value) {
        final String body;
        try {
            body = Json.strict().writeValueAsString(Map.of("namespace", namespace, "value", value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("two strings always make JSON", e);
        }
        return answer(post("/internal/v1/subjects/lookup", body), null);
    }

    /** One call to the ledger's batch look-up; a ledger without it (an older version) is asked one by one. */
    @Override
    public List<String> lookupAll(List<Map.Entry<String, String>> subjects) {
        final List<Map<String, String>> asked = subjects.stream()
                .map(subject -> Map.of("namespace", subject.getKey(), "value", subject.getValue())).toList();
        final String body;
        try {
            body = Json.strict().writeValueAsString(Map.of("subjects", asked));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("strings always make JSON", e);
        }
        final HttpResponse<String> response = post("/internal/v1/subjects/lookup-batch", body);
        if (response.statusCode() == 404) {
            return LedgerClient.super.lookupAll(subjects);
        }
        final JsonNode results = LedgerJson.parse(answer(response, null)).path("results");
        final List<String> answers = new java.util.ArrayList<>(subjects.size());
        for (int i = 0; i < subjects.size(); i++) {
            final JsonNode result = results.path(i);
            answers.add(result.isObject() ? result.toString() : null);
        }
        return answers;
    }

    @Override
    public void checkSql(String registrationJson) {
        sqlAnswer(post("/internal/v1/sql/check", registrationJson));
    }

    @Override
    public String previewSql(String system, String namespace, String value) {
        final String body;
        try {
            body = Json.strict().writeValueAsString(Map.of("namespace", namespace, "value", value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("two strings always make JSON", e);
        }
        final HttpResponse<String> response = post("/internal/v1/systems/" + encode(system) + "/preview", body);
        if (response.statusCode() == 404) {
            throw ApiException.notFound("no registered system is named " + system);
        }
        return sqlAnswer(response);
    }

    /** The ledger's SQL answers: a 400 relayed with its field, a 503 with its reason, the rest as usual. */
    private static String sqlAnswer(HttpResponse<String> response) {
        if (response.statusCode() != 400 && response.statusCode() != 503) {
            return answer(response, null);
        }
        try {
            final JsonNode body = Json.lenient().readTree(response.body());
            final String field = body.path("field").isTextual() ? body.path("field").asText() : null;
            final String message = body.path("message").asText("the ledger refused the SQL system");
            if (response.statusCode() == 400) {
                throw ApiException.badRequest(body.path("error").asText("invalid_value"), message, field);
            }
            throw ApiException.unavailable(message, retryAfter(response));
        } catch (JsonProcessingException e) {
            return answer(response, null);
        }
    }

    @Override
    public String system(String name) {
        final HttpResponse<String> response = get("/internal/v1/systems/" + encode(name), timeout);
        if (response.statusCode() == 404) {
            throw ApiException.notFound("no registered system is named " + name);
        }
        return answer(response, null);
    }

    @Override
    public String stats() {
        return answer(get("/internal/v1/stats", timeout), null);
    }

    @Override
    public List<RegisteredSystem> systems() {
        final Cached current = cached;
        final Instant now = clock.instant();
        if (current != null && now.isBefore(current.until())) {
            return current.systems();
        }
        final List<RegisteredSystem> systems = parseSystems(answer(get("/internal/v1/systems", timeout), null));
        cached = new Cached(systems, now.plus(systemsTtl));
        return systems;
    }

    @Override
    public LedgerHealth health() {
        final HttpResponse<String> response;
        try {
            response = get(HEALTH, timeout);
        } catch (ApiException e) {
            return new LedgerHealth(false, LedgerHealth.UNREACHABLE);
        }
        if (response.statusCode() == 200) {
            return LedgerHealth.running();
        }
        return new LedgerHealth(false, stateOf(response));
    }

    private HttpResponse<String> get(String pathAndQuery, Duration callTimeout) {
        return send(base -> HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .header(InternalToken.HEADER, authorization)
                .header("Accept", "application/json")
                .timeout(callTimeout)
                .GET()
                .build());
    }

    /** A POST look-up: it writes nothing, so it may be sent to another instance like a GET. */
    private HttpResponse<String> post(String path, String body) {
        return send(base -> HttpRequest.newBuilder(URI.create(base + path))
                .header(InternalToken.HEADER, authorization)
                .header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build());
    }

    /** Sends to the instance that answered last, then to the next ones while an instance cannot serve (see above). */
    private HttpResponse<String> send(Function<URI, HttpRequest> request) {
        final int first = preferred;
        HttpResponse<String> notRunning = null;
        for (int tried = 0; tried < bases.size(); tried++) {
            final int at = (first + tried) % bases.size();
            final HttpResponse<String> response = attempt(request, at);
            if (response == null) {
                continue;
            }
            if (bases.size() > 1 && response.statusCode() == 503 && !running(bases.get(at), response)) {
                LOG.info("ledger at {} is not running{}", bases.get(at),
                        tried + 1 < bases.size() ? "; asking the next" : "");
                notRunning = response;
                continue;
            }
            preferred = at;
            return response;
        }
        if (notRunning != null) {
            return notRunning;
        }
        throw unreachable();
    }

    /** The answer of the instance at {@code at}, or null when it cannot be reached (the next may be asked). */
    private HttpResponse<String> attempt(Function<URI, HttpRequest> request, int at) {
        final URI base = bases.get(at);
        try {
            return http.send(request.apply(base), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            LOG.warn("ledger at {} unreachable: {}", base, e.toString());
            return null;
        } catch (HttpTimeoutException e) {
            // Connected, then no answer in time: not repeated elsewhere (it would double the wait),
            // but the next call starts at the next instance.
            LOG.warn("ledger at {} did not answer in time: {}", base, e.toString());
            preferred = (at + 1) % bases.size();
            throw unreachable();
        } catch (IOException e) {
            LOG.warn("ledger at {} unreachable: {}", base, e.toString());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable();
        }
    }

    /** Whether the instance at {@code base}, which just answered 503, is running (its health says so). */
    private boolean running(URI base, HttpResponse<String> answered) {
        if (answered.request().uri().getPath().endsWith(HEALTH)) {
            return false;
        }
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base + HEALTH)).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable();
        }
    }

    private static String answer(HttpResponse<String> response, String id) {
        return switch (response.statusCode()) {
            case 200 -> response.body();
            case 401 -> throw ApiException.badGateway("the ledger refused the gateway's internal secret: give both "
                    + "services the same " + InternalToken.FILE_VARIABLE);
            case 404 -> throw ApiException.notFound(id == null ? "not found" : "no erasure request " + id);
            case 409 -> throw conflict(response);
            case 503 -> throw ApiException.unavailable("the ledger cannot answer yet (its state is moving or catching "
                    + "up); try again", retryAfter(response));
            default -> throw ApiException.badGateway("the ledger answered " + response.statusCode());
        };
    }

    /** The ledger's 409 with its own code and message (e.g. {@code not_finished}). */
    private static ApiException conflict(HttpResponse<String> response) {
        try {
            final JsonNode body = Json.lenient().readTree(response.body());
            return new ApiException(409, body.path("error").asText("conflict"),
                    body.path("message").asText("the request's state does not allow this"), null, null);
        } catch (JsonProcessingException e) {
            return ApiException.conflict("the request's state does not allow this");
        }
    }

    private static List<RegisteredSystem> parseSystems(String body) {
        try {
            return List.copyOf(Json.lenient().readValue(body, SYSTEMS));
        } catch (JsonProcessingException e) {
            throw ApiException.badGateway("the ledger's list of systems is not valid JSON");
        }
    }

    private static String stateOf(HttpResponse<String> response) {
        try {
            final JsonNode body = Json.lenient().readTree(response.body());
            return body.path("state").asText("HTTP " + response.statusCode());
        } catch (JsonProcessingException e) {
            return "HTTP " + response.statusCode();
        }
    }

    private static int retryAfter(HttpResponse<String> response) {
        return response.headers().firstValue("Retry-After").map(HttpLedgerClient::seconds).orElse(1);
    }

    private static int seconds(String value) {
        try {
            return Math.max(1, Integer.parseInt(value.strip()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static ApiException unreachable() {
        return ApiException.unavailable("ledger unreachable", RETRY_AFTER_SECONDS);
    }

    private static String requestPath(String id) {
        return "/internal/v1/requests/" + encode(id);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
