package dev.lethe.gateway.opendsr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.avro.CallbackOutcome;
import dev.lethe.avro.CallbackRefused;
import dev.lethe.avro.Decision;
import dev.lethe.avro.OpenDsrSettings;
import dev.lethe.avro.SystemCallback;
import dev.lethe.avro.SystemMode;
import dev.lethe.avro.SystemRegistration;
import dev.lethe.gateway.api.ApiOptional;
import dev.lethe.gateway.api.OneOf;
import dev.lethe.gateway.auth.Role;
import dev.lethe.gateway.erasure.Confirmation;
import dev.lethe.gateway.events.EventWriter;
import dev.lethe.gateway.events.Written;
import dev.lethe.gateway.http.ApiException;
import dev.lethe.gateway.http.JsonBody;
import dev.lethe.gateway.http.RoleHandler;
import dev.lethe.gateway.ledger.LedgerClient;
import dev.lethe.gateway.ledger.LedgerJson;
import dev.lethe.schemas.opendsr.Evidence;
import dev.lethe.schemas.opendsr.Processors;
import dev.lethe.schemas.opendsr.SignatureException;
import dev.lethe.schemas.opendsr.Signatures;
import dev.lethe.schemas.opendsr.Statuses;
import dev.lethe.schemas.opendsr.SubjectRequestIds;
import dev.lethe.schemas.systems.InvalidRegistrationException;
import dev.lethe.schemas.systems.SystemsJson;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /opendsr/v1/callbacks/{system}/{id}}: an OpenDSR processor's signed status callback
 * about what Lethe filed with it for request {@code id}. No token: the signature authenticates.
 * The raw body's signature ({@code X-OpenDSR-Signature} or {@code X-OpenGDPR-Signature}) is
 * checked against the certificate of the processor registered as {@code system} (mode
 * {@code opendsr}) before the body is parsed; a callback that fails is refused with 403, logged
 * as {@code opendsr callback refused} with the reason, and changes nothing: for a request that
 * targets the system it is audited in the request's trail (OPENDSR_CALLBACK_REFUSED, with the
 * reason and the body's SHA-256), at most once per (request, system) per minute in this gateway. A verified one must be
 * about this (request, system)'s {@code subject_request_id} and name this URL as its
 * {@code status_callback_url} (400 otherwise); its {@code request_status} becomes a callback
 * (PROGRESS, DONE or FAILED) whose detail is the signed evidence ({@link Evidence}), written to
 * {@code erasure.callbacks} and so kept in the hash-chained audit. The same signed body again (a
 * replay) finds its digest in the request's trail and is answered 200 without writing anything.
 */
