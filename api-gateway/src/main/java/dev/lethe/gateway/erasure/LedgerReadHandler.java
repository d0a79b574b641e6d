package dev.lethe.gateway.erasure;

import dev.lethe.gateway.auth.Role;
import dev.lethe.gateway.http.RoleHandler;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import java.util.function.UnaryOperator;

/**
 * A read of one request through the ledger: {@code GET /v1/erasures/{id}/audit} (its audit
 * trail, oldest first) and {@code GET /v1/erasures/{id}/certificate}. The ledger's JSON is
 * relayed as it is; an id that is not a UUID, or that the ledger does not know, is a 404.
 */
public final class LedgerReadHandler implements RoleHandler {

    private final UnaryOperator<String> read;

    /** {@code read} maps a request id to the ledger's JSON answer (e.g. {@code ledger::audit}). */
    public LedgerReadHandler(UnaryOperator<String> read) {
        this.read = read;
    }

    @Override
    public void handle(Context ctx, Role role) {
        final String id = RequestIds.parse(ctx.pathParam("id"));
        ctx.contentType(ContentType.APPLICATION_JSON).result(read.apply(id));
    }
}
