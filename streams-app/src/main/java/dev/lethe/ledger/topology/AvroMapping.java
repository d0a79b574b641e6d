package dev.lethe.ledger.topology;

import dev.lethe.avro.Acknowledged;
import dev.lethe.avro.Admission;
import dev.lethe.avro.Admitted;
import dev.lethe.avro.Approved;
import dev.lethe.avro.AuditFact;
import dev.lethe.avro.Cancelled;
import dev.lethe.avro.DeadlineExtended;
import dev.lethe.avro.DuplicateFiled;
import dev.lethe.avro.DuplicateOf;
import dev.lethe.avro.DuplicateReceived;
import dev.lethe.avro.ErasureEvent;
import dev.lethe.avro.ErasureRecord;
import dev.lethe.avro.ErasureRequested;
import dev.lethe.avro.Notification;
import dev.lethe.avro.Rejected;
import dev.lethe.avro.RetryFailed;
import dev.lethe.avro.RetryRequested;
import dev.lethe.avro.SystemCallback;
import dev.lethe.avro.SystemMode;
import dev.lethe.avro.SystemOutcome;
import dev.lethe.avro.SystemRegistration;
import dev.lethe.avro.SystemState;
import dev.lethe.ledger.domain.Attention;
import dev.lethe.ledger.domain.Callback;
import dev.lethe.ledger.domain.Decision;
import dev.lethe.ledger.domain.ErasureRequest;
import dev.lethe.ledger.domain.Portal;
import dev.lethe.ledger.domain.Identifier;
import dev.lethe.ledger.domain.LedgerEvent;
import dev.lethe.ledger.domain.LedgerOutput;
import dev.lethe.ledger.domain.Outcome;
import dev.lethe.ledger.domain.RequestState;
import dev.lethe.ledger.domain.RequestStatus;
import dev.lethe.ledger.domain.Scope;
import dev.lethe.ledger.domain.SystemInfo;
import dev.lethe.ledger.domain.SystemStatus;
import dev.lethe.ledger.domain.SystemTarget;
import dev.lethe.ledger.domain.Verdict;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;

/** Maps the generated Avro classes (the wire) to the domain records (the fold) and back. */
public final class AvroMapping {

    private AvroMapping() {
    }

    public static ErasureRequest request(ErasureRequested a) {
        return new ErasureRequest(a.getRequestId(), identifier(a.getSubject()), identifiers(a.getIdentifiers()),
                a.getJurisdiction(), a.getReason(), a.getSource(), scope(a.getScope()), a.getObjects(),
                a.getGraceDays(), a.getRequestedAt(), a.getSubmittedBy(), a.getFingerprint(), portal(a.getOpendsr()));
    }

    public static Portal portal(dev.lethe.avro.OpenDsrPortal a) {
        return a == null ? null : new Portal(a.getSubjectRequestId(), a.getControllerId(),
                a.getExpectedCompletionTime(), a.getCallbackUrls());
    }

    public static dev.lethe.avro.OpenDsrPortal portal(Portal d) {
        return d == null ? null : new dev.lethe.avro.OpenDsrPortal(d.subjectRequestId(), d.controllerId(),
                d.expectedCompletion(), d.callbackUrls());
    }

    public static Callback callback(SystemCallback a) {
        return new Callback(a.getEventId(), a.getRequestId(), a.getSystem(), a.getAt(), a.getActor(),
                Outcome.valueOf(a.getOutcome().name()), a.getItemsErased(), a.getDetail(), a.getLegalBasis());
    }

    public static SystemCallback callback(Callback d) {
        return SystemCallback.newBuilder().setEventId(d.eventId()).setRequestId(d.requestId())
                .setSystem(d.system()).setAt(d.at()).setActor(d.actor())
                .setOutcome(dev.lethe.avro.CallbackOutcome.valueOf(d.outcome().name()))
                .setItemsErased(d.itemsErased()).setDetail(d.detail()).setLegalBasis(d.legalBasis()).build();
    }

    public static Decision decision(dev.lethe.avro.Decision a) {
        final Object action = a.getAction();
        final Decision.Action mapped;
        if (action instanceof Approved approved) {
            mapped = new Decision.Approve(approved.getNote());
        } else if (action instanceof Rejected rejected) {
            mapped = new Decision.Reject(rejected.getReason());
        } else if (action instanceof Cancelled cancelled) {
            mapped = new Decision.Cancel(cancelled.getReason());
        } else if (action instanceof RetryRequested retry) {
            mapped = new Decision.Retry(retry.getSystem());
        } else if (action instanceof RetryFailed retryFailed) {
            mapped = new Decision.RetryFailed(retryFailed.getNote());
        } else if (action instanceof DeadlineExtended extended) {
            mapped = new Decision.ExtendDeadline(extended.getReason(), extended.getDays());
        } else if (action instanceof DuplicateReceived duplicate) {
            mapped = new Decision.DuplicateReceived(duplicate.getSource());
        } else if (action instanceof Acknowledged acknowledged) {
            mapped = new Decision.Acknowledge(acknowledged.getReason());
        } else if (action instanceof dev.lethe.avro.Replayed replayed) {
            mapped = new Decision.Replay(replayed.getSystem(), false, replayed.getNote());
        } else if (action instanceof dev.lethe.avro.Covered covered) {
            mapped = new Decision.Replay(covered.getSystem(), true, covered.getNote());
        } else if (action instanceof dev.lethe.avro.CallbackRefused refused) {
            mapped = new Decision.CallbackRefused(refused.getSystem(), refused.getReason(), refused.getBodySha256());
        } else {
            throw new IllegalArgumentException("unknown decision " + action);
        }
        return new Decision(a.getEventId(), a.getRequestId(), a.getAt(), a.getActor(), mapped);
    }

