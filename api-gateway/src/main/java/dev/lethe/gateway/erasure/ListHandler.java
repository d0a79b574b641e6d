package dev.lethe.gateway.erasure;

import dev.lethe.gateway.auth.Role;
import dev.lethe.gateway.http.RoleHandler;
import dev.lethe.gateway.ledger.LedgerClient;
import dev.lethe.gateway.ledger.LedgerJson;
import dev.lethe.gateway.ledger.RegisteredSystem;
import io.javalin.http.Context;

/**
 * {@code GET /v1/erasures} (any role): one page of the cluster-wide list, newest first, with the
 * filters of {@link ListQuery}; {@code next} is the cursor of the following page or null.
 */
public final class ListHandler implements RoleHandler {

    private final LedgerClient ledger;

    public ListHandler(LedgerClient ledger) {
        this.ledger = ledger;
    }

    @Override
    public void handle(Context ctx, Role role) {
        final ListQuery query = ListQuery.fromParameters(ctx.queryParamMap())
                .requireRegistered(() -> ledger.systems().stream().map(RegisteredSystem::name).toList());
        ctx.json(LedgerJson.publicList(LedgerJson.parse(ledger.list(query.toLedger()))));
    }
}
