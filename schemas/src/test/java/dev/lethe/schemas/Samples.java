package dev.lethe.schemas;

import dev.lethe.avro.Approved;
import dev.lethe.avro.AuditFact;
import dev.lethe.avro.CallbackOutcome;
import dev.lethe.avro.DeadLetter;
import dev.lethe.avro.Decision;
import dev.lethe.avro.ErasureEvent;
import dev.lethe.avro.ErasureRecord;
import dev.lethe.avro.ErasureRequested;
import dev.lethe.avro.HttpSettings;
import dev.lethe.avro.Identifier;
import dev.lethe.avro.ProcessingWindow;
import dev.lethe.avro.RequestState;
import dev.lethe.avro.RequestStatus;
import dev.lethe.avro.S3Settings;
import dev.lethe.avro.Scope;
import dev.lethe.avro.SystemCallback;
import dev.lethe.avro.SystemMode;
import dev.lethe.avro.SystemOutcome;
import dev.lethe.avro.SystemRegistration;
import dev.lethe.avro.SystemState;
import dev.lethe.avro.SystemStatus;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One representative, fully populated record of every Lethe value type: every optional field
 * set, so a round trip exercises each union branch, array, map and timestamp. Timestamps are
 * whole milliseconds, the precision of Avro's {@code timestamp-millis}.
 */
public final class Samples {

    public static final String REQUEST_ID = "req-0001";
    public static final String SUBJECT_KEY = "9f".repeat(32);
    public static final Instant REQUESTED_AT = Instant.parse("2025-03-01T09:30:15.123Z");
    public static final Instant DEADLINE = Instant.parse("2025-03-31T09:30:15.123Z");
    public static final Instant LATER = Instant.parse("2025-03-02T02:15:00.007Z");

    private Samples() {
    }

    public static Identifier email() {
        return new Identifier("email", "kim@example.com");
    }

    public static ErasureRequested request() {
        return ErasureRequested.newBuilder()
                .setRequestId(REQUEST_ID)
                .setSubject(new Identifier("user_id", "u-42"))
                .setIdentifiers(List.of(email(), new Identifier("phone", "+82-10-1234-5678")))
                .setJurisdiction("KR")
                .setReason("회원 탈퇴")
                .setSource("withdrawal-service")
                .setScope(new Scope(List.of("crm", "photos"), List.of("billing")))
                .setObjects(List.of("s3://photos/u-42/avatar.png"))
                .setGraceDays(7)
                .setRequestedAt(REQUESTED_AT)
                .setSubmittedBy("submitter")
                .build();
    }

    public static Decision decision() {
        return Decision.newBuilder()
                .setEventId("dec-1")
                .setRequestId(REQUEST_ID)
                .setAt(LATER)
                .setActor("approver")
                .setAction(new Approved("identity verified"))
                .build();
    }

    public static SystemCallback callback() {
        return SystemCallback.newBuilder()
                .setEventId("cb-1")
                .setRequestId(REQUEST_ID)
                .setSystem("photos")
                .setAt(LATER)
                .setActor("partner:photos")
                .setOutcome(CallbackOutcome.RETAINED)
                .setItemsErased(118L)
                .setDetail("invoices kept")
                .setLegalBasis("tax law, 5 years")
                .build();
    }

    public static SystemRegistration system() {
        return SystemRegistration.newBuilder()
                .setName("photos")
                .setOwner("media-team")
                .setContact("media@example.com")
                .setMode(SystemMode.S3)
                .setNamespaces(List.of("user_id", "email"))
                .setJurisdictions(List.of("KR", "EU"))
                .setTags(List.of("media"))
                .setSlaDays(14)
                .setReminderHours(12)
                .setHttp(new HttpSettings("https://photos.internal/erase", 2000, 5))
                .setS3(new S3Settings(List.of("photos"), List.of("users/{user_id}/"),
                        Map.of("cdn.example.com", "photos"), 250, false,
                        new ProcessingWindow("02:00", "06:00", "Asia/Seoul")))
                .build();
    }

    public static ErasureEvent event() {
        return ErasureEvent.newBuilder()
                .setEventId("evt-1")
                .setRequestId(REQUEST_ID)
                .setSubjectKey(SUBJECT_KEY)
                .setSystems(List.of("crm", "photos"))
                .setSubject(new Identifier("user_id", "u-42"))
                .setIdentifiers(List.of(email()))
                .setObjects(List.of("https://cdn.example.com/u-42/avatar.png"))
                .setJurisdiction("KR")
                .setDeadline(DEADLINE)
                .setReminder(true)
                .setAttempt(3)
                .setIssuedAt(LATER)
                .build();
    }

    public static AuditFact audit() {
        return AuditFact.newBuilder()
                .setRequestId(REQUEST_ID)
                .setSeq(4)
                .setAt(LATER)
                .setType("SYSTEM_RETAINED")
                .setActor("partner:photos")
                .setSystem("photos")
                .setDetail("invoices kept")
                .setSubjectKey(SUBJECT_KEY)
                .setStatus(RequestStatus.IN_PROGRESS)
                .build();
    }

    public static ErasureRecord record() {
        return ErasureRecord.newBuilder()
                .setSubjectKey(SUBJECT_KEY)
                .setRequestId(REQUEST_ID)
                .setStatus(RequestStatus.COMPLETED_WITH_EXCEPTIONS)
                .setJurisdiction("KR")
                .setNamespaces(List.of("user_id", "email"))
                .setRequestedAt(REQUESTED_AT)
                .setFinishedAt(LATER)
                .setSystems(List.of(new SystemOutcome("photos", SystemStatus.RETAINED, 118L, LATER),
                        new SystemOutcome("crm", SystemStatus.NOT_FOUND, null, LATER)))
                .build();
    }

    public static RequestState state() {
        return RequestState.newBuilder()
                .setRequestId(REQUEST_ID)
                .setStatus(RequestStatus.IN_PROGRESS)
                .setSubjectKey(SUBJECT_KEY)
                .setSubject(new Identifier("user_id", "u-42"))
                .setIdentifiers(List.of(email()))
                .setObjects(List.of("s3://photos/u-42/avatar.png"))
                .setNamespaces(List.of("user_id", "email"))
                .setJurisdiction("KR")
                .setReason("회원 탈퇴")
                .setSource("withdrawal-service")
                .setScope(new Scope(List.of(), List.of("billing")))
                .setGraceDays(7)
                .setRequestedAt(REQUESTED_AT)
                .setDeadline(DEADLINE)
                .setFinishedAt(null)
                .setUpdatedAt(LATER)
                .setSystems(List.of(SystemState.newBuilder().setName("photos").setStatus(SystemStatus.RETAINED)
                        .setAttempts(2).setUpdatedAt(LATER).setItemsErased(118L).setDetail("invoices kept")
                        .setLegalBasis("tax law, 5 years").build()))
                .setEarlyCallbacks(List.of(callback()))
                .setAuditSeq(4)
                .build();
    }

    public static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setSourceTopic(Topics.CALLBACKS)
                .setPartition(3)
                .setOffset(1_234_567_890_123L)
                .setReason("not in the Confluent Avro wire format")
                .setKey(ByteBuffer.wrap(REQUEST_ID.getBytes(StandardCharsets.UTF_8)))
                .setValue(ByteBuffer.wrap(new byte[] {1, 2, 3, (byte) 0xff}))
                .setAt(LATER)
                .build();
    }
}