    /** A verdict the ledger sends to another request, as the subject-gate record it travels as. */
    public static Admission admission(LedgerOutput.Judged judged, Instant at) {
        final Verdict verdict = judged.verdict();
        final Object mapped;
        if (verdict instanceof Verdict.Admitted) {
            mapped = new Admitted();
        } else if (verdict instanceof Verdict.DuplicateOf duplicate) {
            mapped = new DuplicateOf(duplicate.first());
        } else if (verdict instanceof Verdict.DuplicateFiled filed) {
            mapped = new DuplicateFiled(filed.duplicate(), filed.source());
        } else {
            throw new IllegalArgumentException("unknown verdict " + verdict);
        }
        return Admission.newBuilder().setRequestId(judged.requestId()).setSubjectKey(judged.subjectKey())
                .setAt(at).setVerdict(mapped).build();
    }

    /** A subject-gate record as the event it is for its request. */
    public static LedgerEvent.Gated gated(Admission a) {
        final Object verdict = a.getVerdict();
        final Verdict mapped;
        if (verdict instanceof Admitted) {
            mapped = new Verdict.Admitted();
        } else if (verdict instanceof DuplicateOf duplicate) {
            mapped = new Verdict.DuplicateOf(duplicate.getFirst());
        } else if (verdict instanceof DuplicateFiled filed) {
            mapped = new Verdict.DuplicateFiled(filed.getDuplicate(), filed.getSource());
        } else {
            throw new IllegalArgumentException("unknown verdict " + verdict);
        }
        return new LedgerEvent.Gated(a.getRequestId(), mapped);
    }

    public static SystemInfo system(SystemRegistration a) {
        return new SystemInfo(a.getName(), new HashSet<>(a.getNamespaces()), new HashSet<>(a.getJurisdictions()),
                a.getMode() == SystemMode.MANUAL, a.getSlaDays(), a.getReminderHours(), a.getMaxAttempts());
    }

    public static RequestState state(dev.lethe.avro.RequestState a) {
        final RequestStatus status = a.getStatus() == null ? null : RequestStatus.valueOf(a.getStatus().name());
        return new RequestState(a.getRequestId(), status, a.getSubjectKey(),
                a.getSubject() == null ? null : identifier(a.getSubject()), identifiers(a.getIdentifiers()),
                a.getObjects(), a.getNamespaces(), a.getJurisdiction(), a.getReason(), a.getSource(),
                scope(a.getScope()), a.getGraceDays(), a.getRequestedAt(), a.getDeadline(), a.getFinishedAt(),
                a.getUpdatedAt(), a.getSystems().stream().map(AvroMapping::target).toList(),
                a.getEarlyCallbacks().stream().map(AvroMapping::callback).toList(), a.getAuditSeq(),
                a.getFingerprint(), a.getAuditHead(), a.getBaseDeadline(), a.getExtensions(), a.getOverdueAudited(),
                a.getAttention().stream().map(Attention::valueOf).toList(),
                a.getDuplicateOf());
    }

    public static dev.lethe.avro.RequestState state(RequestState d) {
        return dev.lethe.avro.RequestState.newBuilder()
                .setRequestId(d.requestId())
                .setStatus(d.status() == null ? null : dev.lethe.avro.RequestStatus.valueOf(d.status().name()))
                .setSubjectKey(d.subjectKey())
                .setSubject(d.subject() == null ? null : identifier(d.subject()))
                .setIdentifiers(d.identifiers().stream().map(AvroMapping::identifier).toList())
                .setObjects(d.objects())
                .setNamespaces(d.namespaces())
                .setJurisdiction(d.jurisdiction()).setReason(d.reason()).setSource(d.source())
                .setScope(new dev.lethe.avro.Scope(d.scope().systems(), d.scope().exclude()))
                .setGraceDays(d.graceDays())
                .setRequestedAt(d.requestedAt()).setDeadline(d.deadline()).setFinishedAt(d.finishedAt())
                .setUpdatedAt(d.updatedAt())
                .setSystems(d.systems().stream().map(AvroMapping::target).toList())
                .setEarlyCallbacks(d.earlyCallbacks().stream().map(AvroMapping::callback).toList())
                .setAuditSeq(d.auditSeq())
                .setFingerprint(d.fingerprint())
                .setAuditHead(d.auditHead())
                .setBaseDeadline(d.baseDeadline())
                .setExtensions(d.extensions())
                .setOverdueAudited(d.overdueAudited())
                .setAttention(d.attention().stream().map(Attention::name).toList())
                .setDuplicateOf(d.duplicateOf())
                .build();
    }

