package dev.lethe.ledger.domain;

import dev.lethe.ledger.domain.LedgerOutput.Audit;
import dev.lethe.ledger.domain.LedgerOutput.Dispatch;
import dev.lethe.ledger.domain.LedgerOutput.Finished;
import dev.lethe.ledger.domain.LedgerOutput.Refused;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The request aggregate as a pure function: {@code state × event → state × outputs}. No Kafka,
 * no clock, no I/O: the caller supplies the time and the system registry in a
 * {@link LedgerContext}.
 *
 * <p>A new request is held in RECEIVED until the subject gate's {@link LedgerEvent.Gated} verdict:
 * admitted, it meets the approval policy; a duplicate of an open request of the same subject and
 * scope, it ends CANCELLED with {@code duplicateOf} set and nothing dispatched.
 *
 * <p>Callbacks commute: whatever order they arrive in, early, late or twice, the request ends in
 * the same state. A settled system (DONE, NOT_FOUND, RETAINED) never changes again; PROGRESS
 * never overrides FAILED; a callback for a request that has not arrived (or not been dispatched)
 * is kept and applied at dispatch.
 *
 * <p>Time-driven work happens on {@link LedgerEvent.Woken}: the end of a grace period, a reminder
 * to each system that has not answered (or, after PROGRESS, has had no news) within its
 * {@code reminderHours} (until, after its {@code maxAttempts} erasure events, it is FAILED and
 * the request escalates), each system's own deadline (audited SYSTEM_OVERDUE once) and the
 * request's deadline (audited OVERDUE once). Every transition asks to be woken at its next due
 * time with a {@link LedgerOutput.Wake}; a wake that finds nothing due changes nothing.
 *
 * <p>A request with a FAILED system stays IN_PROGRESS (never COMPLETED) until the system is
 * retried and answers; every change of the request's status is also emitted as a
 * {@link LedgerOutput.Notify}.
 *
 * <p>Some requests need a person ({@link Attention}): one that no system holds stays IN_PROGRESS,
 * UNROUTED, until an officer routes it again (a retry, against the registry as it is then) or
 * cancels it with a reason; it is never COMPLETED with no system. A callback that contradicts a
 * system's settled answer is recorded (CALLBACK_CONTRADICTED, once per system and outcome) and
 * flags the request CONTRADICTED until an officer acknowledges it; the settled answer is kept.
 * Whether a late callback contradicts depends on arrival order, so the flag (unlike the statuses)
 * does.
 */
public final class Ledger {

    static final String AUTO_ACTOR = "policy:auto";
    static final String LEDGER_ACTOR = "lethe";
    private static final int MAX_DETAIL = 2_000;
    private static final String REDACTED = "[redacted]";

    private Ledger() {
    }

    /** The new state and what it emits. */
    public record Transition(RequestState state, List<LedgerOutput> outputs) {
        public Transition {
            outputs = List.copyOf(outputs);
        }
    }

    /** Applies {@code event} to {@code current} (null when the ledger has never seen the request). */
    public static Transition apply(RequestState current, LedgerEvent event, LedgerContext ctx) {
        final Step step = new Step(current == null ? RequestState.awaiting(event.requestId()) : current, ctx);
        if (event instanceof LedgerEvent.Received received) {
            receive(step, received);
        } else if (event instanceof LedgerEvent.Decided decided) {
            decide(step, decided.decision());
        } else if (event instanceof LedgerEvent.CalledBack calledBack) {
            callBack(step, calledBack.callback());
        } else if (event instanceof LedgerEvent.Woken) {
            wake(step);
        } else if (event instanceof LedgerEvent.Gated gated) {
            gate(step, gated.verdict());
        }
        scheduleWakes(step, current);
        notifyStatusChange(step, current);
        return step.transition();
    }

    /** Asks to be woken at the next reminder and just past a new deadline, when those changed. */
    private static void scheduleWakes(Step step, RequestState before) {
        final RequestState s = step.state;
        if (!s.received() || s.status().finished()) {
            return;
        }
        final Instant chase = nextChase(s);
        if (chase != null && (before == null || !chase.equals(nextChase(before)))) {
            step.emit(new LedgerOutput.Wake(s.requestId(), chase));
        }
        final Instant systemDue = nextSystemDeadline(s);
        if (systemDue != null && (before == null || !systemDue.equals(nextSystemDeadline(before)))) {
            step.emit(new LedgerOutput.Wake(s.requestId(), systemDue));
        }
        if (s.deadline() != null && (before == null || !s.deadline().equals(before.deadline()))) {
            step.emit(new LedgerOutput.Wake(s.requestId(), s.deadline().plusMillis(1)));
        }
    }

