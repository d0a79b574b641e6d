package dev.lethe.ledger.domain;

import dev.lethe.ledger.domain.LedgerOutput.Audit;
import dev.lethe.ledger.domain.LedgerOutput.Dispatch;
import dev.lethe.ledger.domain.LedgerOutput.Notify;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The edge of the fold: maps each {@link Fact} to what the world learns of it, the audit trail's
 * facts (type, actor, system and text, numbered in order), notifications, erasure events,
 * dataset records, wakes, refusals and verdicts, and after the last fact the wakes and status
 * notification the new state asks for. Every text passes the {@link Redactor}.
 */
final class FactOutputs {

    private final Instant now;
    private final Redactor redactor;
    private final List<LedgerOutput> outputs = new ArrayList<>();
    private int seq = -1;

    /** The namespace of the subject of an erasure event sent for a finished request: the value is its subject key. */
    static final String SUBJECT_KEY = Identifier.SUBJECT_KEY;

    FactOutputs(Instant now, Redactor redactor) {
        this.now = now;
        this.redactor = redactor;
    }

    /** How many audit facts {@code fact} adds to a trail that stood at {@code before}. */
    static int audits(Fact fact, RequestState before) {
        if (fact instanceof Fact.Dispatched f) {
            return f.routes().size();
        } else if (fact instanceof Fact.CallbackKept) {
            return before.received() ? 1 : 0; // a callback alone is no request yet, with no trail
        } else if (fact instanceof Fact.ChaseRestarted || fact instanceof Fact.Refused
                || fact instanceof Fact.Judged) {
            return 0;
        }
        return 1;
    }

    List<LedgerOutput> all() {
        return outputs;
    }

    /** The outputs of {@code fact}, which took the state from {@code before} to {@code after}. */
    void add(Fact fact, RequestState before, RequestState after) {
        if (seq < 0) {
            seq = before.auditSeq();
        }
        map(fact, before, after);
        if (seq != after.auditSeq()) {
            throw new IllegalStateException(fact.getClass().getSimpleName() + " audited " + (seq - before.auditSeq())
                    + " facts where evolve counted " + (after.auditSeq() - before.auditSeq()));
        }
    }

