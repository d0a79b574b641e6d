package dev.lethe.gateway;

import dev.lethe.gateway.auth.Authenticator;
import dev.lethe.gateway.erasure.CallbackHandler;
import dev.lethe.gateway.erasure.Confirmation;
import dev.lethe.gateway.erasure.IntakeHandler;
import dev.lethe.gateway.erasure.LedgerReadHandler;
import dev.lethe.gateway.erasure.Vocabulary;
import dev.lethe.gateway.events.EventWriter;
import dev.lethe.gateway.http.ErrorMapper;
import dev.lethe.gateway.http.Guard;
import dev.lethe.gateway.http.Json;
import dev.lethe.gateway.ledger.LedgerClient;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.json.JavalinJackson;
import java.time.Clock;
import java.time.Duration;

/**
 * Builds (does not start) the gateway's Javalin app from its collaborators: the routes of the
 * public API, each a small handler, and the one exception mapping ({@link ErrorMapper}).
 * Tests build the same app with fakes.
 */
public final class GatewayApp {

    /**
     * What the handlers need.
     *
     * @param events        writes events durably
     * @param ledger        reads the ledger
     * @param authenticator maps tokens to roles
     * @param clock         the time of new events
     * @param vocabulary    the namespaces and jurisdictions a request may name
     * @param confirmWait   how long a write waits for the ledger to apply it
     */
    public record Collaborators(EventWriter events, LedgerClient ledger, Authenticator authenticator, Clock clock,
                                Vocabulary vocabulary, Duration confirmWait) {
    }

    private GatewayApp() {
    }

    /** The app, listening on {@code port} once started (0: any free port). */
    public static Javalin create(Collaborators collaborators, int port) {
        return Javalin.create(config -> configure(config, collaborators, port));
    }

    private static void configure(JavalinConfig config, Collaborators c, int port) {
        config.jetty.port = port;
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.jsonMapper(new JavalinJackson(Json.strict(), false));
        final Guard guard = new Guard(c.authenticator());
        final Confirmation confirmation = new Confirmation(c.ledger(), c.confirmWait());
        config.routes.get("/health", new HealthHandler(c.ledger()));
        config.routes.post("/v1/erasures",
                new IntakeHandler(guard, c.events(), c.ledger(), c.vocabulary(), confirmation, c.clock()));
        config.routes.get("/v1/erasures/{id}", new LedgerReadHandler(guard, c.ledger()::request));
        config.routes.get("/v1/erasures/{id}/audit", new LedgerReadHandler(guard, c.ledger()::audit));
        config.routes.post("/v1/erasures/{id}/systems/{system}/callback",
                new CallbackHandler(guard, c.events(), c.ledger(), confirmation, c.clock()));
        ErrorMapper.install(config.routes);
    }
}