    private static Instant nextChase(RequestState s) {
        return s.systems().stream()
                .filter(t -> t.status() == SystemStatus.DISPATCHED || t.status() == SystemStatus.IN_PROGRESS)
                .map(SystemTarget::nextReminderAt).filter(Objects::nonNull).min(Comparator.naturalOrder())
                .orElse(null);
    }

    /** Just past the earliest own deadline of a system that still owes an answer and was not audited overdue. */
    private static Instant nextSystemDeadline(RequestState s) {
        return s.systems().stream()
                .filter(t -> !t.status().settled() && !t.overdueAudited() && t.deadline() != null)
                .map(t -> t.deadline().plusMillis(1)).min(Comparator.naturalOrder()).orElse(null);
    }

    /** A request waiting at the subject gate is not news yet: watchers first hear of it once it is judged. */
    private static void notifyStatusChange(Step step, RequestState before) {
        final RequestStatus was = before == null || before.status() == RequestStatus.RECEIVED ? null : before.status();
        final RequestState s = step.state;
        if (s.status() == null || s.status() == RequestStatus.RECEIVED || s.status() == was) {
            return;
        }
        final String why = step.outputs.stream().filter(Audit.class::isInstance).map(Audit.class::cast)
                .filter(a -> a.type().equals(s.status().name())).reduce((a, b) -> b).map(Audit::detail)
                .orElse(null);
        step.notify(LedgerOutput.Notify.STATUS_CHANGED, was, null, why);
    }

    /**
     * A new request is recorded and held in RECEIVED: it waits for the subject gate's verdict
     * ({@link #gate}), which comes back within a few hundred milliseconds, before any approval
     * rule or dispatch applies.
     */
    private static void receive(Step step, LedgerEvent.Received event) {
        if (step.state.received()) {
            return; // the same request id again: a replay, never a second request
        }
        final ErasureRequest r = event.request();
        final List<String> namespaces = Stream.concat(Stream.of(r.subject()), r.identifiers().stream())
                .map(Identifier::namespace).distinct().sorted().toList();
        step.state = new RequestState(r.requestId(), RequestStatus.RECEIVED, event.subjectKey(), r.subject(),
                r.identifiers(), r.objects(), namespaces, r.jurisdiction(), r.reason(), r.source(), r.scope(),
                r.graceDays(), r.requestedAt(), step.ctx.policy().deadline(r.jurisdiction(), r.requestedAt()),
                null, step.ctx.now(), List.of(), step.state.earlyCallbacks(), step.state.auditSeq(),
                r.fingerprint(), step.state.auditHead(), null, 0, false, List.of(), null);
        step.audit("RECEIVED", r.submittedBy() == null ? r.source() : r.submittedBy(), null,
                "jurisdiction " + r.jurisdiction() + ", reason " + r.reason() + ", source " + r.source());
    }

    /**
     * The subject gate's verdict. Only a request held in RECEIVED is judged: a verdict for one
     * already judged (a replay), ended meanwhile, or filed before the gate existed changes nothing.
     * Admitted, it meets the approval policy; a duplicate of an open request ends CANCELLED without
     * dispatching anything, linked to that request, which records the duplicate in its trail.
     */
    private static void gate(Step step, Verdict verdict) {
        final RequestState s = step.state;
        if (!s.received()) {
            step.emit(new Refused("subject gate verdict for unknown request " + s.requestId()));
        } else if (verdict instanceof Verdict.DuplicateFiled filed) {
            duplicateFiled(step, filed);
        } else if (s.status() == RequestStatus.RECEIVED) {
            judge(step, verdict);
        }
    }

    /**
     * A later request of the same subject and scope was filed while the gate saw this one open. The
     * gate's view is one hop behind the ledger, so this request, which knows its own state, decides:
     * still open, the later one is its duplicate; ended meanwhile (rejected, cancelled, or erased
     * already), the later one goes on as a request of its own.
     */
    private static void duplicateFiled(Step step, Verdict.DuplicateFiled filed) {
        final RequestState s = step.state;
        if (s.status().finished()) {
            step.emit(new LedgerOutput.Judged(filed.duplicate(), s.subjectKey(), new Verdict.Admitted()));
            return;
        }
        step.audit("DUPLICATE_RECEIVED", LEDGER_ACTOR, null, "another request for the same subject and scope ("
                + filed.duplicate() + (filed.source() == null ? "" : " from " + filed.source())
                + ") was filed while this one is open");
        step.emit(new LedgerOutput.Judged(filed.duplicate(), s.subjectKey(), new Verdict.DuplicateOf(s.requestId())));
    }

