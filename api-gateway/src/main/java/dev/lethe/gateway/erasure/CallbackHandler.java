package dev.lethe.gateway.erasure;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.avro.CallbackOutcome;
import dev.lethe.avro.SystemCallback;
import dev.lethe.gateway.api.OneOf;
import dev.lethe.gateway.auth.Role;
import dev.lethe.gateway.events.EventWriter;
import dev.lethe.gateway.events.Written;
import dev.lethe.gateway.http.ApiException;
import dev.lethe.gateway.http.Guard;
import dev.lethe.gateway.http.JsonBody;
import dev.lethe.gateway.http.RoleHandler;
import dev.lethe.gateway.ledger.LedgerClient;
import dev.lethe.gateway.ledger.LedgerJson;
import dev.lethe.gateway.ledger.RegisteredSystem;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /v1/erasures/{id}/systems/{system}/callback} (the partner of that system, admin,
 * or an approver when the system's mode is {@code manual}, where a DONE or NOT_FOUND needs its
 * evidence in {@code detail}): validates the body, checks that the system is registered (400), that the request
 * exists (404) and, once it is routed, that the system is one of its targets (409), writes a {@link SystemCallback}
 * (its text sealed under the request's data key when it can, {@link CallbackSealing}),
 * waits for the ledger to apply it and answers {@code 202 {"id", "system", "outcome"}}.
 */
public final class CallbackHandler implements RoleHandler {

    private static final Set<String> BEFORE_ROUTING = Set.of("RECEIVED", "PENDING_APPROVAL", "SCHEDULED");

    private final Guard guard;
    private final EventWriter events;
    private final LedgerClient ledger;
    private final Confirmation confirmation;
    private final Clock clock;
    private final KeyLookup keys;

    /** The answer to an accepted callback. */
    public record Accepted(String id, String system, @OneOf(CallbackOutcome.class) String outcome) {
    }

    /** @param keys the data keys the callback's text is sealed under ({@link CallbackSealing}) */
    public CallbackHandler(Guard guard, EventWriter events, LedgerClient ledger, Confirmation confirmation,
                           Clock clock, KeyLookup keys) {
        this.keys = keys;
        this.guard = guard;
        this.events = events;
        this.ledger = ledger;
        this.confirmation = confirmation;
        this.clock = clock;
    }

    @Override
    public void handle(Context ctx, Role role) {
        final String system = ctx.pathParam("system");
        final boolean manualByApprover = !role.mayReportFor(system) && role.kind() == Role.Kind.APPROVER
                && registered(system).map(RegisteredSystem::manual).orElse(false);
        if (!role.mayReportFor(system) && !manualByApprover) {
            throw guard.forbidden(ctx, role);
        }
        final String id = RequestIds.parse(ctx.pathParam("id"));
        final CallbackBody body = JsonBody.read(ctx, CallbackBody.class);
        final SystemCallback callback = CallbackValidator.validated(body, id, system, clock.instant(), role);
        final RegisteredSystem registered = registered(system).orElseThrow(() ->
                ApiException.badRequest("unknown_system", "no registered system is named " + system, null));
        if (registered.manual()) {
            CallbackValidator.requireEvidence(callback);
        }
        requireTarget(id, system);
        final Written written = events.write(CallbackSealing.sealed(callback, keys));
        confirmation.await(id, written);
        ctx.status(202).json(new Accepted(id, system, callback.getOutcome().name()));
    }

    private Optional<RegisteredSystem> registered(String system) {
        return ledger.systems().stream().filter(registered -> registered.name().equals(system)).findFirst();
    }

    /**
     * A routed request must target the system. One not routed yet (at the subject gate, waiting for
     * an approver, in its grace period) has no targets to check: the ledger keeps an early callback
     * and applies it at dispatch, or audits it as not targeted.
     */
    private void requireTarget(String id, String system) {
        final JsonNode request = LedgerJson.parse(ledger.request(id));
        if (BEFORE_ROUTING.contains(request.path("status").asText())) {
            return;
        }
        if (LedgerJson.systemStatus(request, system) == null) {
            throw ApiException.conflict("system " + system + " is not a target of request " + id);
        }
    }
}
