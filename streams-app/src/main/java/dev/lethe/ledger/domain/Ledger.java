package dev.lethe.ledger.domain;

import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The request aggregate as pure functions: {@link #decide} ({@code state × input → facts}) and
 * {@link #evolve} ({@code state × fact → state}); {@link #apply} runs both and maps the facts to
 * what the world learns ({@link FactOutputs}). No Kafka, no clock, no I/O: the caller supplies
 * the time and the system registry in a {@link LedgerContext}.
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
    /** The longest refused-callback reason audited (the gateway sends at most 160 printable characters). */
    static final int MAX_REFUSAL_REASON = 200;

    private Ledger() {
    }

    /** The new state and what it emits. */
    public record Transition(RequestState state, List<LedgerOutput> outputs) {
        public Transition {
            outputs = List.copyOf(outputs);
        }
    }

    /**
     * Applies {@code event} to {@code current} (null when the ledger has never seen the request):
     * decides the facts, folds them, and maps them to outputs.
     */
    public static Transition apply(RequestState current, LedgerEvent event, LedgerContext ctx) {
        final Decider decider = new Decider(start(current, event), ctx);
        decider.decide(event);
        final FactOutputs outputs = new FactOutputs(ctx.now(), decider.redactor);
        RequestState state = decider.start;
        for (int i = 0; i < decider.facts.size(); i++) {
            final RequestState next = decider.states.get(i);
            outputs.add(decider.facts.get(i), state, next);
            state = next;
        }
        outputs.scheduleWakes(current, state);
        outputs.notifyStatusChange(current, state);
        return new Transition(state, outputs.all());
    }

    /** What {@code input} makes happen to {@code state} (null when the ledger has never seen the request). */
    public static List<Fact> decide(RequestState state, LedgerEvent input, LedgerContext ctx) {
        final Decider decider = new Decider(start(state, input), ctx);
        decider.decide(input);
        return List.copyOf(decider.facts);
    }

    private static RequestState start(RequestState current, LedgerEvent event) {
        return current == null ? RequestState.awaiting(event.requestId()) : current;
    }

    /** {@code state} after {@code fact}: the only way a state changes. */
    public static RequestState evolve(RequestState state, Fact fact) {
        final RequestState next = changed(state, fact);
        final int audits = FactOutputs.audits(fact, state);
        return audits == 0 ? next : next.withAuditSeq(state.auditSeq() + audits);
    }

    private static RequestState changed(RequestState s, Fact fact) {
        final Instant at = fact.at();
        if (fact instanceof Fact.Received f) {
            return RequestState.received(s, f.request(), f.subjectKey(), f.namespaces(), f.deadline(), at);
        } else if (fact instanceof Fact.AwaitingApproval) {
            return s.withStatus(RequestStatus.PENDING_APPROVAL, at);
        } else if (fact instanceof Fact.Scheduled) {
            return s.withStatus(RequestStatus.SCHEDULED, at);
        } else if (fact instanceof Fact.Unrouted) {
            return s.withStatus(RequestStatus.IN_PROGRESS, at).withAttention(Attention.UNROUTED, true);
        } else if (fact instanceof Fact.Rerouted) {
            return s.withAttention(Attention.UNROUTED, false);
        } else if (fact instanceof Fact.Dispatched f) {
            // the callbacks kept until now are applied right after, as facts of their own
            return s.withStatus(RequestStatus.IN_PROGRESS, at).withSystems(f.targets(), at)
                    .withEarlyCallbacks(List.of());
        } else if (fact instanceof Fact.CallbackKept f) {
            final List<Callback> kept = new ArrayList<>(s.earlyCallbacks());
            kept.add(f.callback());
            return s.withEarlyCallbacks(kept);
        } else if (fact instanceof Fact.SystemAnswered f) {
            return s.replace(f.target(), at);
        } else if (fact instanceof Fact.ChaseRestarted f) {
            return s.replace(f.target(), at);
        } else if (fact instanceof Fact.Contradicted f) {
            return s.replace(f.settled().contradictedBy(f.callback().outcome()), at)
                    .withAttention(Attention.CONTRADICTED, true);
        } else if (fact instanceof Fact.Reminded f) {
            return s.replace(f.target(), at);
        } else if (fact instanceof Fact.Escalated f) {
            return s.replace(f.target(), at);
        } else if (fact instanceof Fact.SystemOverdue f) {
            return s.replace(f.target().withOverdueAudited(), at);
        } else if (fact instanceof Fact.Overdue) {
            return s.withOverdueAudited();
        } else if (fact instanceof Fact.Completed f) {
            return s.finish(f.status(), at);
        } else if (fact instanceof Fact.Rejected) {
            return s.withAttention(Attention.UNROUTED, false).finish(RequestStatus.REJECTED, at);
        } else if (fact instanceof Fact.Cancelled) {
            return s.withAttention(Attention.UNROUTED, false).finish(RequestStatus.CANCELLED, at);
        } else if (fact instanceof Fact.Duplicate f) {
            return s.withDuplicateOf(f.first()).finish(RequestStatus.CANCELLED, at);
        } else if (fact instanceof Fact.Retried f) {
            return s.replace(f.target(), at);
        } else if (fact instanceof Fact.DeadlineExtended f) {
            return s.extended(f.to(), at);
        } else if (fact instanceof Fact.Acknowledged) {
            return s.withAttention(Attention.CONTRADICTED, false);
        } else if (fact instanceof Fact.Replayed f) {
            return s.system(f.target().name()).isPresent() ? s.replace(f.target(), at)
                    : s.withSystems(Stream.concat(s.systems().stream(), Stream.of(f.target())).toList(), at);
        } else if (fact instanceof Fact.Approved || fact instanceof Fact.GraceEnded
                || fact instanceof Fact.CallbackIgnored || fact instanceof Fact.DuplicateReceived
                || fact instanceof Fact.Refused || fact instanceof Fact.Judged
                || fact instanceof Fact.CallbackRefused) {
            return s; // recorded (or answered), nothing in the state changes
        }
        throw new IllegalStateException("unhandled fact " + fact.getClass().getSimpleName());
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
                    // news: chased again from now on; its text is kept, so that the same text again is a redelivery
                    yield target.progressed(ctx.now(), most, detail);
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

    private static Long max(Long a, Long b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : Math.max(a, b);
    }

    static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }

    /**
     * One decision under way: the facts found so far and the state after each, so that a later
     * step (the callbacks kept until dispatch, the end once every system settled) decides on the
     * state the earlier facts made.
     */
    private static final class Decider {
        private final RequestState start;
        private final LedgerContext ctx;
        private final Redactor redactor = new Redactor();
        private final List<Fact> facts = new ArrayList<>();
        private final List<RequestState> states = new ArrayList<>();
        private RequestState state;

        Decider(RequestState start, LedgerContext ctx) {
            this.start = start;
            this.state = start;
            this.ctx = ctx;
            redactor.remember(start);
        }

        private Instant now() {
            return ctx.now();
        }

        private void record(Fact fact) {
            state = evolve(state, fact);
            redactor.remember(state);
            facts.add(fact);
            states.add(state);
        }

        private void refuse(String reason) {
            record(new Fact.Refused(now(), reason));
        }

        void decide(LedgerEvent event) {
            if (event instanceof LedgerEvent.Received received) {
                receive(received);
            } else if (event instanceof LedgerEvent.Decided decided) {
                decide(decided.decision());
            } else if (event instanceof LedgerEvent.CalledBack calledBack) {
                callBack(calledBack.callback());
            } else if (event instanceof LedgerEvent.Woken) {
                wake();
            } else if (event instanceof LedgerEvent.Gated gated) {
                gate(gated.verdict());
            } else {
                throw new IllegalStateException("unhandled input " + event.getClass().getSimpleName());
            }
        }

        /**
         * A new request is recorded and held in RECEIVED: it waits for the subject gate's verdict
         * ({@link #gate}), which comes back within a few hundred milliseconds, before any approval
         * rule or dispatch applies.
         */
        private void receive(LedgerEvent.Received event) {
            if (state.received()) {
                return; // the same request id again: a replay, never a second request
            }
            final ErasureRequest r = event.request();
            final List<String> namespaces = Stream.concat(Stream.of(r.subject()), r.identifiers().stream())
                    .map(Identifier::namespace).distinct().sorted().toList();
            record(new Fact.Received(now(), r, event.subjectKey(), namespaces,
                    ctx.policy().deadline(r.jurisdiction(), r.requestedAt())));
        }

        /**
         * The subject gate's verdict. Only a request held in RECEIVED is judged: a verdict for one
         * already judged (a replay), ended meanwhile, or filed before the gate existed changes nothing.
         * Admitted, it meets the approval policy; a duplicate of an open request ends CANCELLED without
         * dispatching anything, linked to that request, which records the duplicate in its trail.
         */
        private void gate(Verdict verdict) {
            if (!state.received()) {
                refuse("subject gate verdict for unknown request " + state.requestId());
            } else if (verdict instanceof Verdict.DuplicateFiled filed) {
                duplicateFiled(filed);
            } else if (state.status() == RequestStatus.RECEIVED) {
                judge(verdict);
            }
        }

        /**
         * A later request of the same subject and scope was filed while the gate saw this one open. The
         * gate's view is one hop behind the ledger, so this request, which knows its own state, decides:
         * still open, the later one is its duplicate; ended meanwhile (rejected, cancelled, or erased
         * already), the later one goes on as a request of its own.
         */
        private void duplicateFiled(Verdict.DuplicateFiled filed) {
            if (state.status().finished()) {
                record(new Fact.Judged(now(), filed.duplicate(), new Verdict.Admitted()));
                return;
            }
            record(new Fact.DuplicateReceived(now(), LEDGER_ACTOR, filed.duplicate(), filed.source()));
            record(new Fact.Judged(now(), filed.duplicate(), new Verdict.DuplicateOf(state.requestId())));
        }

        private void judge(Verdict verdict) {
            if (verdict instanceof Verdict.Admitted) {
                admit();
            } else if (verdict instanceof Verdict.DuplicateOf duplicate) {
                record(new Fact.Duplicate(now(), duplicate.first()));
            } else {
                throw new IllegalArgumentException("unknown verdict " + verdict);
            }
        }

        /** Admitted by the subject gate: the approval policy decides what comes next. */
        private void admit() {
            final ApprovalPolicy.Rule rule = ctx.policy().approval().match(state.jurisdiction(), state.source());
            if (rule != null && rule.manual()) {
                record(new Fact.AwaitingApproval(now(), AUTO_ACTOR, String.valueOf(rule)));
            } else {
                approve(AUTO_ACTOR, rule == null ? "approved by policy" : "approved by policy (rule " + rule + ")");
            }
        }

        private void approve(String actor, String note) {
            record(new Fact.Approved(now(), actor, note));
            final Instant graceEnds = state.graceEnds();
            if (state.graceDays() > 0 && now().isBefore(graceEnds)) {
                record(new Fact.Scheduled(now(), actor, state.graceDays(), graceEnds));
                return;
            }
            dispatch();
        }

        /**
         * Whatever is due now: the end of the grace period (dispatch, unless the request was cancelled
         * or rejected meanwhile), reminders and escalations, and the deadline.
         */
        private void wake() {
            if (!state.received()) {
                return;
            }
            if (state.status().finished()) {
                if (state.systems().stream().anyMatch(Ledger::owes)) { // a replayed or covered obligation
                    chase();
                    systemsOverdue();
                }
                return;
            }
            if (state.status() == RequestStatus.SCHEDULED && !now().isBefore(state.graceEnds())) {
                record(new Fact.GraceEnded(now(), state.graceDays()));
                dispatch();
            } else if (state.status() == RequestStatus.IN_PROGRESS) {
                chase();
                systemsOverdue();
            }
            overdue();
        }

        /** Reminds every system whose reminder is due, or escalates it once it has had its maximum attempts. */
        private void chase() {
            for (SystemTarget target : state.systems()) {
                if (!target.chaseDue(now())) {
                    continue;
                }
                final boolean working = target.status() == SystemStatus.IN_PROGRESS;
                if (target.maxAttempts() > 0 && target.sent() >= target.maxAttempts()) {
                    final String why = working ? "no news after " + target.sent() + " reminders since its last progress"
                            : "no answer after " + target.sent() + " attempts";
                    record(new Fact.Escalated(now(), target.escalated(now(), why)));
                } else {
                    record(new Fact.Reminded(now(), target.resent(now(), false), working));
                }
            }
        }

        /** A system's own deadline passed while it still owes an answer: once per system. */
        private void systemsOverdue() {
            for (SystemTarget target : state.systems()) {
                if (target.overdueUnaudited(now())) {
                    record(new Fact.SystemOverdue(now(), target));
                }
            }
        }

        /** The deadline passed unfinished: once per deadline; the request stays tracked. */
        private void overdue() {
            if (state.overdueAudited() || !state.overdue(now())) {
                return;
            }
            final List<String> open = state.systems().stream().filter(t -> !t.status().settled())
                    .map(SystemTarget::name).toList();
            record(new Fact.Overdue(now(), state.deadline(), state.status(), open));
        }

        private void dispatch() {
            final List<SystemInfo> routed = route();
            if (routed.isEmpty()) {
                // callbacks that came early stay kept until it is routed
                record(new Fact.Unrouted(now(), unrouted(state)));
                return;
            }
            dispatchTo(routed);
        }

        /** The registered systems (as they are now) that the request is for, in name order. */
        private List<SystemInfo> route() {
            return ctx.systems().stream()
                    .filter(system -> matches(system, state))
                    .sorted(Comparator.comparing(SystemInfo::name))
                    .toList();
        }

        /**
         * Freezes {@code routed} into the request as its targets and sends them the erasure event,
         * then applies the callbacks kept until now and finishes the request if they settled it.
         */
        private void dispatchTo(List<SystemInfo> routed) {
            final List<Callback> early = state.earlyCallbacks();
            final RequestState s = state;
            record(new Fact.Dispatched(now(), routed.stream()
                    .map(system -> new Fact.Route(SystemTarget.dispatched(system, now()), reason(system, s)))
                    .toList()));
            early.forEach(this::applyCallback);
            finishIfSettled();
        }

        private void decide(Decision decision) {
            final RequestState s = state;
            if (!s.received()) {
                refuse("decision for unknown request " + decision.requestId());
                return;
            }
            final Decision.Action action = decision.action();
            final String actor = decision.actor();
            if (action instanceof Decision.Approve approve) {
                if (s.status() != RequestStatus.PENDING_APPROVAL) {
                    refuseUnlessIdempotent(s.status() == RequestStatus.IN_PROGRESS
                            || s.status() == RequestStatus.SCHEDULED || s.status() == RequestStatus.COMPLETED
                            || s.status() == RequestStatus.COMPLETED_WITH_EXCEPTIONS, "approve");
                    return;
                }
                approve(actor, approve.note() == null ? "approved" : approve.note());
            } else if (action instanceof Decision.Reject reject) {
                end(RequestStatus.REJECTED, s.status() == RequestStatus.RECEIVED
                                || s.status() == RequestStatus.PENDING_APPROVAL,
                        new Fact.Rejected(now(), actor, reject.reason()));
            } else if (action instanceof Decision.Cancel cancel) {
                if (s.needs(Attention.UNROUTED) && isBlank(cancel.reason())) {
                    refuse("cancelling unrouted request " + s.requestId() + " needs a reason");
                    return;
                }
                end(RequestStatus.CANCELLED, s.status().beforeDispatch() || s.needs(Attention.UNROUTED),
                        new Fact.Cancelled(now(), actor, cancel.reason()));
            } else if (action instanceof Decision.Retry retry) {
                retry(actor, retry.system());
            } else if (action instanceof Decision.RetryFailed retryFailed) {
                if (s.needs(Attention.UNROUTED)) {
                    reroute(actor, retryFailed.note());
                    return;
                }
                retryFailed(actor, retryFailed.note());
            } else if (action instanceof Decision.ExtendDeadline extend) {
                extend(actor, extend);
            } else if (action instanceof Decision.DuplicateReceived duplicate) {
                record(new Fact.DuplicateReceived(now(), actor, null, duplicate.source()));
            } else if (action instanceof Decision.Acknowledge acknowledge) {
                acknowledge(actor, acknowledge.reason());
            } else if (action instanceof Decision.Replay replay) {
                replay(actor, replay);
            } else if (action instanceof Decision.CallbackRefused refused) {
                if (s.system(refused.system()).isEmpty()) {
                    refuse("request " + s.requestId() + " does not target " + refused.system()
                            + "; a refused callback about it is not audited");
                    return;
                }
                if (s.status().finished() || s.system(refused.system()).orElseThrow().status().settled()) {
                    return; // nothing is owed any more: a forger cannot fill a closed trail
                }
                final String reason = refused.reason() == null || refused.reason().length() <= MAX_REFUSAL_REASON
                        ? refused.reason() : refused.reason().substring(0, MAX_REFUSAL_REASON) + "...";
                record(new Fact.CallbackRefused(now(), actor, refused.system(), reason, refused.bodySha256()));
            } else {
                throw new IllegalStateException("unhandled decision " + action.getClass().getSimpleName());
            }
        }

        private void refuseUnlessIdempotent(boolean idempotent, String what) {
            if (!idempotent) {
                refuse("cannot " + what + " request " + state.requestId() + " in status " + state.status());
            }
        }

        /** Routes an unrouted request again, against the registry as it is now; refused while still no system holds it. */
        private void reroute(String actor, String note) {
            final List<SystemInfo> routed = route();
            if (routed.isEmpty()) {
                refuse("request " + state.requestId() + " is still routed to no system: " + unrouted(state));
                return;
            }
            record(new Fact.Rerouted(now(), actor, routed.stream().map(SystemInfo::name).toList(), note));
            dispatchTo(routed);
        }

        /**
         * A new obligation of a COMPLETED request for one registered system ({@code lethe replay},
         * {@code lethe cover}): freshly dispatched (the subject key only: the request keeps no
         * identifier), chased and answered like any other, while the request's status stays. A replay
         * needs a system the request targeted; a cover a system it did not target that holds its
         * namespaces under its jurisdiction and scope. Asking again while that system still owes an
         * answer (or, for a cover, once it is a target) changes nothing.
         */
        private void replay(String actor, Decision.Replay replay) {
            final String name = replay.system();
            final SystemInfo system = ctx.systems().stream().filter(s -> s.name().equals(name)).findFirst()
                    .orElse(null);
            final SystemTarget existing = state.system(name).orElse(null);
            final String refusal = replayRefusal(state, system, existing, replay.cover());
            if (refusal != null) {
                refuse("cannot " + (replay.cover() ? "cover" : "replay") + " request " + state.requestId() + " for "
                        + name + ": " + refusal);
                return;
            }
            if (existing != null && (replay.cover() || owes(existing))) {
                return;
            }
            final SystemTarget fresh = SystemTarget.dispatched(system, now());
            record(new Fact.Replayed(now(), actor, existing == null ? fresh : fresh.afterEarlier(existing),
                    replay.cover(), replay.note()));
        }

        /** An officer clears a CONTRADICTED flag, with a reason; the contradictions stay recorded. */
        private void acknowledge(String actor, String reason) {
            if (!state.needs(Attention.CONTRADICTED)) {
                refuse("request " + state.requestId() + " has no contradicting callback to acknowledge");
            } else if (isBlank(reason)) {
                refuse("acknowledging a contradiction needs a reason");
            } else {
                record(new Fact.Acknowledged(now(), actor, reason));
            }
        }

        /** Sends the request again to every FAILED system, each with fresh attempts. */
        private void retryFailed(String actor, String note) {
            final List<SystemTarget> failed = state.systems().stream()
                    .filter(t -> t.status() == SystemStatus.FAILED).toList();
            if (state.status() != RequestStatus.IN_PROGRESS || failed.isEmpty()) {
                refuse("request " + state.requestId() + " in status " + state.status()
                        + " has no FAILED system to retry");
                return;
            }
            failed.forEach(target -> redispatch(actor, target, note));
        }

        private void extend(String actor, Decision.ExtendDeadline extend) {
            final LedgerPolicy.Extension allowed = ctx.policy().extensions().get(state.jurisdiction());
            final String refusal = extensionRefusal(state, extend, allowed);
            if (refusal != null) {
                refuse("cannot extend the deadline of request " + state.requestId() + ": " + refusal);
                return;
            }
            final Period by = extend.days() == null ? allowed.standard() : Period.ofDays(extend.days());
            record(new Fact.DeadlineExtended(now(), actor, by, LedgerPolicy.plus(state.deadline(), by),
                    extend.reason()));
        }

        private void end(RequestStatus to, boolean allowed, Fact ended) {
            if (state.status() == to) {
                return;
            }
            if (!allowed) {
                refuse("cannot move request " + state.requestId() + " from " + state.status() + " to " + to);
                return;
            }
            record(ended);
        }

        private void retry(String actor, String system) {
            final SystemTarget target = state.system(system).orElse(null);
            if (target == null || state.status() != RequestStatus.IN_PROGRESS || target.status().settled()) {
                refuse("cannot retry system " + system + " of request " + state.requestId());
                return;
            }
            redispatch(actor, target, null);
        }

        private void redispatch(String actor, SystemTarget target, String note) {
            record(new Fact.Retried(now(), actor, target.resent(now(), true), note));
        }

        private void callBack(Callback callback) {
            if (state.status() != null && state.status().finished()
                    && state.system(callback.system()).filter(Ledger::owes).isPresent()) {
                applyCallback(callback); // the answer of a replayed or covered obligation
                return;
            }
            if (callback.outcome() == Outcome.RETAINED && isBlank(callback.legalBasis())) {
                refuse("a RETAINED callback needs a legal basis");
                return;
            }
            if (!state.received() || state.status().beforeDispatch()) {
                keepEarly(callback);
                return;
            }
            if (state.status().finished()) {
                // a repeat after the end is harmless; a contradiction of a settled answer is still recorded
                state.system(callback.system()).filter(t -> contradicts(t, callback.outcome()))
                        .ifPresent(target -> record(new Fact.Contradicted(now(), callback, target)));
                return;
            }
            applyCallback(callback);
            finishIfSettled();
        }

        private void keepEarly(Callback callback) {
            final List<Callback> early = state.earlyCallbacks();
            if (early.stream().anyMatch(c -> c.eventId().equals(callback.eventId()))) {
                return;
            }
            if (early.size() >= ctx.policy().maxEarlyCallbacks()) {
                refuse("too many callbacks waiting for request " + callback.requestId());
                return;
            }
            // kept redacted: the state (and its changelog) never holds a partner's quote of an identifier
            record(new Fact.CallbackKept(now(), redacted(callback)));
        }

        private Callback redacted(Callback callback) {
            return new Callback(callback.eventId(), callback.requestId(), callback.system(),
                    callback.at(), callback.actor(), callback.outcome(), callback.itemsErased(),
                    redactor.redact(callback.detail()), redactor.redact(callback.legalBasis()));
        }

        private void applyCallback(Callback callback) {
            final SystemTarget target = state.system(callback.system()).orElse(null);
            if (target == null) {
                record(new Fact.CallbackIgnored(now(), callback));
                return;
            }
            if (contradicts(target, callback.outcome())) {
                record(new Fact.Contradicted(now(), callback, target));
                return;
            }
            if (target.manual() && callback.outcome() == Outcome.DONE && isBlank(callback.detail())) {
                refuse("system " + target.name() + " is completed by a person: DONE needs the evidence in detail");
                return;
            }
            final Callback clean = redacted(callback);
            final SystemTarget next = Ledger.evolve(target, clean, clean.detail(), ctx);
            // news that carries new evidence (a processor's signed status) is recorded even when nothing else
            // changed; the same text again is a redelivery, not news (partners deliver at least once)
            final boolean evidence = clean.outcome() == Outcome.PROGRESS && clean.detail() != null
                    && !clean.detail().equals(target.detail())
                    && !target.status().settled() && target.status() != SystemStatus.FAILED;
            if (next.equals(target) && !evidence) {
                return;
            }
            // news without anything new (a repeated PROGRESS without evidence): only its chase starts again
            record(next.sameAnswer(target) && !evidence ? new Fact.ChaseRestarted(now(), next)
                    : new Fact.SystemAnswered(now(), clean, next));
        }

        private void finishIfSettled() {
            final RequestState s = state;
            if (s.status() != RequestStatus.IN_PROGRESS || s.systems().isEmpty()
                    || !s.systems().stream().allMatch(t -> t.status().settled())) {
                return;
            }
            final boolean retained = s.systems().stream().anyMatch(t -> t.status() == SystemStatus.RETAINED);
            record(new Fact.Completed(now(), retained ? RequestStatus.COMPLETED_WITH_EXCEPTIONS
                    : RequestStatus.COMPLETED, s.systems().size()));
        }
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

    /** Whether {@code target} still owes an answer and is chased for it (sent, or working). */
    static boolean owes(SystemTarget target) {
        return !target.status().settled() && target.status() != SystemStatus.FAILED;
    }

    /** Why {@code s} cannot get a new obligation for {@code system}, or null when it can. */
    private static String replayRefusal(RequestState s, SystemInfo system, SystemTarget existing, boolean cover) {
        if (s.status() != RequestStatus.COMPLETED && s.status() != RequestStatus.COMPLETED_WITH_EXCEPTIONS) {
            return "only a COMPLETED request is replayed or covered; it is " + s.status();
        }
        if (system == null) {
            return "no such system is registered";
        }
        if (!cover && existing == null) {
            return "the request never targeted it (cover a system registered later instead)";
        }
        if (cover && existing == null && !matches(system, s)) {
            return "it holds none of namespaces " + String.join(",", s.namespaces()) + " under " + s.jurisdiction()
                    + (Scope.ALL.equals(s.scope()) ? "" : " within the request's scope");
        }
        return null;
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
}
