package dev.lethe.gateway.erasure;

import dev.lethe.avro.ErasureRequested;
import dev.lethe.gateway.auth.Role;
import dev.lethe.gateway.events.EventWriter;
import dev.lethe.gateway.events.Written;
import dev.lethe.gateway.http.Guard;
import dev.lethe.gateway.http.JsonBody;
import dev.lethe.gateway.ledger.LedgerClient;
import dev.lethe.gateway.ledger.RegisteredSystem;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.Header;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/erasures} (submitter or admin): validates the body, writes an
 * {@link ErasureRequested} with a new id, waits for the ledger to apply it and answers
 * {@code 202 {"id", "status": "RECEIVED"}} with its {@code Location}. Nothing is written
 * unless every check passed.
 */
public final class IntakeHandler implements Handler {

    private static final Logger LOG = LoggerFactory.getLogger(IntakeHandler.class);

    private final Guard guard;
    private final EventWriter events;
    private final Confirmation confirmation;
    private final IntakeValidator validator;
    private final Clock clock;

    /** The answer to an accepted request. */
    public record Accepted(String id, String status) {
    }

    public IntakeHandler(Guard guard, EventWriter events, LedgerClient ledger, Vocabulary vocabulary,
                         Confirmation confirmation, Clock clock) {
        this.guard = guard;
        this.events = events;
        this.confirmation = confirmation;
        this.validator = new IntakeValidator(vocabulary,
                () -> ledger.systems().stream().map(RegisteredSystem::name).toList());
        this.clock = clock;
    }

    @Override
    public void handle(Context ctx) {
        final Role role = guard.require(ctx, Role::maySubmit);
        final ErasureRequestBody body = JsonBody.read(ctx, ErasureRequestBody.class);
        final String id = UUID.randomUUID().toString();
        final ErasureRequested request = validator.validated(body, id, clock.instant(), role);
        final Written written = events.write(request);
        LOG.info("request {} received from {} at {}-{}@{}", id, role.name(), written.topic(), written.partition(),
                written.offset());
        confirmation.await(id, written);
        ctx.header(Header.LOCATION, "/v1/erasures/" + id).status(202).json(new Accepted(id, "RECEIVED"));
    }
}