    private static void judge(Step step, Verdict verdict) {
        if (verdict instanceof Verdict.Admitted) {
            admit(step);
        } else if (verdict instanceof Verdict.DuplicateOf duplicate) {
            step.state = step.state.withDuplicateOf(duplicate.first()).finish(RequestStatus.CANCELLED,
                    step.ctx.now());
            step.audit("DUPLICATE", LEDGER_ACTOR, null, "duplicate of request " + duplicate.first()
                    + ", open for the same subject and scope; nothing was dispatched");
        } else {
            throw new IllegalArgumentException("unknown verdict " + verdict);
        }
    }

    /** Admitted by the subject gate: the approval policy decides what comes next. */
    private static void admit(Step step) {
        final RequestState r = step.state;
        final ApprovalPolicy.Rule rule = step.ctx.policy().approval().match(r.jurisdiction(), r.source());
        if (rule != null && rule.manual()) {
            step.transitionTo(RequestStatus.PENDING_APPROVAL, AUTO_ACTOR, "awaiting an approver (rule " + rule + ")");
        } else {
            approve(step, AUTO_ACTOR, rule == null ? "approved by policy" : "approved by policy (rule " + rule + ")");
        }
    }

    private static void approve(Step step, String actor, String note) {
        step.audit("APPROVED", actor, null, note);
        final Instant graceEnds = step.state.graceEnds();
        if (step.state.graceDays() > 0 && step.ctx.now().isBefore(graceEnds)) {
            step.transitionTo(RequestStatus.SCHEDULED, actor,
                    "grace period of " + step.state.graceDays() + " days, dispatch at " + graceEnds);
            step.emit(new LedgerOutput.Wake(step.state.requestId(), graceEnds));
            return;
        }
        dispatch(step);
    }

    /**
     * Whatever is due now: the end of the grace period (dispatch, unless the request was cancelled
     * or rejected meanwhile), reminders and escalations, and the deadline.
     */
    private static void wake(Step step) {
        final RequestState s = step.state;
        if (!s.received() || s.status().finished()) {
            return;
        }
        if (s.status() == RequestStatus.SCHEDULED && !step.ctx.now().isBefore(s.graceEnds())) {
            step.audit("GRACE_ENDED", LEDGER_ACTOR, null, "grace period of " + s.graceDays() + " days is over");
            dispatch(step);
        } else if (s.status() == RequestStatus.IN_PROGRESS) {
            chase(step);
            auditSystemsOverdue(step);
        }
        auditOverdue(step);
    }

    /** Reminds every system whose reminder is due, or escalates it once it has had its maximum attempts. */
    private static void chase(Step step) {
        final Instant now = step.ctx.now();
        for (SystemTarget target : step.state.systems()) {
            if (!target.chaseDue(now)) {
                continue;
            }
            final boolean working = target.status() == SystemStatus.IN_PROGRESS;
            if (target.maxAttempts() > 0 && target.sent() >= target.maxAttempts()) {
                final String why = working ? "no news after " + target.sent() + " reminders since its last progress"
                        : "no answer after " + target.sent() + " attempts";
                step.replace(target.escalated(now, why));
                step.audit("ESCALATED", LEDGER_ACTOR, target.name(), why);
                step.notify(LedgerOutput.Notify.ESCALATED, step.state.status(), target.name(), why);
            } else {
                final SystemTarget again = target.resent(now, false);
                step.replace(again);
                step.audit("REMINDED", LEDGER_ACTOR, target.name(), (working ? "no news since its last progress"
                        : "no answer yet") + "; attempt " + again.attempts());
                step.emit(dispatchEvent(step, List.of(target.name()), again.attempts(), true));
            }
        }
    }

