package dev.lethe.ledger.domain;

import dev.lethe.ledger.domain.LedgerOutput.Audit;
import dev.lethe.ledger.domain.LedgerOutput.Dispatch;
import dev.lethe.ledger.domain.LedgerOutput.Finished;
import dev.lethe.ledger.domain.LedgerOutput.Refused;
import java.time.Instant;
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
 * <p>Callbacks commute: whatever order they arrive in, early, late or twice, the request ends in
 * the same state. A settled system (DONE, NOT_FOUND, RETAINED) never changes again; PROGRESS
 * never overrides FAILED; a callback for a request that has not arrived (or not been dispatched)
 * is kept and applied at dispatch.
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
        }
        return step.transition();
    }

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
                null, step.ctx.now(), List.of(), step.state.earlyCallbacks(), step.state.auditSeq());
        step.audit("RECEIVED", r.submittedBy() == null ? r.source() : r.submittedBy(), null,
                "jurisdiction " + r.jurisdiction() + ", reason " + r.reason() + ", source " + r.source());
        if (step.ctx.policy().manualApproval()) {
            step.transitionTo(RequestStatus.PENDING_APPROVAL, AUTO_ACTOR, "awaiting an approver");
        } else {
            approve(step, AUTO_ACTOR, "approved by policy");
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

    /** The grace period is over: dispatch, unless the request was cancelled or rejected meanwhile. */
    private static void wake(Step step) {
        final RequestState s = step.state;
        if (s.status() != RequestStatus.SCHEDULED || step.ctx.now().isBefore(s.graceEnds())) {
            return;
        }
        step.audit("GRACE_ENDED", LEDGER_ACTOR, null, "grace period of " + s.graceDays() + " days is over");
        dispatch(step);
    }

    private static void dispatch(Step step) {
        final RequestState s = step.state;
        final List<SystemInfo> routed = step.ctx.systems().stream()
                .filter(system -> matches(system, s))
                .sorted(Comparator.comparing(SystemInfo::name))
                .toList();
        final List<SystemTarget> targets = routed.stream()
                .map(system -> new SystemTarget(system.name(), SystemStatus.DISPATCHED, 1, step.ctx.now(),
                        null, null, null))
                .toList();
        step.state = s.withSystems(targets, step.ctx.now()).withStatus(RequestStatus.IN_PROGRESS, step.ctx.now());
        for (SystemInfo system : routed) {
            step.audit("DISPATCHED", LEDGER_ACTOR, system.name(), "holds namespaces "
                    + String.join(",", intersection(system.namespaces(), s.namespaces())));
        }
        if (targets.isEmpty()) {
            step.audit("NO_SYSTEMS_MATCHED", LEDGER_ACTOR, null, "no registered system holds namespaces "
                    + String.join(",", s.namespaces()));
        } else {
            step.emit(dispatchEvent(step, targets.stream().map(SystemTarget::name).toList(), 1, false));
        }
        final List<Callback> early = step.state.earlyCallbacks();
        step.state = step.state.withEarlyCallbacks(List.of());
        early.forEach(callback -> applyCallback(step, callback));
        finishIfSettled(step);
    }

    private static boolean matches(SystemInfo system, RequestState s) {
        return s.scope().admits(system.name())
                && !intersection(system.namespaces(), s.namespaces()).isEmpty()
                && (system.jurisdictions().isEmpty() || system.jurisdictions().contains(s.jurisdiction()));
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
            end(step, decision, RequestStatus.CANCELLED, cancel.reason(), s.status().beforeDispatch());
        } else if (action instanceof Decision.Retry retry) {
            retry(step, decision.actor(), retry.system());
        }
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
        step.state = step.state.finish(to, step.ctx.now());
        step.audit(to.name(), decision.actor(), null, reason);
    }

    private static void retry(Step step, String actor, String system) {
        final SystemTarget target = step.state.system(system).orElse(null);
        if (target == null || step.state.status() != RequestStatus.IN_PROGRESS || target.status().settled()) {
            step.emit(new Refused("cannot retry system " + system + " of request " + step.state.requestId()));
            return;
        }
        final SystemTarget again = new SystemTarget(system, SystemStatus.DISPATCHED, target.attempts() + 1,
                step.ctx.now(), target.itemsErased(), target.detail(), null);
        step.replace(again);
        step.audit("RETRY", actor, system, "attempt " + again.attempts());
        step.emit(dispatchEvent(step, List.of(system), again.attempts(), false));
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
            return; // a repeat after the end: harmless
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
        final Callback clean = new Callback(callback.eventId(), callback.requestId(), callback.system(),
                callback.at(), callback.actor(), callback.outcome(), callback.itemsErased(),
                step.redact(callback.detail()), step.redact(callback.legalBasis()));
        final SystemTarget next = evolve(target, clean, clean.detail(), step.ctx);
        if (next.equals(target)) {
            return;
        }
        step.replace(next);
        step.audit("SYSTEM_" + callback.outcome().name(), callback.actor(), callback.system(), detailOf(next, clean));
    }

    /** One system's status under one callback: settled is final, PROGRESS never overrides FAILED. */
    static SystemTarget evolve(SystemTarget target, Callback callback, String detail, LedgerContext ctx) {
        if (target.status().settled()) {
            return target;
        }
        final Long items = callback.itemsErased();
        return switch (callback.outcome()) {
            case PROGRESS -> {
                final SystemStatus status = target.status() == SystemStatus.FAILED
                        ? SystemStatus.FAILED : SystemStatus.IN_PROGRESS;
                final Long most = max(target.itemsErased(), items);
                if (status == target.status() && Objects.equals(most, target.itemsErased())) {
                    yield target;
                }
                yield new SystemTarget(target.name(), status, target.attempts(), ctx.now(), most,
                        target.detail(), null);
            }
            case FAILED -> target.status() == SystemStatus.FAILED ? target
                    : new SystemTarget(target.name(), SystemStatus.FAILED, target.attempts(), ctx.now(),
                            target.itemsErased(), detail, null);
            // the settling answer's own count (null when it gives none), so progress before or after it ends the same
            case DONE, NOT_FOUND, RETAINED -> new SystemTarget(target.name(), callback.outcome().status(),
                    target.attempts(), ctx.now(), items, detail,
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
        if (s.status() != RequestStatus.IN_PROGRESS || !s.systems().stream().allMatch(t -> t.status().settled())) {
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
