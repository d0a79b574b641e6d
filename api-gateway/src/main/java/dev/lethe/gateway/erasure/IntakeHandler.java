package dev.lethe.gateway.erasure;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.avro.Decision;
import dev.lethe.avro.DuplicateReceived;
import dev.lethe.avro.ErasureRequested;
import dev.lethe.avro.Scope;
import dev.lethe.gateway.api.ApiOptional;
import dev.lethe.gateway.api.OneOf;
import dev.lethe.gateway.api.Shapes;
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
import io.javalin.http.Header;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
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
 * Nothing is written unless every check passed.
 */
public final class IntakeHandler implements RoleHandler {

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final int IDEMPOTENCY_KEY_MAX = 200;
    private static final Logger LOG = LoggerFactory.getLogger(IntakeHandler.class);

    private final EventWriter events;
    private final LedgerClient ledger;
    private final IntakeValidator validator;
    private final Clock clock;

    /** The answer: {@code duplicate} only when the request was a duplicate of an open one. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Accepted(String id, @OneOf(Shapes.RequestStatus.class) String status, @ApiOptional Boolean duplicate) {
    }

    public IntakeHandler(EventWriter events, LedgerClient ledger, Vocabulary vocabulary, Clock clock) {
        this.events = events;
        this.ledger = ledger;
        this.validator = new IntakeValidator(vocabulary,
                () -> ledger.systems().stream().map(RegisteredSystem::name).toList());
        this.clock = clock;
    }

    @Override
    public void handle(Context ctx, Role role) {
        final String key = idempotencyKey(ctx);
        final ErasureRequestBody body = JsonBody.read(ctx, ErasureRequestBody.class);
        final String id = key == null ? UUID.randomUUID().toString()
                : UUID.nameUUIDFromBytes(("lethe-intake\n" + Guard.callerKey(ctx) + "\n" + key)
                        .getBytes(StandardCharsets.UTF_8)).toString();
        final ErasureRequested request = validator.validated(body, id, clock.instant(), role);
        request.setFingerprint(Fingerprint.of(request));
        if (key != null && replayed(ctx, request)) {
            return;
        }
        if (duplicate(ctx, request, role)) {
            return;
        }
        final Written written = events.write(request);
        LOG.info("request {} received from {} at {}-{}@{}", id, role.name(), written.topic(), written.partition(),
                written.offset());
        answer(ctx, 202, new Accepted(id, "RECEIVED", null));
    }

    /** Answers again when the ledger already has this idempotent id; 422 when its body differed. */
    private boolean replayed(Context ctx, ErasureRequested request) {
        final JsonNode known;
        try {
            known = LedgerJson.parse(ledger.request(request.getRequestId()));
        } catch (ApiException e) {
            if (e.status() == 404) {
                return false;
            }
            throw e;
        }
        final JsonNode fingerprint = known.path("fingerprint");
        // A view without a fingerprint (a request filed by another producer, an older ledger) cannot be compared.
        if (fingerprint.isTextual() && !request.getFingerprint().equals(fingerprint.textValue())) {
            throw new ApiException(422, "idempotency_key_reused",
                    "this Idempotency-Key was already used with another body", null, null);
        }
        answer(ctx, 202, new Accepted(request.getRequestId(), "RECEIVED", null));
        return true;
    }

    private boolean duplicate(Context ctx, ErasureRequested request, Role role) {
        final JsonNode subject;
        try {
            subject = LedgerJson.parse(ledger.lookup(request.getSubject().getNamespace(),
                    request.getSubject().getValue()));
        } catch (ApiException e) {
            if (e.status() == 503) {
                // Taking the request matters more than spotting a duplicate: a second erasure is harmless.
                LOG.warn("the subject look-up is unavailable (rebalancing); request {} is filed without duplicate"
                        + " detection", request.getRequestId());
                return false;
            }
            if (e.status() != 404) {
                throw e;
            }
            // The look-up never answers 404 for a subject; a 404 is a ledger without the route (older version).
            LOG.warn("the ledger has no subject look-up; request {} is filed without duplicate detection",
                    request.getRequestId());
            return false;
        }
        for (final JsonNode open : subject.path("open")) {
            if (sameScope(request.getScope(), open.path("scope"))) {
                final String existing = open.path("id").asText();
                final Decision decision = new Decision(UUID.randomUUID().toString(), existing, clock.instant(),
                        role.name(), new DuplicateReceived(request.getSource()));
                events.write(decision);
                LOG.info("request from {} is a duplicate of open request {}", role.name(), existing);
                answer(ctx, 200, new Accepted(existing, open.path("status").asText(), true));
                return true;
            }
        }
        return false;
    }

    /** Both unscoped, or the same systems and the same exclusions (as sets). */
    static boolean sameScope(Scope scope, JsonNode known) {
        final Set<String> systems = scope == null ? Set.of() : Set.copyOf(scope.getSystems());
        final Set<String> exclude = scope == null ? Set.of() : Set.copyOf(scope.getExclude());
        return systems.equals(names(known.path("systems"))) && exclude.equals(names(known.path("exclude")));
    }

    private static Set<String> names(JsonNode array) {
        final Set<String> names = new HashSet<>();
        array.forEach(name -> names.add(name.asText()));
        return names;
    }

    private static String idempotencyKey(Context ctx) {
        final String key = ctx.header(IDEMPOTENCY_KEY);
        if (key == null) {
            return null;
        }
        if (key.isBlank() || key.length() > IDEMPOTENCY_KEY_MAX || !key.chars().allMatch(c -> c > 32 && c < 127)) {
            throw ApiException.badRequest("invalid_header", "the Idempotency-Key header must be 1-"
                    + IDEMPOTENCY_KEY_MAX + " printable ASCII characters without spaces", null);
        }
        return key;
    }

    private static void answer(Context ctx, int status, Accepted accepted) {
        ctx.header(Header.LOCATION, "/v1/erasures/" + accepted.id()).status(status).json(accepted);
    }
}
