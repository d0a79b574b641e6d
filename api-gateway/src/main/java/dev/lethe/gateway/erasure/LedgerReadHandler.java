package dev.lethe.gateway.erasure;

import dev.lethe.gateway.http.Guard;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.function.UnaryOperator;

/**
 * A read of one request through the ledger, for any role: {@code GET /v1/erasures/{id}} (its
 * status) and {@code GET /v1/erasures/{id}/audit} (its audit trail, oldest first). The ledger's
 * JSON is relayed as it is; an id that is not a UUID, or that the ledger does not know, is a 404.
 */
public final class LedgerReadHandler implements Handler {

    private final Guard guard;
    private final UnaryOperator<String> read;

    /** {@code read} maps a request id to the ledger's JSON answer (e.g. {@code ledger::request}). */
    public LedgerReadHandler(Guard guard, UnaryOperator<String> read) {
        this.guard = guard;
        this.read = read;
    }

    @Override
    public void handle(Context ctx) {
        guard.require(ctx, Guard::anyRole);
        final String id = RequestIds.parse(ctx.pathParam("id"));
        ctx.contentType(ContentType.APPLICATION_JSON).result(read.apply(id));
    }
}
