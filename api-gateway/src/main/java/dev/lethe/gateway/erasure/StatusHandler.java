package dev.lethe.gateway.erasure;

import dev.lethe.gateway.http.Guard;
import dev.lethe.gateway.ledger.LedgerClient;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.javalin.http.Handler;

/**
 * {@code GET /v1/erasures/{id}} (any role): relays the ledger's JSON as it is; an id that is
 * not a UUID, or that the ledger does not know, is a 404.
 */
public final class StatusHandler implements Handler {

    private final Guard guard;
    private final LedgerClient ledger;

    public StatusHandler(Guard guard, LedgerClient ledger) {
        this.guard = guard;
        this.ledger = ledger;
    }

    @Override
    public void handle(Context ctx) {
        guard.require(ctx, Guard::anyRole);
        final String id = RequestIds.parse(ctx.pathParam("id"));
        ctx.contentType(ContentType.APPLICATION_JSON).result(ledger.request(id));
    }
}