    /** A system's own deadline passed while it still owes an answer: audited and notified once per system. */
    private static void auditSystemsOverdue(Step step) {
        final Instant now = step.ctx.now();
        for (SystemTarget target : step.state.systems()) {
            if (!target.overdueUnaudited(now)) {
                continue;
            }
            final String why = "its own deadline " + target.deadline() + " passed in status " + target.status();
            step.replace(target.withOverdueAudited());
            step.audit("SYSTEM_OVERDUE", LEDGER_ACTOR, target.name(), why);
            step.notify(LedgerOutput.Notify.SYSTEM_OVERDUE, step.state.status(), target.name(), why);
        }
    }

    /** The deadline passed unfinished: audited and notified once per deadline; the request stays tracked. */
    private static void auditOverdue(Step step) {
        final RequestState s = step.state;
        if (s.overdueAudited() || !s.overdue(step.ctx.now())) {
            return;
        }
        final List<String> open = s.systems().stream().filter(t -> !t.status().settled()).map(SystemTarget::name)
                .toList();
        final String why = "deadline " + s.deadline() + " passed in status " + s.status()
                + (open.isEmpty() ? "" : "; waiting for " + String.join(",", open));
        step.state = s.withOverdueAudited();
        step.audit("OVERDUE", LEDGER_ACTOR, null, why);
        step.notify(LedgerOutput.Notify.OVERDUE, s.status(), null, why);
    }

    private static void dispatch(Step step) {
        final List<SystemInfo> routed = route(step);
        step.state = step.state.withStatus(RequestStatus.IN_PROGRESS, step.ctx.now());
        if (routed.isEmpty()) {
            final String why = unrouted(step.state);
            step.state = step.state.withAttention(Attention.UNROUTED, true);
            step.audit("UNROUTED", LEDGER_ACTOR, null, why + "; it stays open until an officer routes it again "
                    + "(retry) or cancels it with a reason");
            step.notify(LedgerOutput.Notify.ATTENTION, step.state.status(), null, Attention.UNROUTED + ": " + why);
            return; // callbacks that came early stay kept until it is routed
        }
        dispatchTo(step, routed);
        applyEarlyCallbacks(step);
    }

    /** Applies the callbacks kept until dispatch, then finishes the request if they settled every system. */
    private static void applyEarlyCallbacks(Step step) {
        final List<Callback> early = step.state.earlyCallbacks();
        step.state = step.state.withEarlyCallbacks(List.of());
        early.forEach(callback -> applyCallback(step, callback));
        finishIfSettled(step);
    }

    /** The registered systems (as they are now) that the request is for, in name order. */
    private static List<SystemInfo> route(Step step) {
        final RequestState s = step.state;
        return step.ctx.systems().stream()
                .filter(system -> matches(system, s))
                .sorted(Comparator.comparing(SystemInfo::name))
                .toList();
    }

    /** Freezes {@code routed} into the request as its targets and sends them the erasure event. */
    private static void dispatchTo(Step step, List<SystemInfo> routed) {
        final RequestState s = step.state;
        final List<SystemTarget> targets = routed.stream()
                .map(system -> SystemTarget.dispatched(system, step.ctx.now()))
                .toList();
        step.state = s.withSystems(targets, step.ctx.now());
        for (SystemInfo system : routed) {
            step.audit("DISPATCHED", LEDGER_ACTOR, system.name(), reason(system, s));
        }
        step.emit(dispatchEvent(step, targets.stream().map(SystemTarget::name).toList(), 1, false));
    }

    /** Why no system was chosen: the namespaces, the jurisdiction and the scope routing looked for. */
    private static String unrouted(RequestState s) {
        return "no registered system holds namespaces " + String.join(",", s.namespaces()) + " for "
                + s.jurisdiction() + (Scope.ALL.equals(s.scope()) ? "" : " within the request's scope");
    }

    private static boolean matches(SystemInfo system, RequestState s) {
        return s.scope().admits(system.name())
                && !intersection(system.namespaces(), s.namespaces()).isEmpty()
                && (system.jurisdictions().isEmpty() || system.jurisdictions().contains(s.jurisdiction()));
    }

    /** Why routing chose {@code system}: the namespaces it holds, its jurisdictions, the scope. */
    private static String reason(SystemInfo system, RequestState s) {
        return "holds namespaces " + String.join(",", intersection(system.namespaces(), s.namespaces()))
                + (system.jurisdictions().isEmpty() ? "; all jurisdictions" : "; covers " + s.jurisdiction())
                + (s.scope().systems().isEmpty() ? "" : "; named in the request's scope")
                + (system.manual() ? "; manual system" : "")
                + "; due within " + system.slaDays() + " days";
    }