    private void map(Fact fact, RequestState before, RequestState s) {
        if (fact instanceof Fact.Received f) {
            final ErasureRequest r = f.request();
            audit(s, "RECEIVED", r.submittedBy() == null ? r.source() : r.submittedBy(), null,
                    "jurisdiction " + r.jurisdiction() + ", reason " + r.reason() + ", source " + r.source());
        } else if (fact instanceof Fact.AwaitingApproval f) {
            audit(s, RequestStatus.PENDING_APPROVAL.name(), f.actor(), null,
                    "awaiting an approver (rule " + f.rule() + ")");
        } else if (fact instanceof Fact.Approved f) {
            audit(s, "APPROVED", f.actor(), null, f.note());
        } else if (fact instanceof Fact.Scheduled f) {
            audit(s, RequestStatus.SCHEDULED.name(), f.actor(), null,
                    "grace period of " + f.graceDays() + " days, dispatch at " + f.dispatchAt());
            outputs.add(new LedgerOutput.Wake(s.requestId(), f.dispatchAt()));
        } else if (fact instanceof Fact.GraceEnded f) {
            audit(s, "GRACE_ENDED", Ledger.LEDGER_ACTOR, null, "grace period of " + f.graceDays() + " days is over");
        } else if (fact instanceof Fact.Unrouted f) {
            audit(s, "UNROUTED", Ledger.LEDGER_ACTOR, null, f.why() + "; it stays open until an officer routes it "
                    + "again (retry) or cancels it with a reason");
            notify(s, Notify.ATTENTION, s.status(), null, Attention.UNROUTED + ": " + f.why());
        } else if (fact instanceof Fact.Rerouted f) {
            audit(s, "REROUTED", f.actor(), null, "routed again against the current registry: "
                    + String.join(",", f.systems()) + (f.note() == null ? "" : "; " + f.note()));
        } else if (fact instanceof Fact.Dispatched f) {
            f.routes().forEach(route -> audit(s, "DISPATCHED", Ledger.LEDGER_ACTOR, route.target().name(),
                    route.reason()));
            outputs.add(dispatch(s, f.targets().stream().map(SystemTarget::name).toList(), 1, false));
        } else if (fact instanceof Fact.CallbackKept f) {
            if (before.received()) {
                audit(s, "CALLBACK_KEPT", f.callback().actor(), f.callback().system(),
                        f.callback().outcome() + " kept until the request is dispatched");
            }
        } else if (fact instanceof Fact.CallbackIgnored f) {
            audit(s, "CALLBACK_NOT_TARGETED", f.callback().actor(), f.callback().system(),
                    f.callback().outcome() + " from a system this request does not target; ignored");
        } else if (fact instanceof Fact.SystemAnswered f) {
            audit(s, "SYSTEM_" + f.callback().outcome().name(), f.callback().actor(), f.callback().system(),
                    detailOf(f.target(), f.callback()));
            if (s.status().finished() && f.target().status().settled()) {
                // a replayed or covered obligation settled: the subject's dataset record shows it
                outputs.add(new LedgerOutput.Finished(s.subjectKey(), s.requestId(), s.status(), s.jurisdiction(),
                        s.namespaces(), s.requestedAt(), s.finishedAt(), s.systems()));
            }
        } else if (fact instanceof Fact.Contradicted f) {
            final String why = f.callback().outcome() + " from " + f.callback().actor() + " contradicts "
                    + f.settled().status() + " reported at " + f.settled().updatedAt() + "; the first answer is kept";
            audit(s, "CALLBACK_CONTRADICTED", f.callback().actor(), f.settled().name(), why);
            notify(s, Notify.ATTENTION, s.status(), f.settled().name(), Attention.CONTRADICTED + ": " + why);
        } else if (fact instanceof Fact.Reminded f) {
            audit(s, "REMINDED", Ledger.LEDGER_ACTOR, f.target().name(), (f.working()
                    ? "no news since its last progress" : "no answer yet") + "; attempt " + f.target().attempts());
            outputs.add(dispatch(s, List.of(f.target().name()), f.target().attempts(), true));
        } else if (fact instanceof Fact.Escalated f) {
            audit(s, "ESCALATED", Ledger.LEDGER_ACTOR, f.target().name(), f.target().detail());
            notify(s, Notify.ESCALATED, s.status(), f.target().name(), f.target().detail());
        } else if (fact instanceof Fact.SystemOverdue f) {
            final String why = "its own deadline " + f.target().deadline() + " passed in status " + f.target().status();
            audit(s, "SYSTEM_OVERDUE", Ledger.LEDGER_ACTOR, f.target().name(), why);
            notify(s, Notify.SYSTEM_OVERDUE, s.status(), f.target().name(), why);
        } else if (fact instanceof Fact.Overdue f) {
            final String why = "deadline " + f.deadline() + " passed in status " + f.status()
                    + (f.waitingFor().isEmpty() ? "" : "; waiting for " + String.join(",", f.waitingFor()));
            audit(s, "OVERDUE", Ledger.LEDGER_ACTOR, null, why);
            notify(s, Notify.OVERDUE, f.status(), null, why);
        } else if (fact instanceof Fact.Completed f) {
            audit(s, f.status().name(), Ledger.LEDGER_ACTOR, null, f.systems() + " systems answered");
            outputs.add(new LedgerOutput.Finished(s.subjectKey(), s.requestId(), f.status(), s.jurisdiction(),
                    s.namespaces(), s.requestedAt(), f.at(), s.systems()));
        } else if (fact instanceof Fact.Rejected f) {
            audit(s, RequestStatus.REJECTED.name(), f.actor(), null, f.reason());
        } else if (fact instanceof Fact.Cancelled f) {
            audit(s, RequestStatus.CANCELLED.name(), f.actor(), null, f.reason());
        } else if (fact instanceof Fact.Duplicate f) {
            audit(s, "DUPLICATE", Ledger.LEDGER_ACTOR, null, "duplicate of request " + f.first()
                    + ", open for the same subject and scope; nothing was dispatched");
        } else if (fact instanceof Fact.DuplicateReceived f) {
            final String from = f.source() == null ? "" : " from " + f.source();
            audit(s, "DUPLICATE_RECEIVED", f.actor(), null, "another request for the same subject and scope"
                    + (f.duplicate() == null ? from : " (" + f.duplicate() + from + ")")
                    + " was filed while this one is open");
        } else if (fact instanceof Fact.Retried f) {
            audit(s, "RETRY", f.actor(), f.target().name(), "attempt " + f.target().attempts()
                    + (f.note() == null ? "" : ": " + f.note()));
            outputs.add(dispatch(s, List.of(f.target().name()), f.target().attempts(), false));
        } else if (fact instanceof Fact.DeadlineExtended f) {
            audit(s, "DEADLINE_EXTENDED", f.actor(), null, "by " + f.by() + " to " + f.to() + ": " + f.reason());
        } else if (fact instanceof Fact.Replayed f) {
            audit(s, f.cover() ? "COVERED" : "REPLAYED", f.actor(), f.target().name(), (f.cover()
                    ? "registered after the erasure; sent the subject key" : "sent the subject key again; attempt "
                    + f.target().attempts()) + (f.note() == null ? "" : ": " + f.note()));
            outputs.add(dispatch(s, List.of(f.target().name()), f.target().attempts(), false));
        } else if (fact instanceof Fact.Acknowledged f) {
            audit(s, "ACKNOWLEDGED", f.actor(), null, "contradiction acknowledged: " + f.reason());
        } else if (fact instanceof Fact.CallbackRefused f) {
            audit(s, "OPENDSR_CALLBACK_REFUSED", f.actor(), f.system(), "signature refused: " + f.reason()
                    + "; body-sha256=" + f.bodySha256() + "; nothing changed");
        } else if (fact instanceof Fact.Refused f) {
            outputs.add(new LedgerOutput.Refused(f.reason()));
        } else if (fact instanceof Fact.Judged f) {
            outputs.add(new LedgerOutput.Judged(f.duplicate(), s.subjectKey(), f.verdict()));
        } else if (!(fact instanceof Fact.ChaseRestarted)) {
            throw new IllegalStateException("unhandled fact " + fact.getClass().getSimpleName());
        }
    }

