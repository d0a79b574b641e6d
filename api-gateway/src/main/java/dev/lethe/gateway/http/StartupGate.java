package dev.lethe.gateway.http;

import io.javalin.http.Context;
import io.javalin.http.Header;
import java.util.Map;

/**
 * Lets a process open its HTTP port first and start everything else behind it: until
 * {@link #open()} is called, every call is answered 503 with {@code Retry-After} instead of the
 * connection being refused — {@code GET /health} and {@code GET /readyz} with their usual shape
 * and status {@value #STARTING}, {@code GET /livez} answered as usual (the process is alive),
 * every other route with the error body code {@code unavailable}. Once open it
 * stays open and costs one volatile read per call.
 */
public final class StartupGate {

    /** The {@code status} (and each check) that {@code GET /health} reports while starting. */
    public static final String STARTING = "STARTING";
    static final int RETRY_AFTER_SECONDS = 1;
    private static final String HEALTH = "/health";
    /** The liveness probe: answered while starting too (the process is alive). */
    public static final String LIVEZ = "/livez";
    /** The readiness probe: held like {@code /health} while starting. */
    public static final String READYZ = "/readyz";

    private volatile boolean open;

    private StartupGate(boolean open) {
        this.open = open;
    }

    /** A gate that holds calls until {@link #open()}. */
    public static StartupGate closed() {
        return new StartupGate(false);
    }

    /** A gate that never holds a call (an app with nothing to start behind its port). */
    public static StartupGate opened() {
        return new StartupGate(true);
    }

    /** From now on, calls go through to their routes. */
    public void open() {
        open = true;
    }

    public boolean isOpen() {
        return open;
    }

    /** A before-handler: passes when open, else answers 503 with Retry-After. */
    public void check(Context ctx) {
        if (open || LIVEZ.equals(ctx.path())) {
            return;
        }
        if (HEALTH.equals(ctx.path()) || READYZ.equals(ctx.path())) {
            ctx.header(Header.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
            ctx.status(503).json(Map.of("status", STARTING, "checks", Map.of("ledger", STARTING, "broker", STARTING)));
            ctx.skipRemainingHandlers();
            return;
        }
        throw ApiException.unavailable("Lethe is starting; try again in a moment", RETRY_AFTER_SECONDS);
    }
}
