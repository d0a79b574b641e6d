package dev.lethe.gateway.erasure;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lethe.avro.ErasureRequested;
import dev.lethe.gateway.api.ApiOptional;
import dev.lethe.gateway.api.OneOf;
import dev.lethe.gateway.api.Shapes;
import dev.lethe.gateway.auth.Role;
import dev.lethe.gateway.events.EventWriter;
import dev.lethe.gateway.events.Written;
import dev.lethe.gateway.http.Guard;
import dev.lethe.gateway.http.JsonBody;
import dev.lethe.gateway.http.RoleHandler;
import dev.lethe.gateway.ledger.LedgerClient;
import io.javalin.http.Context;
import io.javalin.http.Header;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/erasures} (submitter or admin). Validates the body, then:
 * <ol>
 *   <li>with an {@code Idempotency-Key}, the id is a name-based UUID of the caller's token hash
 *       and the key; if the ledger already has that id, the same body (same fingerprint) gets
 *       the first answer again and another body a 422 {@code idempotency_key_reused};</li>
 *   <li>if the subject has an open request with the same scope, a {@code DuplicateReceived}
 *       decision is written to it and the answer is {@code 200 {"id", "status", "duplicate": true}}
 *       (a ledger without the look-up route, e.g. an older version during a rolling upgrade, skips
 *       this check). The look-up cannot see a submission still in flight: two that race are both
 *       accepted here, and the ledger's subject gate, which sees a subject's requests in one order,
 *       dispatches the first and ends the other as its {@code duplicateOf};</li>
 *   <li>else an {@link ErasureRequested} is written and, once it is durable (acks=all, idempotent
 *       producer), the answer is {@code 202 {"id", "status": "RECEIVED"}} with its {@code Location}.
 *       The ledger applies it a moment later: a read that arrives before that waits for it in the
 *       ledger ({@code Arrivals}), so a GET after the 202 never answers 404, and a retry with the
 *       same key finds it for the check in step 1.</li>
 * </ol>
 * Nothing is written unless every check passed. The rules are {@link IntakeRules}, shared with
 * {@link BatchIntakeHandler}.
 */
public final class IntakeHandler implements RoleHandler {

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final Logger LOG = LoggerFactory.getLogger(IntakeHandler.class);

    private final EventWriter events;
    private final IntakeRules rules;

    /** The answer: {@code duplicate} only when the request was a duplicate of an open one. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Accepted(String id, @OneOf(Shapes.RequestStatus.class) String status, @ApiOptional Boolean duplicate) {
    }

    public IntakeHandler(EventWriter events, LedgerClient ledger, Vocabulary vocabulary, Clock clock) {
        this.events = events;
        this.rules = new IntakeRules(events, ledger, vocabulary, clock);
    }

    @Override
    public void handle(Context ctx, Role role) {
        final String key = IntakeRules.idempotencyKey(ctx.header(IDEMPOTENCY_KEY), null);
        final ErasureRequestBody body = JsonBody.read(ctx, ErasureRequestBody.class);
        final String id = IntakeRules.requestId(Guard.callerKey(ctx), key);
        final ErasureRequested request = rules.validated(body, id, rules.now(), role);
        final IntakeRules.Answer known = key == null ? null : rules.replayed(request);
        final IntakeRules.Answer answer = known != null ? known : rules.duplicate(request, role);
        if (answer != null) {
            answer(ctx, answer.status(), answer.body());
            return;
        }
        final Written written = events.write(request);
        LOG.info("request {} received from {} at {}-{}@{}", id, role.name(), written.topic(), written.partition(),
                written.offset());
        answer(ctx, 202, new Accepted(id, "RECEIVED", null));
    }

    private static void answer(Context ctx, int status, Accepted accepted) {
        ctx.header(Header.LOCATION, "/v1/erasures/" + accepted.id()).status(status).json(accepted);
    }
}
