package dev.lethe.gateway.erasure;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.avro.SealedIdentifiers;
import dev.lethe.gateway.auth.Role;
import dev.lethe.gateway.http.ApiException;
import dev.lethe.gateway.http.Guard;
import dev.lethe.gateway.http.JsonBody;
import dev.lethe.gateway.http.RoleHandler;
import dev.lethe.gateway.ledger.LedgerClient;
import dev.lethe.gateway.ledger.LedgerJson;
import dev.lethe.schemas.crypto.SealException;
import dev.lethe.schemas.crypto.Sealing;
import io.javalin.http.Context;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /v1/erasures/{id}/systems/{system}/identifiers} (the partner of that system, or
 * admin): opens the sealed identifiers of an {@code ErasureEvent} of the request (issue 12,
 * point 2), while the system's obligation is open: the request is routed to the system and
 * neither the request nor the system's part is finished (409 otherwise). 410 once the request's
 * data key is destroyed ({@code LETHE_FORGET_AFTER} after it finished); 400 when the bytes are
 * not a sealed value of this request. The answer is never cached ({@code Cache-Control:
 * no-store}) and nothing of it is logged.
 */
public final class IdentifiersHandler implements RoleHandler {

    /** A system's part that is settled: its obligation is closed. */
    static final Set<String> SETTLED = Set.of("DONE", "NOT_FOUND", "RETAINED");
    static final Set<String> FINISHED = Set.of("COMPLETED", "COMPLETED_WITH_EXCEPTIONS", "REJECTED", "CANCELLED");

    private final Guard guard;
    private final LedgerClient ledger;
    private final KeyLookup keys;

    /** One identifier in the clear. */
    public record Value(String namespace, String value) {
    }

    /** The opened identifiers. */
    public record Opened(String id, String system, Value subject, List<Value> identifiers, List<String> objects) {
    }

    public IdentifiersHandler(Guard guard, LedgerClient ledger, KeyLookup keys) {
        this.guard = guard;
        this.ledger = ledger;
        this.keys = keys;
    }

    @Override
    public void handle(Context ctx, Role role) {
        final String system = ctx.pathParam("system");
        if (!role.mayReportFor(system)) {
            throw guard.forbidden(ctx, role);
        }
        final String id = RequestIds.parse(ctx.pathParam("id"));
        final byte[] sealed = sealed(JsonBody.read(ctx, OpenBody.class));
        requireOpenObligation(id, system);
        final Optional<byte[]> key = keys.find(id);
        if (key.isEmpty()) {
            throw new ApiException(410, "key_destroyed", "request " + id + "'s data key is destroyed: its identifiers"
                    + " can no longer be opened", null, null);
        }
        final SealedIdentifiers values;
        try {
            values = Sealing.open(key.get(), id, sealed);
        } catch (SealException e) {
            throw ApiException.badRequest("not_sealed_for_request", "sealed is not a sealed value of request " + id,
                    "sealed");
        }
        ctx.header("Cache-Control", "no-store");
        ctx.json(new Opened(id, system, value(values.getSubject()),
                values.getIdentifiers().stream().map(IdentifiersHandler::value).toList(), values.getObjects()));
    }

    private static byte[] sealed(OpenBody body) {
        if (body.sealed() == null || body.sealed().isBlank()) {
            throw ApiException.badRequest("missing_field", "sealed is required: the sealed field of the event,"
                    + " base64", "sealed");
        }
        try {
            return Base64.getDecoder().decode(body.sealed().strip());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_base64", "sealed must be base64 (standard alphabet)", "sealed");
        }
    }

    private void requireOpenObligation(String id, String system) {
        final JsonNode request = LedgerJson.parse(ledger.request(id));
        final String status = LedgerJson.systemStatus(request, system);
        if (status == null) {
            throw ApiException.conflict("system " + system + " is not a target of request " + id);
        }
        if (FINISHED.contains(request.path("status").asText()) || SETTLED.contains(status)) {
            throw ApiException.conflict("system " + system + "'s obligation on request " + id + " is closed: its"
                    + " identifiers are no longer served");
        }
    }

    private static Value value(dev.lethe.avro.Identifier identifier) {
        return new Value(identifier.getNamespace(), identifier.getValue());
    }
}