    private static List<String> intersection(Set<String> held, List<String> wanted) {
        return wanted.stream().filter(held::contains).toList();
    }

    private static Dispatch dispatchEvent(Step step, List<String> systems, int attempt, boolean reminder) {
        final RequestState s = step.state;
        final String eventId = s.requestId() + "/" + String.join(",", systems) + "/" + attempt;
        return new Dispatch(eventId, s.requestId(), s.subjectKey(), systems, s.subject(), s.identifiers(),
                s.objects(), s.jurisdiction(), s.deadline(), reminder, attempt, step.ctx.now());
    }

    private static void decide(Step step, Decision decision) {
        final RequestState s = step.state;
        if (!s.received()) {
            step.emit(new Refused("decision for unknown request " + decision.requestId()));
            return;
        }
        final Decision.Action action = decision.action();
        if (action instanceof Decision.Approve approve) {
            if (s.status() != RequestStatus.PENDING_APPROVAL) {
                step.refuseUnlessIdempotent(s.status() == RequestStatus.IN_PROGRESS
                        || s.status() == RequestStatus.SCHEDULED || s.status() == RequestStatus.COMPLETED
                        || s.status() == RequestStatus.COMPLETED_WITH_EXCEPTIONS, "approve", s);
                return;
            }
            approve(step, decision.actor(), approve.note() == null ? "approved" : approve.note());
        } else if (action instanceof Decision.Reject reject) {
            end(step, decision, RequestStatus.REJECTED, reject.reason(),
                    s.status() == RequestStatus.RECEIVED || s.status() == RequestStatus.PENDING_APPROVAL);
        } else if (action instanceof Decision.Cancel cancel) {
            if (s.needs(Attention.UNROUTED) && isBlank(cancel.reason())) {
                step.emit(new Refused("cancelling unrouted request " + s.requestId() + " needs a reason"));
                return;
            }
            end(step, decision, RequestStatus.CANCELLED, cancel.reason(),
                    s.status().beforeDispatch() || s.needs(Attention.UNROUTED));
        } else if (action instanceof Decision.Retry retry) {
            retry(step, decision.actor(), retry.system());
        } else if (action instanceof Decision.RetryFailed retryFailed) {
            if (s.needs(Attention.UNROUTED)) {
                reroute(step, decision.actor(), retryFailed.note());
                return;
            }
            retryFailed(step, decision.actor(), retryFailed.note());
        } else if (action instanceof Decision.ExtendDeadline extend) {
            extend(step, decision.actor(), extend);
        } else if (action instanceof Decision.DuplicateReceived duplicate) {
            step.audit("DUPLICATE_RECEIVED", decision.actor(), null, "another request for the same subject and "
                    + "scope" + (duplicate.source() == null ? "" : " from " + duplicate.source())
                    + " was filed while this one is open");
        } else if (action instanceof Decision.Acknowledge acknowledge) {
            acknowledge(step, decision.actor(), acknowledge.reason());
        }
    }

    /** Routes an unrouted request again, against the registry as it is now; refused while still no system holds it. */
    private static void reroute(Step step, String actor, String note) {
        final List<SystemInfo> routed = route(step);
        if (routed.isEmpty()) {
            step.emit(new Refused("request " + step.state.requestId() + " is still routed to no system: "
                    + unrouted(step.state)));
            return;
        }
        step.state = step.state.withAttention(Attention.UNROUTED, false);
        step.audit("REROUTED", actor, null, "routed again against the current registry: "
                + String.join(",", routed.stream().map(SystemInfo::name).toList()) + (note == null ? "" : "; " + note));
        dispatchTo(step, routed);
        applyEarlyCallbacks(step);
    }

    /** An officer clears a CONTRADICTED flag, with a reason; the contradictions stay recorded. */
    private static void acknowledge(Step step, String actor, String reason) {
        final RequestState s = step.state;
        if (!s.needs(Attention.CONTRADICTED)) {
            step.emit(new Refused("request " + s.requestId() + " has no contradicting callback to acknowledge"));
            return;
        }
        if (isBlank(reason)) {
            step.emit(new Refused("acknowledging a contradiction needs a reason"));
            return;
        }
        step.state = s.withAttention(Attention.CONTRADICTED, false);
        step.audit("ACKNOWLEDGED", actor, null, "contradiction acknowledged: " + reason);
    }