    public static ErasureEvent event(LedgerOutput.Dispatch d) {
        return ErasureEvent.newBuilder().setEventId(d.eventId()).setRequestId(d.requestId())
                .setSubjectKey(d.subjectKey()).setSystems(d.systems()).setSubject(identifier(d.subject()))
                .setIdentifiers(d.identifiers().stream().map(AvroMapping::identifier).toList())
                .setObjects(d.objects()).setJurisdiction(d.jurisdiction()).setDeadline(d.deadline())
                .setReminder(d.reminder()).setAttempt(d.attempt()).setIssuedAt(d.issuedAt()).build();
    }

    public static AuditFact audit(LedgerOutput.Audit d) {
        return AuditFact.newBuilder().setRequestId(d.requestId()).setSeq(d.seq()).setAt(d.at()).setType(d.type())
                .setActor(d.actor()).setSystem(d.system()).setDetail(d.detail()).setSubjectKey(d.subjectKey())
                .setStatus(d.status() == null ? null : dev.lethe.avro.RequestStatus.valueOf(d.status().name()))
                .build();
    }

    public static ErasureRecord record(LedgerOutput.Finished d) {
        return ErasureRecord.newBuilder().setSubjectKey(d.subjectKey()).setRequestId(d.requestId())
                .setStatus(dev.lethe.avro.RequestStatus.valueOf(d.status().name()))
                .setJurisdiction(d.jurisdiction()).setNamespaces(d.namespaces())
                .setRequestedAt(d.requestedAt()).setFinishedAt(d.finishedAt())
                .setSystems(d.systems().stream().map(t -> new SystemOutcome(t.name(),
                        dev.lethe.avro.SystemStatus.valueOf(t.status().name()), t.itemsErased(), t.updatedAt()))
                        .toList())
                .build();
    }

    private static SystemTarget target(SystemState a) {
        return new SystemTarget(a.getName(), SystemStatus.valueOf(a.getStatus().name()), a.getAttempts(),
                a.getUpdatedAt(), a.getItemsErased(), a.getDetail(), a.getLegalBasis(), a.getDeadline(),
                a.getNextReminderAt(), a.getSent(), a.getReminderHours(), a.getMaxAttempts(), a.getManual(),
                a.getOverdueAudited(), a.getContradictions().stream().map(Outcome::valueOf).toList());
    }

    private static SystemState target(SystemTarget d) {
        return SystemState.newBuilder().setName(d.name())
                .setStatus(dev.lethe.avro.SystemStatus.valueOf(d.status().name())).setAttempts(d.attempts())
                .setUpdatedAt(d.updatedAt()).setItemsErased(d.itemsErased()).setDetail(d.detail())
                .setLegalBasis(d.legalBasis()).setDeadline(d.deadline()).setNextReminderAt(d.nextReminderAt())
                .setSent(d.sent()).setReminderHours(d.reminderHours()).setMaxAttempts(d.maxAttempts())
                .setManual(d.manual()).setOverdueAudited(d.overdueAudited())
                .setContradictions(d.contradictions().stream().map(Outcome::name).toList()).build();
    }

    public static Notification notification(LedgerOutput.Notify d) {
        return Notification.newBuilder().setRequestId(d.requestId()).setType(d.type())
                .setStatus(status(d.status())).setPreviousStatus(status(d.previousStatus()))
                .setSystem(d.system()).setJurisdiction(d.jurisdiction()).setDeadline(d.deadline())
                .setDetail(d.detail()).setAt(d.at()).setOpendsr(portal(d.portal())).build();
    }

    private static dev.lethe.avro.RequestStatus status(RequestStatus d) {
        return d == null ? null : dev.lethe.avro.RequestStatus.valueOf(d.name());
    }

    private static Identifier identifier(dev.lethe.avro.Identifier a) {
        return new Identifier(a.getNamespace(), a.getValue());
    }

    private static dev.lethe.avro.Identifier identifier(Identifier d) {
        return new dev.lethe.avro.Identifier(d.namespace(), d.value());
    }

    private static List<Identifier> identifiers(List<dev.lethe.avro.Identifier> list) {
        return list.stream().map(AvroMapping::identifier).toList();
    }

    private static Scope scope(dev.lethe.avro.Scope a) {
        return a == null ? Scope.ALL : new Scope(a.getSystems(), a.getExclude());
    }
}
