package dev.lethe.gateway;

import dev.lethe.gateway.auth.Role;
import dev.lethe.gateway.http.RoleHandler;
import dev.lethe.gateway.ledger.LedgerClient;
import dev.lethe.gateway.ledger.LedgerHealth;
import dev.lethe.gateway.ops.BrokerCheck;
import io.javalin.http.Context;
import java.util.Map;

/**
 * {@code GET /health} (no token), the readiness probe: 200 {@code {"status": "UP", "checks"}} when
 * the ledger is running and the broker is reachable, else 503 {@code {"status": "DOWN",
 * "checks": {"ledger": "<its state>", "broker": "UP"|"DOWN"}}}.
 */
public final class HealthHandler implements RoleHandler {

    private final LedgerClient ledger;
    private final BrokerCheck broker;

    /** The answer. */
    public record Health(String status, Map<String, String> checks) {
    }

    /** What a DOWN answer asks a caller to wait before asking again, as while starting. */
    static final int RETRY_AFTER_SECONDS = 1;

    public HealthHandler(LedgerClient ledger, BrokerCheck broker) {
        this.ledger = ledger;
        this.broker = broker;
    }

    @Override
    public void handle(Context ctx, Role role) {
        final LedgerHealth health = ledger.health();
        final boolean brokerUp = broker.reachable();
        final Map<String, String> checks = Map.of("ledger", health.state(), "broker", brokerUp ? "UP" : "DOWN");
        if (health.up() && brokerUp) {
            ctx.json(new Health("UP", checks));
        } else {
            ctx.status(503).header("Retry-After", String.valueOf(RETRY_AFTER_SECONDS)).json(new Health("DOWN", checks));
        }
    }
}
