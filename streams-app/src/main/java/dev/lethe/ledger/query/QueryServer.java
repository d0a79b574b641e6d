package dev.lethe.ledger.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.lethe.schemas.systems.SystemsJson;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.function.Function;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams-app's internal HTTP endpoint, the interactive-query RPC layer the gateway reads
 * through: {@code GET /internal/v1/requests/{id}} (optionally waiting for a written position),
 * {@code GET /internal/v1/requests/{id}/audit},
 * {@code GET /internal/v1/systems}, {@code GET /internal/health}. A key owned by another
 * instance is forwarded to it once; a store that cannot answer yet gives 503 with Retry-After.
 */
public final class QueryServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueryServer.class);
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final LedgerQueries queries;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Javalin app;

    public QueryServer(LedgerQueries queries, Clock clock) {
        this.queries = queries;
        this.clock = clock;
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.routes.get("/internal/v1/requests/{id}", this::request);
            config.routes.get("/internal/v1/requests/{id}/audit", this::audit);
            config.routes.get("/internal/v1/systems", this::systems);
            config.routes.get("/internal/health", this::health);
            config.routes.exception(StreamsException.class, (e, ctx) -> unavailable(ctx, e.getMessage()));
        });
    }

    public QueryServer start(String host, int port) {
        app.start(host, port);
        return this;
    }

    public int port() {
        return app.port();
    }

    private void request(Context ctx) throws InterruptedException {
        final String id = ctx.pathParam("id");
        final Duration wait = Duration.ofMillis(Math.min(MAX_WAIT.toMillis(),
                Long.parseLong(ctx.queryParamAsClass("waitMs", String.class).getOrDefault("0"))));
        answer(ctx, id, queries.find(id, bound(ctx), wait), state -> RequestView.of(state, clock.instant()));
    }

    private void audit(Context ctx) throws InterruptedException {
        final String id = ctx.pathParam("id");
        answer(ctx, id, queries.audit(id), facts -> facts.stream().map(AuditView::of).toList());
    }

    private <T> void answer(Context ctx, String id, Lookup<T> lookup, Function<T, Object> view)
            throws InterruptedException {
        if (lookup instanceof Lookup.Found<T> found) {
            json(ctx, 200, view.apply(found.value()));
        } else if (lookup instanceof Lookup.NotFound<T>) {
            error(ctx, 404, "not_found", "no erasure request " + id);
        } else if (lookup instanceof Lookup.Unavailable<T> unavailable) {
            unavailable(ctx, unavailable.reason());
        } else if (lookup instanceof Lookup.Elsewhere<T> elsewhere) {
            forward(ctx, elsewhere.owner());
        }
    }

    private static Position bound(Context ctx) {
        final String topic = ctx.queryParam("topic");
        final String partition = ctx.queryParam("partition");
        final String offset = ctx.queryParam("offset");
        if (topic == null || partition == null || offset == null) {
            return null;
        }
        return Position.emptyPosition().withComponent(topic, Integer.parseInt(partition), Long.parseLong(offset));
    }

    private void forward(Context ctx, HostInfo owner) throws InterruptedException {
        if (ctx.queryParam("forwarded") != null) {
            unavailable(ctx, "ownership of this key is moving");
            return;
        }
        final StringBuilder target = new StringBuilder("http://").append(owner.host()).append(':')
                .append(owner.port()).append(ctx.path()).append("?forwarded=1");
        for (Map.Entry<String, java.util.List<String>> param : ctx.queryParamMap().entrySet()) {
            target.append('&').append(URLEncoder.encode(param.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(param.getValue().get(0), StandardCharsets.UTF_8));
        }
        try {
            final HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(target.toString()))
                    .timeout(MAX_WAIT.plusSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            answer.headers().firstValue("Retry-After").ifPresent(value -> ctx.header("Retry-After", value));
            ctx.status(answer.statusCode()).contentType("application/json").result(answer.body());
        } catch (IOException e) {
            LOG.warn("cannot forward a query to {}:{}: {}", owner.host(), owner.port(), e.getMessage());
            unavailable(ctx, "the instance that owns this request cannot be reached");
        }
    }

    private void systems(Context ctx) {
        final ArrayNode array = JSON.createArrayNode();
        queries.systems().forEach(system -> array.add(SystemsJson.toJson(system)));
        ctx.contentType("application/json").result(array.toString());
    }

    private void health(Context ctx) {
        final boolean up = queries.running();
        json(ctx, up ? 200 : 503, Map.of("status", up ? "UP" : "DOWN", "state", queries.state().name()));
    }

    private static void unavailable(Context ctx, String reason) {
        ctx.header("Retry-After", "1");
        error(ctx, 503, "unavailable", "the ledger cannot answer right now, try again: " + reason);
    }

    private static void error(Context ctx, int status, String code, String message) {
        json(ctx, status, Map.of("error", code, "message", message));
    }

    private static void json(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    @Override
    public void close() {
        app.stop();
    }
}
