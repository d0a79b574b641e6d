package dev.lethe.gateway.erasure;

import dev.lethe.gateway.http.Guard;
import dev.lethe.gateway.ledger.LedgerClient;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.javalin.http.Handler;

/**
 * {@code GET /v1/erasures/{id}/audit} (any role): the request's audit trail, oldest first, as the
 * ledger keeps it. The facts carry no raw identifiers.
 */
public final class AuditHandler implements Handler {

    private final Guard guard;
    private final LedgerClient ledger;

    public AuditHandler(Guard guard, LedgerClient ledger) {
        this.guard = guard;
        this.ledger = ledger;
    }

    @Override
    public void handle(Context ctx) {
        guard.require(ctx, Guard::anyRole);
        final String id = RequestIds.parse(ctx.pathParam("id"));
        ctx.contentType(ContentType.APPLICATION_JSON).result(ledger.audit(id));
    }
}