    /** Sends the request again to every FAILED system, each with fresh attempts. */
    private static void retryFailed(Step step, String actor, String note) {
        final List<SystemTarget> failed = step.state.systems().stream()
                .filter(t -> t.status() == SystemStatus.FAILED).toList();
        if (step.state.status() != RequestStatus.IN_PROGRESS || failed.isEmpty()) {
            step.emit(new Refused("request " + step.state.requestId() + " in status " + step.state.status()
                    + " has no FAILED system to retry"));
            return;
        }
        for (SystemTarget target : failed) {
            redispatch(step, actor, target, note);
        }
    }

    private static void extend(Step step, String actor, Decision.ExtendDeadline extend) {
        final RequestState s = step.state;
        final LedgerPolicy.Extension allowed = step.ctx.policy().extensions().get(s.jurisdiction());
        final String refusal = extensionRefusal(s, extend, allowed);
        if (refusal != null) {
            step.emit(new Refused("cannot extend the deadline of request " + s.requestId() + ": " + refusal));
            return;
        }
        final Period by = extend.days() == null ? allowed.standard() : Period.ofDays(extend.days());
        final Instant to = LedgerPolicy.plus(s.deadline(), by);
        step.state = s.extended(to, step.ctx.now());
        step.audit("DEADLINE_EXTENDED", actor, null, "by " + by + " to " + to + ": " + extend.reason());
    }

    private static String extensionRefusal(RequestState s, Decision.ExtendDeadline extend,
                                           LedgerPolicy.Extension allowed) {
        if (s.status().finished()) {
            return "it is " + s.status();
        }
        if (isBlank(extend.reason())) {
            return "an extension needs a reason";
        }
        if (allowed == null) {
            return s.jurisdiction() + " deadlines cannot be extended";
        }
        if (extend.days() != null && extend.days() < 1) {
            return "days must be at least 1";
        }
        final Period by = extend.days() == null ? allowed.standard() : Period.ofDays(extend.days());
        final Instant base = s.baseDeadline() == null ? s.deadline() : s.baseDeadline();
        final Instant limit = LedgerPolicy.plus(base, allowed.maximum());
        if (LedgerPolicy.plus(s.deadline(), by).isAfter(limit)) {
            return "extending by " + by + " passes " + limit + ", the most " + s.jurisdiction() + " allows ("
                    + allowed.maximum() + " after the original deadline " + base + ")";
        }
        return null;
    }

    private static void end(Step step, Decision decision, RequestStatus to, String reason, boolean allowed) {
        if (step.state.status() == to) {
            return;
        }
        if (!allowed) {
            step.emit(new Refused("cannot move request " + step.state.requestId() + " from "
                    + step.state.status() + " to " + to));
            return;
        }
        step.state = step.state.withAttention(Attention.UNROUTED, false).finish(to, step.ctx.now());
        step.audit(to.name(), decision.actor(), null, reason);
    }

    private static void retry(Step step, String actor, String system) {
        final SystemTarget target = step.state.system(system).orElse(null);
        if (target == null || step.state.status() != RequestStatus.IN_PROGRESS || target.status().settled()) {
            step.emit(new Refused("cannot retry system " + system + " of request " + step.state.requestId()));
            return;
        }
        redispatch(step, actor, target, null);
    }

    private static void redispatch(Step step, String actor, SystemTarget target, String note) {
        final SystemTarget again = target.resent(step.ctx.now(), true);
        step.replace(again);
        step.audit("RETRY", actor, target.name(), "attempt " + again.attempts() + (note == null ? "" : ": " + note));
        step.emit(dispatchEvent(step, List.of(target.name()), again.attempts(), false));
    }

    private static void callBack(Step step, Callback callback) {
        final RequestState s = step.state;
        if (callback.outcome() == Outcome.RETAINED && isBlank(callback.legalBasis())) {
            step.emit(new Refused("a RETAINED callback needs a legal basis"));
            return;
        }
        if (!s.received() || s.status().beforeDispatch()) {
            keepEarly(step, callback);
            return;
        }
        if (s.status().finished()) {
            // a repeat after the end is harmless; a contradiction of a settled answer is still recorded
            s.system(callback.system()).filter(t -> contradicts(t, callback.outcome()))
                    .ifPresent(target -> contradict(step, target, callback));
            return;
        }
        applyCallback(step, callback);
        finishIfSettled(step);
    }

