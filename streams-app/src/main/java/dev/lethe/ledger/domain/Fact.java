package dev.lethe.ledger.domain;

import java.time.Instant;
import java.time.Period;
import java.util.List;

/**
 * What happened to a request, as {@link Ledger#decide} found it: the only things that change a
 * state ({@link Ledger#evolve}). Facts carry data, not prose: the audit trail's types and texts,
 * notifications, erasure events, dataset records and wakes are all derived from them at the edge
 * ({@link FactOutputs}). Every fact happened at {@link #at()}.
 */
public sealed interface Fact {

    Instant at();

    /** The request itself arrived; held in RECEIVED until the subject gate judges it. */
    record Received(Instant at, ErasureRequest request, String subjectKey, List<String> namespaces,
                    Instant deadline) implements Fact {
        public Received {
            namespaces = List.copyOf(namespaces);
        }
    }

    /** An approval rule wants a person: PENDING_APPROVAL. */
    record AwaitingApproval(Instant at, String actor, String rule) implements Fact {
    }

    /** Approved, by policy or by an approver. */
    record Approved(Instant at, String actor, String note) implements Fact {
    }

    /** Approved with a grace period: SCHEDULED, dispatched at {@code dispatchAt}. */
    record Scheduled(Instant at, String actor, int graceDays, Instant dispatchAt) implements Fact {
    }

    /** The grace period is over: it is dispatched now. */
    record GraceEnded(Instant at, int graceDays) implements Fact {
    }

    /** Due for dispatch, but no registered system holds it: IN_PROGRESS, waiting for a person. */
    record Unrouted(Instant at, String why) implements Fact {
    }

    /** An officer routed an unrouted request again, to {@code systems}. */
    record Rerouted(Instant at, String actor, List<String> systems, String note) implements Fact {
        public Rerouted {
            systems = List.copyOf(systems);
        }
    }

    /** Sent to {@code routes}' systems, each frozen as a target: IN_PROGRESS. */
    record Dispatched(Instant at, List<Route> routes) implements Fact {
        public Dispatched {
            routes = List.copyOf(routes);
        }

        public List<SystemTarget> targets() {
            return routes.stream().map(Route::target).toList();
        }
    }

    /** One system a dispatch chose, and why routing chose it. */
    record Route(SystemTarget target, String reason) {
    }

    /** A callback that came before its request was dispatched, kept until then. */
    record CallbackKept(Instant at, Callback callback) implements Fact {
    }

    /** A callback from a system this request does not target. */
    record CallbackIgnored(Instant at, Callback callback) implements Fact {
    }

    /** A system answered ({@code callback}, its partner text redacted); {@code target} is its new state. */
    record SystemAnswered(Instant at, Callback callback, SystemTarget target) implements Fact {
    }

    /** A system repeated news it had given (PROGRESS): nothing new but that it is chased again from now. */
    record ChaseRestarted(Instant at, SystemTarget target) implements Fact {
    }

    /** {@code callback} contradicts what {@code settled} (the system as it was) had answered; the answer is kept. */
    record Contradicted(Instant at, Callback callback, SystemTarget settled) implements Fact {
    }

    /** A system was sent the erasure event again; {@code working} says it had reported PROGRESS. */
    record Reminded(Instant at, SystemTarget target, boolean working) implements Fact {
    }

    /** A system used its attempts without answering: FAILED, its {@code detail} saying why. */
    record Escalated(Instant at, SystemTarget target) implements Fact {
    }

    /** A system ({@code target}, as it was) passed its own deadline without a final answer. */
    record SystemOverdue(Instant at, SystemTarget target) implements Fact {
    }

    /** The request passed its {@code deadline} in {@code status}, waiting for {@code waitingFor}. */
    record Overdue(Instant at, Instant deadline, RequestStatus status, List<String> waitingFor) implements Fact {
        public Overdue {
            waitingFor = List.copyOf(waitingFor);
        }
    }

    /** Every one of its {@code systems} systems settled: COMPLETED or COMPLETED_WITH_EXCEPTIONS. */
    record Completed(Instant at, RequestStatus status, int systems) implements Fact {
    }

    record Rejected(Instant at, String actor, String reason) implements Fact {
    }

    record Cancelled(Instant at, String actor, String reason) implements Fact {
    }

    /** Judged a duplicate of the open request {@code first}: CANCELLED, nothing dispatched. */
    record Duplicate(Instant at, String first) implements Fact {
    }

    /**
     * Another request for the same subject and scope ({@code duplicate}, null when a decision says
     * so without naming it) was filed while this one is open.
     */
    record DuplicateReceived(Instant at, String actor, String duplicate, String source) implements Fact {
    }

    /** An officer sent a system ({@code target}, as it now is) the erasure event again, with fresh attempts. */
    record Retried(Instant at, String actor, SystemTarget target, String note) implements Fact {
    }

    record DeadlineExtended(Instant at, String actor, Period by, Instant to, String reason) implements Fact {
    }

    /**
     * A finished request has a new obligation for {@code target} (freshly dispatched): replayed to a
     * restored system, or covering a system registered later ({@code cover}). Its status stays.
     */
    record Replayed(Instant at, String actor, SystemTarget target, boolean cover, String note) implements Fact {
    }

    /** An officer acknowledged a contradiction. */
    record Acknowledged(Instant at, String actor, String reason) implements Fact {
    }

    /**
     * An OpenDSR processor's callback about {@code system}, a target of this request, failed signature
     * verification ({@code reason}); only audited, with the refused body's SHA-256: it changes nothing.
     */
    record CallbackRefused(Instant at, String actor, String system, String reason, String bodySha256)
            implements Fact {
    }

    /** The input could not be applied: it changes nothing and goes to the dead-letter topic. */
    record Refused(Instant at, String reason) implements Fact {
    }

    /** This request's answer about another request of the same subject, {@code duplicate}. */
    record Judged(Instant at, String duplicate, Verdict verdict) implements Fact {
    }
}
