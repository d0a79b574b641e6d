package dev.lethe.gateway.erasure;

import dev.lethe.gateway.auth.Role;
import dev.lethe.gateway.http.RoleHandler;
import dev.lethe.gateway.ledger.LedgerClient;
import io.javalin.http.ContentType;
import io.javalin.http.Context;

/**
 * {@code GET /v1/erasures/{id}} (any role): the request's status as the ledger has it, without
 * its internal fields. An id that is not a UUID, or unknown, is a 404; a ledger that has not
 * caught up is a 503 (never a 404 for an accepted id). The ledger's public view is relayed as it
 * is ({@link LedgerClient#publicRequest}), not parsed and written again.
 */
public final class StatusHandler implements RoleHandler {

    private final LedgerClient ledger;

    public StatusHandler(LedgerClient ledger) {
        this.ledger = ledger;
    }

    @Override
    public void handle(Context ctx, Role role) {
        final String id = RequestIds.parse(ctx.pathParam("id"));
        ctx.contentType(ContentType.APPLICATION_JSON).result(ledger.publicRequest(id));
    }
}
