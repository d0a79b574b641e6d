package dev.lethe.gateway.erasure;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.avro.Acknowledged;
import dev.lethe.avro.Approved;
import dev.lethe.avro.Cancelled;
import dev.lethe.avro.Covered;
import dev.lethe.avro.DeadlineExtended;
import dev.lethe.avro.Decision;
import dev.lethe.avro.Rejected;
import dev.lethe.avro.Replayed;
import dev.lethe.avro.RetryFailed;
import dev.lethe.avro.RetryRequested;
import dev.lethe.gateway.api.OneOf;
import dev.lethe.gateway.api.Shapes;
import dev.lethe.gateway.auth.Role;
import dev.lethe.gateway.erasure.DecisionBodies.ExtendBody;
import dev.lethe.gateway.erasure.DecisionBodies.NoBody;
import dev.lethe.gateway.erasure.DecisionBodies.NoteBody;
import dev.lethe.gateway.erasure.DecisionBodies.ReasonBody;
import dev.lethe.gateway.events.EventWriter;
import dev.lethe.gateway.events.Written;
import dev.lethe.gateway.http.ApiException;
import dev.lethe.gateway.http.JsonBody;
import dev.lethe.gateway.http.RoleHandler;
import dev.lethe.gateway.ledger.LedgerClient;
import dev.lethe.gateway.ledger.LedgerJson;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.Set;
import java.util.UUID;

/**
 * A person's decision about one request (approver or admin): approve, reject, cancel, retry one
 * system, retry every FAILED system (or route an UNROUTED request again), extend the deadline,
 * acknowledge a contradiction. Reads the request first (404 when unknown), refuses a transition
 * its state does not allow with 409 {@code invalid_transition}, writes one {@link Decision}
 * (actor: the role's name), waits for the ledger to apply it and answers
 * {@code 202 {"id", "status"}}. Nothing is written when a check fails. A retry of an unrouted
 * request that the ledger confirms still routes to no system answers 409 {@code still_unrouted}
 * (the ledger refused the decision; nothing changed). A replay or cover of a COMPLETED request
 * ({@code lethe replay}, {@code lethe cover}) gives it a new obligation for one system; one the
 * ledger refuses (a cover of a system that holds none of its namespaces, or is not registered)
 * answers 409 {@code not_applied}.
 */
public final class DecisionHandler implements RoleHandler {

    static final int TEXT_MAX = 1024;
    static final int EXTEND_DAYS_MAX = 365;
    private static final Set<String> BEFORE_DISPATCH = Set.of("RECEIVED", "PENDING_APPROVAL", "SCHEDULED");
    private static final String UNROUTED = "UNROUTED";
    private static final Set<String> COMPLETED = Set.of("COMPLETED", "COMPLETED_WITH_EXCEPTIONS");
    /** The statuses of a system that still owes an answer. */
    private static final Set<String> OWING = Set.of("PENDING", "DISPATCHED", "IN_PROGRESS");

    /** The kinds of decision, each with its rule and its event. */
    public enum Kind { APPROVE, REJECT, CANCEL, RETRY_SYSTEM, RETRY_FAILED, EXTEND, ACKNOWLEDGE, REPLAY, COVER }

    private final Kind kind;
    private final EventWriter events;
    private final LedgerClient ledger;
    private final Confirmation confirmation;
    private final Clock clock;

    /** The answer to an accepted decision: the request's status once the ledger applied it. */
    public record Accepted(String id, @OneOf(Shapes.RequestStatus.class) String status) {
    }

    public DecisionHandler(Kind kind, EventWriter events, LedgerClient ledger, Confirmation confirmation,
                           Clock clock) {
        this.kind = kind;
        this.events = events;
        this.ledger = ledger;
        this.confirmation = confirmation;
        this.clock = clock;
    }

    /** The body type of a kind of decision (for the route table). */
    public static Class<?> bodyOf(Kind kind) {
        if (kind == Kind.REJECT || kind == Kind.CANCEL || kind == Kind.ACKNOWLEDGE) {
            return ReasonBody.class;
        }
        if (kind == Kind.EXTEND) {
            return ExtendBody.class;
        }
        return kind == Kind.RETRY_SYSTEM ? NoBody.class : NoteBody.class;
    }

    @Override
    public void handle(Context ctx, Role role) {
        final String id = RequestIds.parse(ctx.pathParam("id"));
        final Object action = action(ctx);
        final JsonNode request = LedgerJson.parse(ledger.request(id));
        allowed(ctx, request);
        final Written written = events.write(new Decision(UUID.randomUUID().toString(), id, clock.instant(),
                role.name(), action));
        final String confirmed = confirmation.await(id, written);
        final JsonNode after = confirmed == null ? null : LedgerJson.parse(confirmed);
        if (kind == Kind.RETRY_FAILED && after != null && LedgerJson.needs(after, UNROUTED)) {
            throw new ApiException(409, "still_unrouted", "no registered system holds this request's identifier "
                    + "namespaces under its jurisdiction and scope yet, so it stays unrouted: register a system that "
                    + "holds them and retry, or cancel the request with a reason", null, null);
        }
        if ((kind == Kind.REPLAY || kind == Kind.COVER) && after != null
                && !OWING.contains(String.valueOf(LedgerJson.systemStatus(after, ctx.pathParam("system"))))) {
            throw new ApiException(409, "not_applied", "the ledger did not give this request a new obligation for "
                    + ctx.pathParam("system") + ": it is not registered"
                    + (kind == Kind.COVER ? ", or holds none of the request's namespaces under its jurisdiction and "
                    + "scope" : ""), null, null);
        }
        final String status = after == null ? LedgerJson.status(request) : LedgerJson.status(after);
        ctx.status(202).json(new Accepted(id, status));
    }