public final class ProcessorCallbackHandler implements RoleHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessorCallbackHandler.class);
    /** The longest verification failure kept in the trail. */
    static final int MAX_REASON = 160;
    /** A request status after which nothing more is audited for it (RequestStatus.finished). */
    private static final java.util.Set<String> FINISHED = java.util.Set.of("COMPLETED", "COMPLETED_WITH_EXCEPTIONS",
            "REJECTED", "CANCELLED");
    /** A system status after which nothing is left for it to do (SystemStatus.settled). */
    private static final java.util.Set<String> SETTLED = java.util.Set.of("DONE", "NOT_FOUND", "RETAINED");
    /** The audit type of a refused callback (the ledger's). */
    static final String REFUSED_FACT = "OPENDSR_CALLBACK_REFUSED";

    private final EventWriter events;
    private final LedgerClient ledger;
    private final Confirmation confirmation;
    private final Processors processors;
    private final Clock clock;
    private final RefusalWindow refusals = new RefusalWindow();

    /** The answer: {@code replayed} when the same signed callback had been applied before. */
    public record Accepted(String id, String system, @OneOf(CallbackOutcome.class) String outcome,
                           @ApiOptional Boolean replayed) {
    }

    public ProcessorCallbackHandler(EventWriter events, LedgerClient ledger, Confirmation confirmation, Processors processors,
                           Clock clock) {
        this.events = events;
        this.ledger = ledger;
        this.confirmation = confirmation;
        this.processors = processors;
        this.clock = clock;
    }

    @Override
    public void handle(Context ctx, Role role) {
        final String system = ctx.pathParam("system");
        final String id = ctx.pathParam("id");
        final OpenDsrSettings settings = settings(system);
        final byte[] raw = JsonBody.readBounded(ctx);
        final Processors.Verified signer;
        try {
            signer = processors.verify(settings, raw, ctx::header);
        } catch (SignatureException e) {
            LOG.warn("opendsr callback refused: request {} system {}: {}", id, system, e.getMessage());
            auditRefusal(id, system, e.getMessage(), raw);
            throw new ApiException(403, "signature_refused", "the callback's signature was refused: "
                    + e.getMessage(), null, null);
        } catch (IOException e) {
            LOG.warn("opendsr callback for request {} system {}: the processor cannot be read: {}", id, system,
                    e.getMessage());
            throw ApiException.unavailable("the processor's discovery document or certificate cannot be read", 30);
        }
        final JsonNode body = JsonBody.parse(raw, JsonNode.class);
        final String subjectRequestId = SubjectRequestIds.of(id, system);
        if (!subjectRequestId.equals(body.path("subject_request_id").asText())) {
            throw ApiException.badRequest("invalid_value", "subject_request_id is not the one Lethe filed for request "
                    + id + " with system " + system, "subject_request_id");
        }
        if (!body.path("status_callback_url").asText().endsWith("/opendsr/v1/callbacks/" + system + "/" + id)) {
            throw ApiException.badRequest("invalid_value", "status_callback_url is not this endpoint",
                    "status_callback_url");
        }
        final String status = body.path("request_status").asText();
        final CallbackOutcome outcome = Statuses.outcome(status);
        final String digest = Signatures.sha256(raw);
        if (applied(id, digest)) {
            LOG.info("opendsr callback for request {} system {} replayed; nothing changes", id, system);
            ctx.status(200).json(new Accepted(id, system, outcome.name(), true));
            return;
        }
        final SystemCallback callback = SystemCallback.newBuilder()
                .setEventId(UUID.nameUUIDFromBytes(("opendsr-callback\n" + digest).getBytes(StandardCharsets.UTF_8))
                        .toString())
                .setRequestId(id).setSystem(system).setAt(clock.instant())
                .setActor("opendsr:" + signer.domain()).setOutcome(outcome)
                .setDetail((outcome == CallbackOutcome.FAILED ? "the processor cancelled the request; " : "")
                        + Evidence.of("callback", subjectRequestId, status, signer, raw))
                .build();
        final Written written = events.write(callback);
        confirmation.await(id, written);
        ctx.status(202).json(new Accepted(id, system, outcome.name(), null));
    }

    /**
     * Whether a callback with body digest {@code digest} was applied to request {@code id} already:
     * its evidence is in a fact of the trail. A refused callback's audit fact (which names the
     * refused body's digest, and whose reason a forger may shape) does not count, so that a forged
     * copy of a callback the processor has yet to send cannot make the genuine one look replayed.
     */
    private boolean applied(String id, String digest) {
        final String evidence = "body-sha256=" + digest;
        for (JsonNode fact : LedgerJson.parse(ledger.audit(id))) {
            if (!REFUSED_FACT.equals(fact.path("type").asText()) && fact.path("detail").asText().contains(evidence)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Records a refused callback in the request's hash chain (a {@code CallbackRefused} decision,
     * audited OPENDSR_CALLBACK_REFUSED with the reason and the body's SHA-256, never the body) when
     * the request is known, open and targets {@code system} with its obligation still open, at most
     * once per (request, system) per {@link RefusalWindow#WINDOW} in this gateway replica (the window
     * is taken only after those checks); otherwise, or when it cannot be written, only logged. The
     * refusal itself (403) does not depend on it.
     */
    private void auditRefusal(String id, String system, String reason, byte[] raw) {
        try {
            final JsonNode request = LedgerJson.parse(ledger.request(id));
            boolean open = false;
            for (JsonNode target : request.path("systems")) {
                open |= system.equals(target.path("name").asText()) && !SETTLED.contains(target.path("status").asText());
            }
            if (!open || FINISHED.contains(request.path("status").asText())) {
                LOG.info("opendsr callback refused for request {} which does not target {} or is done with it; logged"
                        + " only", id, system);
                return;
            }
            // only now: a refusal about an unknown request or another system never takes a real one's window
            if (!refusals.take(id + "\n" + system, clock.instant())) {
                LOG.info("opendsr callback refused again for request {} system {} within {}; logged only", id, system,
                        RefusalWindow.WINDOW);
                return;
            }
            events.write(new Decision(UUID.randomUUID().toString(), id, clock.instant(), "opendsr:unverified",
                    new CallbackRefused(system, reason(reason), Signatures.sha256(raw))));
        } catch (RuntimeException e) { // an unknown request (404), a ledger or broker that cannot answer
            LOG.warn("opendsr callback refused for request {} system {} not audited: {}", id, system, e.getMessage());
        }
    }

    /**
     * The reason as audited: at most {@link #MAX_REASON} characters, anything but printable ASCII
     * replaced by {@code ?}, since part of it (a claimed domain, a header) is the sender's.
     */
    static String reason(String reason) {
        if (reason == null || reason.isBlank()) {
            return "signature refused";
        }
        final String cut = reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) + "..." : reason;
        final StringBuilder clean = new StringBuilder(cut.length());
        cut.chars().forEach(c -> clean.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
        return clean.toString();
    }

    /** The opendsr settings of {@code system}; 404 when it is not a registered opendsr system. */
    private OpenDsrSettings settings(String system) {
        final SystemRegistration registration;
        try {
            registration = SystemsJson.fromJson(system, LedgerJson.parse(ledger.system(system)));
        } catch (InvalidRegistrationException e) {
            throw ApiException.notFound("system " + system + " has no usable opendsr registration");
        }
        if (registration.getMode() != SystemMode.OPENDSR || registration.getOpendsr() == null) {
            throw ApiException.notFound("system " + system + " is not an opendsr system");
        }
        return registration.getOpendsr();
    }
}