    private void audit(RequestState s, String type, String actor, String system, String detail) {
        outputs.add(new Audit(s.requestId(), ++seq, now, type, redactor.redact(actor), system,
                redactor.redact(detail), s.subjectKey(), s.status()));
    }

    private void notify(RequestState s, String type, RequestStatus previous, String system, String detail) {
        outputs.add(new Notify(s.requestId(), type, s.status(), previous, system, s.jurisdiction(), s.deadline(),
                redactor.redact(detail), now, Notify.STATUS_CHANGED.equals(type) ? s.portal() : null));
    }

    private Dispatch dispatch(RequestState s, List<String> systems, int attempt, boolean reminder) {
        final String eventId = s.requestId() + "/" + String.join(",", systems) + "/" + attempt;
        // a finished request keeps no identifier: its replayed or covered obligations name the subject by its key
        final Identifier subject = s.subject() != null ? s.subject() : new Identifier(SUBJECT_KEY, s.subjectKey());
        return new Dispatch(eventId, s.requestId(), s.subjectKey(), systems, subject, s.identifiers(),
                s.objects(), s.jurisdiction(), s.deadline(), reminder, attempt, now);
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
        if (callback.detail() != null && callback.outcome() == Outcome.PROGRESS) {
            // news may carry evidence (an OpenDSR processor's signed receipt or status): it goes into the trail
            text.append(text.isEmpty() ? "" : "; ").append(callback.detail());
        }
        return text.isEmpty() ? null : text.toString();
    }

    /** Asks to be woken at the next reminder and just past a new deadline, when those changed. */
    void scheduleWakes(RequestState before, RequestState s) {
        final boolean finished = s.received() && s.status().finished();
        if (!s.received() || finished && s.systems().stream().noneMatch(Ledger::owes)) {
            return;
        }
        final Instant chase = nextChase(s);
        if (chase != null && (before == null || !chase.equals(nextChase(before)))) {
            outputs.add(new LedgerOutput.Wake(s.requestId(), chase));
        }
        final Instant systemDue = nextSystemDeadline(s);
        if (systemDue != null && (before == null || !systemDue.equals(nextSystemDeadline(before)))) {
            outputs.add(new LedgerOutput.Wake(s.requestId(), systemDue));
        }
        if (!finished && s.deadline() != null && (before == null || !s.deadline().equals(before.deadline()))) {
            outputs.add(new LedgerOutput.Wake(s.requestId(), s.deadline().plusMillis(1)));
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
    void notifyStatusChange(RequestState before, RequestState s) {
        final RequestStatus was = before == null || before.status() == RequestStatus.RECEIVED ? null : before.status();
        if (s.status() == null || s.status() == RequestStatus.RECEIVED || s.status() == was) {
            return;
        }
        final String why = outputs.stream().filter(Audit.class::isInstance).map(Audit.class::cast)
                .filter(a -> a.type().equals(s.status().name())).reduce((a, b) -> b).map(Audit::detail)
                .orElse(null);
        notify(s, Notify.STATUS_CHANGED, was, null, why);
    }
}