    /** The decision's action from the body, checked; nothing is read from the ledger before this passes. */
    private Object action(Context ctx) {
        return switch (kind) {
            case APPROVE -> new Approved(Fields.optionalText(
                    JsonBody.readOptional(ctx, NoteBody.class, new NoteBody(null)).note(), "note", TEXT_MAX));
            case REJECT -> new Rejected(Fields.text(JsonBody.read(ctx, ReasonBody.class).reason(), "reason",
                    TEXT_MAX));
            case CANCEL -> new Cancelled(Fields.text(JsonBody.read(ctx, ReasonBody.class).reason(), "reason",
                    TEXT_MAX));
            case RETRY_SYSTEM -> {
                JsonBody.readOptional(ctx, NoBody.class, new NoBody());
                yield new RetryRequested(ctx.pathParam("system"));
            }
            case RETRY_FAILED -> new RetryFailed(Fields.optionalText(
                    JsonBody.readOptional(ctx, NoteBody.class, new NoteBody(null)).note(), "note", TEXT_MAX));
            case EXTEND -> extension(JsonBody.read(ctx, ExtendBody.class));
            case ACKNOWLEDGE -> new Acknowledged(Fields.text(JsonBody.read(ctx, ReasonBody.class).reason(), "reason",
                    TEXT_MAX));
            case REPLAY -> new Replayed(ctx.pathParam("system"), Fields.optionalText(
                    JsonBody.readOptional(ctx, NoteBody.class, new NoteBody(null)).note(), "note", TEXT_MAX));
            case COVER -> new Covered(ctx.pathParam("system"), Fields.optionalText(
                    JsonBody.readOptional(ctx, NoteBody.class, new NoteBody(null)).note(), "note", TEXT_MAX));
        };
    }

    private static DeadlineExtended extension(ExtendBody body) {
        final String reason = Fields.text(body.reason(), "reason", TEXT_MAX);
        if (body.days() != null) {
            Fields.range(body.days(), "days", 1, EXTEND_DAYS_MAX);
        }
        return new DeadlineExtended(reason, body.days());
    }

    private void allowed(Context ctx, JsonNode request) {
        final String status = LedgerJson.status(request);
        switch (kind) {
            case APPROVE -> require(status.equals("PENDING_APPROVAL"), status, "only a PENDING_APPROVAL request "
                    + "can be approved");
            case REJECT -> require(BEFORE_DISPATCH.contains(status), status, "only a RECEIVED, PENDING_APPROVAL or "
                    + "SCHEDULED request can be rejected");
            case CANCEL -> require(BEFORE_DISPATCH.contains(status) || LedgerJson.needs(request, UNROUTED), status,
                    "only a request not yet dispatched (RECEIVED, PENDING_APPROVAL, SCHEDULED) or an unrouted one "
                            + "can be cancelled");
            case RETRY_SYSTEM -> retrySystem(request, status, ctx.pathParam("system"));
            case RETRY_FAILED -> require(status.equals("IN_PROGRESS") && (LedgerJson.anySystem(request, "FAILED")
                    || LedgerJson.needs(request, UNROUTED)), status,
                    "only an IN_PROGRESS request with a FAILED system, or an unrouted one, can be retried");
            case EXTEND -> require(!LedgerJson.FINISHED.contains(status), status, "a finished request's deadline "
                    + "cannot be extended");
            case ACKNOWLEDGE -> require(LedgerJson.needs(request, "CONTRADICTED"), status, "only a request flagged "
                    + "CONTRADICTED (a callback contradicted a settled system) can be acknowledged");
            case REPLAY -> {
                require(COMPLETED.contains(status), status, "only a COMPLETED request can be replayed");
                if (LedgerJson.systemStatus(request, ctx.pathParam("system")) == null) {
                    throw new ApiException(409, "invalid_transition", "the request never targeted "
                            + ctx.pathParam("system") + ": cover a system registered later instead", null, null);
                }
            }
            case COVER -> {
                require(COMPLETED.contains(status), status, "only a COMPLETED request can be covered");
                final String already = LedgerJson.systemStatus(request, ctx.pathParam("system"));
                if (already != null) {
                    throw new ApiException(409, "already_targeted", "the request already has an obligation for "
                            + ctx.pathParam("system") + " (" + already + "): nothing to cover", null, null);
                }
            }
        }
    }

    private static void retrySystem(JsonNode request, String status, String system) {
        final String systemStatus = LedgerJson.systemStatus(request, system);
        if (systemStatus == null) {
            throw ApiException.notFound("system " + system + " is not a target of this request");
        }
        require(status.equals("IN_PROGRESS") && systemStatus.equals("FAILED"), status,
                "only a FAILED system of an IN_PROGRESS request can be retried (" + system + " is " + systemStatus
                        + ")");
    }

    private static void require(boolean allowed, String status, String message) {
        if (!allowed) {
            throw new ApiException(409, "invalid_transition", message + "; the request is " + status, null, null);
        }
    }
}
