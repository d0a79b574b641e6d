package dev.lethe.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lethe.gateway.ledger.LedgerClient;
import dev.lethe.gateway.ledger.LedgerHealth;
import io.javalin.http.Context;
import io.javalin.http.Handler;

/**
 * {@code GET /health} (no token): 200 {@code {"status": "UP"}} when the ledger is running, else
 * 503 {@code {"status": "DOWN", "ledger": "<its state>"}}.
 */
public final class HealthHandler implements Handler {

    private final LedgerClient ledger;

    /** The answer: {@code ledger} (the ledger's state) only when down. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Health(String status, String ledger) {
    }

    public HealthHandler(LedgerClient ledger) {
        this.ledger = ledger;
    }

    @Override
    public void handle(Context ctx) {
        final LedgerHealth health = ledger.health();
        if (health.up()) {
            ctx.json(new Health("UP", null));
        } else {
            ctx.status(503).json(new Health("DOWN", health.state()));
        }
    }
}
