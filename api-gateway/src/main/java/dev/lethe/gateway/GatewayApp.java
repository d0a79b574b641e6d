package dev.lethe.gateway;

import dev.lethe.gateway.auth.Authenticator;
import dev.lethe.gateway.auth.Role;
import dev.lethe.gateway.erasure.RequestIds;
import dev.lethe.gateway.erasure.Vocabulary;
import dev.lethe.gateway.events.EventWriter;
import dev.lethe.gateway.http.ErrorMapper;
import dev.lethe.gateway.http.Guard;
import dev.lethe.gateway.http.JettyErrors;
import dev.lethe.gateway.http.Json;
import dev.lethe.gateway.http.RequestChecks;
import dev.lethe.gateway.http.Route;
import dev.lethe.gateway.http.StartupGate;
import dev.lethe.gateway.ledger.LedgerClient;
import dev.lethe.gateway.opendsr.OpenDsrGateway;
import dev.lethe.gateway.ops.BrokerCheck;
import dev.lethe.gateway.ops.GatewayMetrics;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.MDC;

/**
 * Builds (does not start) the gateway's Javalin app from its collaborators: the routes of
 * {@link GatewayRoutes}, each behind its {@link Guard} check and the {@link RequestChecks} of
 * its query and body (every request target checked first) and timed for {@code /metrics}, and the
 * one exception mapping ({@link ErrorMapper}), also for the server's own refusals ({@link JettyErrors}). Tests build the same app with fakes.
 */
public final class GatewayApp {

    /** The MDC key of the erasure request a log line is about (a JSON log line's {@code requestId}). */
    public static final String REQUEST_ID = "requestId";

    /**
     * What the handlers need.
     *
     * @param events        writes events durably
     * @param ledger        reads the ledger
     * @param authenticator maps tokens to roles
     * @param clock         the time of new events
     * @param vocabulary    the namespaces and jurisdictions a request may name
     * @param confirmWait   how long a write waits for the ledger to apply it
     * @param broker        whether the broker is reachable (for {@code /health})
     */
    public record Collaborators(EventWriter events, LedgerClient ledger, Authenticator authenticator, Clock clock,
                                Vocabulary vocabulary, Duration confirmWait, BrokerCheck broker,
                                OpenDsrGateway opendsr, dev.lethe.gateway.erasure.KeyLookup keys) {

        /** Collaborators of a gateway that cannot open sealed identifiers (no key-encryption key). */
        public Collaborators(EventWriter events, LedgerClient ledger, Authenticator authenticator, Clock clock,
                             Vocabulary vocabulary, Duration confirmWait, BrokerCheck broker,
                             OpenDsrGateway opendsr) {
            this(events, ledger, authenticator, clock, vocabulary, confirmWait, broker, opendsr,
                    dev.lethe.gateway.erasure.KeyLookup.none());
        }

        /** Without OpenDSR settings (an in-memory self-signed pair). */
        public Collaborators(EventWriter events, LedgerClient ledger, Authenticator authenticator, Clock clock,
                             Vocabulary vocabulary, Duration confirmWait, BrokerCheck broker,
                             dev.lethe.gateway.erasure.KeyLookup keys) {
            this(events, ledger, authenticator, clock, vocabulary, confirmWait, broker, OpenDsrGateway.local(), keys);
        }

        /** Without OpenDSR settings (an in-memory self-signed pair) and without a key-encryption key. */
        public Collaborators(EventWriter events, LedgerClient ledger, Authenticator authenticator, Clock clock,
                             Vocabulary vocabulary, Duration confirmWait, BrokerCheck broker) {
            this(events, ledger, authenticator, clock, vocabulary, confirmWait, broker, OpenDsrGateway.local());
        }
    }

    private GatewayApp() {
    }

    /** The app, listening on {@code port} once started (0: any free port). */
    public static Javalin create(Collaborators collaborators, int port) {
        return create(collaborators, port, StartupGate.opened());
    }

    /** The app behind {@code gate}: until the gate opens, every call is answered 503 with Retry-After. */
    public static Javalin create(Collaborators collaborators, int port, StartupGate gate) {
        return Javalin.create(config -> configure(config, collaborators, port, gate));
    }

    private static void configure(JavalinConfig config, Collaborators c, int port, StartupGate gate) {
        config.jetty.port = port;
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.jsonMapper(new JavalinJackson(Json.strict(), false));
        config.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrors()));
        final GatewayMetrics metrics = new GatewayMetrics(c.ledger(), c.clock());
        final Guard guard = new Guard(c.authenticator(), metrics.registry());
        config.routes.before(gate::check);
        config.routes.before(RequestChecks::wellFormed);
        for (final Route route : GatewayRoutes.of(c, guard, metrics)) {
            config.routes.addHttpHandler(route.method(), route.path(), ctx -> {
                ctx.attribute(Guard.ROUTE_ATTRIBUTE, route.path());
                final Role role = guard.authorize(ctx, route.access());
                RequestChecks.knownQuery(ctx, route);
                RequestChecks.jsonBody(ctx, route);
                try (MDC.MDCCloseable ignored = requestId(ctx)) {
                    route.handler().handle(ctx, role);
                }
            });
        }
        config.requestLogger.http((ctx, millis) ->
                metrics.recordHttp(ctx.method().name(), Guard.route(ctx), ctx.statusCode(), millis));
        ErrorMapper.install(config.routes);
    }

    /**
     * Puts the erasure request's id (the {@code {id}} of its routes) in the MDC while its handler
     * runs, so that a JSON log line carries it; {@code null} (nothing to close) on other routes.
     */
    private static MDC.MDCCloseable requestId(Context ctx) {
        final String id = loggableRequestId(ctx.pathParamMap().get("id"));
        return id == null ? null : MDC.putCloseable(REQUEST_ID, id);
    }

    /**
     * The path's {@code {id}} when it is a request id (a UUID); null for anything else, which is
     * answered 404 and may be whatever a mistaken caller put in the path, an identifier included.
     */
    static String loggableRequestId(String pathId) {
        return RequestIds.isRequestId(pathId) ? pathId : null;
    }
}