    private static void keepEarly(Step step, Callback callback) {
        final List<Callback> early = step.state.earlyCallbacks();
        if (early.stream().anyMatch(c -> c.eventId().equals(callback.eventId()))) {
            return;
        }
        if (early.size() >= step.ctx.policy().maxEarlyCallbacks()) {
            step.emit(new Refused("too many callbacks waiting for request " + callback.requestId()));
            return;
        }
        final List<Callback> kept = new ArrayList<>(early);
        kept.add(callback);
        step.state = step.state.withEarlyCallbacks(kept);
        if (step.state.received()) {
            step.audit("CALLBACK_KEPT", callback.actor(), callback.system(),
                    callback.outcome() + " kept until the request is dispatched");
        }
    }

    private static void applyCallback(Step step, Callback callback) {
        final SystemTarget target = step.state.system(callback.system()).orElse(null);
        if (target == null) {
            step.audit("CALLBACK_NOT_TARGETED", callback.actor(), callback.system(),
                    callback.outcome() + " from a system this request does not target; ignored");
            return;
        }
        if (contradicts(target, callback.outcome())) {
            contradict(step, target, callback);
            return;
        }
        if (target.manual() && callback.outcome() == Outcome.DONE && isBlank(callback.detail())) {
            step.emit(new Refused("system " + target.name() + " is completed by a person: DONE needs the evidence "
                    + "in detail"));
            return;
        }
        final Callback clean = new Callback(callback.eventId(), callback.requestId(), callback.system(),
                callback.at(), callback.actor(), callback.outcome(), callback.itemsErased(),
                step.redact(callback.detail()), step.redact(callback.legalBasis()));
        final SystemTarget next = evolve(target, clean, clean.detail(), step.ctx);
        if (next.equals(target)) {
            return;
        }
        step.replace(next);
        if (next.sameAnswer(target)) {
            return; // news without anything new (a repeated PROGRESS): only its chase starts again
        }
        step.audit("SYSTEM_" + callback.outcome().name(), callback.actor(), callback.system(), detailOf(next, clean));
    }

    /**
     * Whether {@code outcome} contradicts what {@code target} settled on (and was not recorded yet):
     * a final answer or FAILED that differs from its settled status. A late PROGRESS is stale, not a
     * contradiction; a repeat of the same outcome is no contradiction either.
     */
    private static boolean contradicts(SystemTarget target, Outcome outcome) {
        return target.status().settled() && outcome != Outcome.PROGRESS && outcome.status() != target.status()
                && !target.contradictions().contains(outcome);
    }

    /** Records a contradicting callback: audited, notified, the request flagged; the settled answer is kept. */
    private static void contradict(Step step, SystemTarget target, Callback callback) {
        final String why = callback.outcome() + " from " + callback.actor() + " contradicts " + target.status()
                + " reported at " + target.updatedAt() + "; the first answer is kept";
        step.replace(target.contradictedBy(callback.outcome()));
        step.state = step.state.withAttention(Attention.CONTRADICTED, true);
        step.audit("CALLBACK_CONTRADICTED", callback.actor(), target.name(), why);
        step.notify(LedgerOutput.Notify.ATTENTION, step.state.status(), target.name(),
                Attention.CONTRADICTED + ": " + why);
    }

    /** One system's status under one callback: settled is final, PROGRESS never overrides FAILED. */
    static SystemTarget evolve(SystemTarget target, Callback callback, String detail, LedgerContext ctx) {
        if (target.status().settled()) {
            return target;
        }
        final Long items = callback.itemsErased();
        return switch (callback.outcome()) {
            case PROGRESS -> {
                final Long most = max(target.itemsErased(), items);
                if (target.status() != SystemStatus.FAILED) {
                    yield target.progressed(ctx.now(), most); // news: chased again from now on
                }
                if (Objects.equals(most, target.itemsErased())) {
                    yield target;
                }
                yield target.answered(SystemStatus.FAILED, ctx.now(), most, target.detail(), null);
            }
            case FAILED -> target.status() == SystemStatus.FAILED ? target
                    : target.answered(SystemStatus.FAILED, ctx.now(), target.itemsErased(), detail, null);
            // the settling answer's own count (null when it gives none), so progress before or after it ends the same
            case DONE, NOT_FOUND, RETAINED -> target.answered(callback.outcome().status(), ctx.now(), items, detail,
                    callback.outcome() == Outcome.RETAINED ? callback.legalBasis() : null);
        };
    }

