package dev.lethe.gateway.erasure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.avro.SystemCallback;
import dev.lethe.gateway.auth.Role;
import dev.lethe.gateway.events.EventWriter;
import dev.lethe.gateway.events.Written;
import dev.lethe.gateway.http.ApiException;
import dev.lethe.gateway.http.Guard;
import dev.lethe.gateway.http.Json;
import dev.lethe.gateway.http.JsonBody;
import dev.lethe.gateway.ledger.LedgerClient;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Clock;

/**
 * {@code POST /v1/erasures/{id}/systems/{system}/callback} (the partner of that system, or
 * admin): validates the body, checks that the system is registered (400), that the request
 * exists (404) and that the system is one of its targets (409), writes a {@link SystemCallback},
 * waits for the ledger to apply it and answers {@code 202 {"id", "system", "outcome"}}.
 */
public final class CallbackHandler implements Handler {

    private final Guard guard;
    private final EventWriter events;
    private final LedgerClient ledger;
    private final Confirmation confirmation;
    private final Clock clock;

    /** The answer to an accepted callback. */
    public record Accepted(String id, String system, String outcome) {
    }

    public CallbackHandler(Guard guard, EventWriter events, LedgerClient ledger, Confirmation confirmation,
                           Clock clock) {
        this.guard = guard;
        this.events = events;
        this.ledger = ledger;
        this.confirmation = confirmation;
        this.clock = clock;
    }

    @Override
    public void handle(Context ctx) {
        final String system = ctx.pathParam("system");
        final Role role = guard.require(ctx, r -> r.mayReportFor(system));
        final String id = RequestIds.parse(ctx.pathParam("id"));
        final CallbackBody body = JsonBody.read(ctx, CallbackBody.class);
        final SystemCallback callback = CallbackValidator.validated(body, id, system, clock.instant(), role);
        requireRegistered(system);
        requireTarget(id, system);
        final Written written = events.write(callback);
        confirmation.await(id, written);
        ctx.status(202).json(new Accepted(id, system, callback.getOutcome().name()));
    }

    private void requireRegistered(String system) {
        if (ledger.systems().stream().noneMatch(registered -> registered.name().equals(system))) {
            throw ApiException.badRequest("unknown_system", "no registered system is named " + system, null);
        }
    }

    private void requireTarget(String id, String system) {
        final JsonNode request = parse(ledger.request(id));
        for (final JsonNode target : request.path("systems")) {
            if (system.equals(target.path("name").asText(null))) {
                return;
            }
        }
        throw ApiException.conflict("system " + system + " is not a target of request " + id);
    }

    private static JsonNode parse(String ledgerAnswer) {
        try {
            return Json.lenient().readTree(ledgerAnswer);
        } catch (JsonProcessingException e) {
            throw ApiException.badGateway("the ledger's answer is not valid JSON");
        }
    }
}