    private static String detailOf(SystemTarget next, Callback callback) {
        final StringBuilder text = new StringBuilder();
        if (next.itemsErased() != null) {
            text.append(next.itemsErased()).append(" items erased");
        }
        if (callback.legalBasis() != null && callback.outcome() == Outcome.RETAINED) {
            text.append(text.isEmpty() ? "" : "; ").append("legal basis: ").append(next.legalBasis());
        }
        if (next.detail() != null && callback.outcome() != Outcome.PROGRESS) {
            text.append(text.isEmpty() ? "" : "; ").append(next.detail());
        }
        return text.isEmpty() ? null : text.toString();
    }

    private static void finishIfSettled(Step step) {
        final RequestState s = step.state;
        if (s.status() != RequestStatus.IN_PROGRESS || s.systems().isEmpty()
                || !s.systems().stream().allMatch(t -> t.status().settled())) {
            return;
        }
        final boolean retained = s.systems().stream().anyMatch(t -> t.status() == SystemStatus.RETAINED);
        final RequestStatus end = retained ? RequestStatus.COMPLETED_WITH_EXCEPTIONS : RequestStatus.COMPLETED;
        step.state = s.finish(end, step.ctx.now());
        step.audit(end.name(), LEDGER_ACTOR, null, s.systems().size() + " systems answered");
        step.emit(new Finished(s.subjectKey(), s.requestId(), end, s.jurisdiction(), s.namespaces(),
                s.requestedAt(), step.ctx.now(), s.systems()));
    }

    private static Long max(Long a, Long b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : Math.max(a, b);
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }

    /** One transition under construction: the evolving state and what it has emitted so far. */
    private static final class Step {
        private final LedgerContext ctx;
        private final List<LedgerOutput> outputs = new ArrayList<>();
        /**
         * Raw identifier values seen in this step (still known after {@link RequestState#finish}), as
         * patterns, longest first: a value that contains another is redacted whole.
         */
        private final Map<String, Pattern> secrets = new TreeMap<>(
                Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));
        private RequestState state;

        Step(RequestState state, LedgerContext ctx) {
            this.state = state;
            this.ctx = ctx;
            remember(state);
        }

        private void remember(RequestState s) {
            Stream.concat(Stream.ofNullable(s.subject()), s.identifiers().stream())
                    .map(Identifier::value).filter(Objects::nonNull).map(String::strip)
                    .filter(value -> value.length() >= 3 && !secrets.containsKey(value))
                    .forEach(value -> secrets.put(value, Pattern.compile(Pattern.quote(value),
                            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)));
        }

        void emit(LedgerOutput output) {
            outputs.add(output);
        }

        void audit(String type, String actor, String system, String detail) {
            final int seq = state.auditSeq() + 1;
            state = state.withAuditSeq(seq);
            emit(new Audit(state.requestId(), seq, ctx.now(), type, redact(actor), system, redact(detail),
                    state.subjectKey(), state.status()));
        }

        void notify(String type, RequestStatus previous, String system, String detail) {
            emit(new LedgerOutput.Notify(state.requestId(), type, state.status(), previous, system,
                    state.jurisdiction(), state.deadline(), redact(detail), ctx.now()));
        }

        void transitionTo(RequestStatus status, String actor, String detail) {
            state = state.withStatus(status, ctx.now());
            audit(status.name(), actor, null, detail);
        }

        void replace(SystemTarget target) {
            state = state.withSystems(state.systems().stream()
                    .map(t -> t.name().equals(target.name()) ? target : t).toList(), ctx.now());
        }

        void refuseUnlessIdempotent(boolean idempotent, String what, RequestState s) {
            if (!idempotent) {
                emit(new Refused("cannot " + what + " request " + s.requestId() + " in status " + s.status()));
            }
        }

        /** Partner text may quote an identifier; the ledger never keeps one. */
        String redact(String text) {
            if (text == null) {
                return null;
            }
            remember(state);
            String clean = text;
            for (Pattern secret : secrets.values()) {
                clean = secret.matcher(clean).replaceAll(Matcher.quoteReplacement(REDACTED));
            }
            // cut after redacting, so the cut never leaves a piece of an identifier behind
            return clean.length() > MAX_DETAIL ? clean.substring(0, MAX_DETAIL) : clean;
        }

        Transition transition() {
            return new Transition(state, outputs);
        }
    }
}
