package dev.lethe.ledger.topology;

import static dev.lethe.avro.CallbackOutcome.DONE;
import static dev.lethe.avro.CallbackOutcome.PROGRESS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.avro.AuditFact;
import dev.lethe.avro.DeadlineExtended;
import dev.lethe.avro.ErasureEvent;
import dev.lethe.avro.ErasureRequested;
import dev.lethe.avro.Notification;
import dev.lethe.avro.RequestState;
import dev.lethe.avro.RequestStatus;
import dev.lethe.avro.RetryFailed;
import dev.lethe.avro.SystemMode;
import dev.lethe.avro.SystemState;
import dev.lethe.avro.SystemStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The time-driven ledger through the real topology: the wall-clock punctuator over the due index
 * drives grace periods, reminders, escalation, overdue and extended deadlines; notifications go
 * to their topic; the registry changes under open requests.
 */
class LedgerChaseTopologyTest {

    private static final String ID = "0b7e4d2a-1c3f-4e5a-9b8c-7d6e5f4a3b2c";
    private static final Instant GDPR_DEADLINE = Instant.parse("2026-04-01T09:00:00Z");

    private static List<String> auditTypes(LedgerDriver ledger) {
        return ledger.audit.readValuesToList().stream().map(AuditFact::getType).toList();
    }

    private static double metric(LedgerDriver ledger, String name) {
        return ledger.driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name) && e.getKey().group().equals("stream-lethe-metrics"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    }

    private static SystemState system(LedgerDriver ledger, String name) {
        return ledger.state(ID).getSystems().stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void shouldRemindThenEscalateASilentSystemAndRetryIt() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            // Given billing, reminded after 24 hours and FAILED after 2 erasure events
            ledger.register(LedgerDriver.registration("billing", "user_id").setReminderHours(24).setMaxAttempts(2)
                    .build());
            ledger.file(ID);
            assertEquals(1, ledger.events.readValuesToList().size());

            // When 24 hours pass without an answer, the event goes out again as a reminder
            ledger.driver.advanceWallClockTime(Duration.ofHours(24).plusSeconds(5));
            final List<ErasureEvent> reminders = ledger.events.readValuesToList();
            assertEquals(1, reminders.size());
            assertTrue(reminders.get(0).getReminder());
            assertEquals(2, reminders.get(0).getAttempt());
            assertEquals(ID, reminders.get(0).getRequestId());
            assertEquals("u-1842", reminders.get(0).getSubject().getValue());

            // When 24 more hours pass, billing has had its 2 attempts: FAILED, the request escalates
            ledger.driver.advanceWallClockTime(Duration.ofHours(24));
            assertTrue(ledger.events.isEmpty());
            assertEquals(SystemStatus.FAILED, system(ledger, "billing").getStatus());
            assertEquals("no answer after 2 attempts", system(ledger, "billing").getDetail());
            assertEquals(RequestStatus.IN_PROGRESS, ledger.state(ID).getStatus());
            assertTrue(auditTypes(ledger).containsAll(List.of("REMINDED", "ESCALATED")));
            final List<Notification> notes = ledger.notifications.readValuesToList();
            assertEquals(List.of("STATUS_CHANGED", "ESCALATED"), notes.stream().map(Notification::getType).toList());
            assertEquals("billing", notes.get(1).getSystem());
            assertEquals(1.0, metric(ledger, "escalated-total"));

            // When an approver retries every failed system, billing gets a fresh event and can finish
            ledger.decide(ID, new RetryFailed("billing fixed its consumer"));
            final ErasureEvent retry = ledger.events.readValue();
            assertFalse(retry.getReminder());
            assertEquals(3, retry.getAttempt());
            ledger.callBack(ledger.callback(ID, "billing", DONE, 4L));
            assertEquals(RequestStatus.COMPLETED, ledger.state(ID).getStatus());
            assertTrue(ledger.dlq.isEmpty());
        }
    }

    @Test
    void shouldRemindThenEscalateASystemThatWentSilentAfterProgress() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            // Given billing, reminded after 24 hours without news and FAILED after 2 events without news
            ledger.register(LedgerDriver.registration("billing", "user_id").setReminderHours(24).setMaxAttempts(2)
                    .build());
            ledger.file(ID);
            ledger.events.readValuesToList();

            // When it reports progress after 12 hours and then goes silent
            ledger.driver.advanceWallClockTime(Duration.ofHours(12));
            ledger.callBack(ledger.callback(ID, "billing", PROGRESS, 40L));
            assertEquals(SystemStatus.IN_PROGRESS, system(ledger, "billing").getStatus());

            // Then it is reminded 24 hours after its news (not after dispatch), still IN_PROGRESS
            ledger.driver.advanceWallClockTime(Duration.ofHours(12).plusSeconds(5));
            assertTrue(ledger.events.isEmpty());
            ledger.driver.advanceWallClockTime(Duration.ofHours(12));
            final ErasureEvent reminder = ledger.events.readValue();
            assertTrue(reminder.getReminder());
            assertEquals(SystemStatus.IN_PROGRESS, system(ledger, "billing").getStatus());
            assertEquals(40L, system(ledger, "billing").getItemsErased());

            // And after its second reminder without news it is FAILED and the request escalates
            ledger.driver.advanceWallClockTime(Duration.ofHours(24));
            assertTrue(ledger.events.readValue().getReminder());
            ledger.driver.advanceWallClockTime(Duration.ofHours(24));
            assertTrue(ledger.events.isEmpty());
            assertEquals(SystemStatus.FAILED, system(ledger, "billing").getStatus());
            assertTrue(auditTypes(ledger).contains("ESCALATED"));
            assertEquals(1.0, metric(ledger, "escalated-total"));
        }
    }

    @Test
    void shouldAuditAndNotifyASystemOnceWhenItsOwnDeadlinePasses() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            // Given billing must answer within 2 days, is never reminded, and the request has a month
            ledger.register(LedgerDriver.registration("billing", "user_id").setReminderHours(0).setSlaDays(2)
                    .build());
            ledger.file(ID);
            ledger.audit.readValuesToList();
            ledger.notifications.readValuesToList();

            // When the wall clock passes billing's own deadline
            ledger.driver.advanceWallClockTime(Duration.ofDays(2).plusSeconds(10));

            // Then it is audited and notified, and counted
            final List<AuditFact> facts = ledger.audit.readValuesToList();
            assertEquals(List.of("SYSTEM_OVERDUE"), facts.stream().map(AuditFact::getType).toList());
            assertEquals("billing", facts.get(0).getSystem());
            final Notification note = ledger.notifications.readValue();
            assertEquals("SYSTEM_OVERDUE", note.getType());
            assertEquals("billing", note.getSystem());
            assertTrue(system(ledger, "billing").getOverdueAudited());
            assertEquals(1.0, metric(ledger, "system_overdue-total"));
            assertEquals(0.0, metric(ledger, "overdue-total"), "the request's own deadline is a month away");

            // and only once
            ledger.driver.advanceWallClockTime(Duration.ofDays(3));
            assertTrue(ledger.audit.isEmpty());
        }
    }

    @Test
    void shouldAuditOverdueOnceAtTheDeadlineAndAgainOnlyAfterAnExtensionRunsOut() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            ledger.register(LedgerDriver.registration("billing", "user_id").setReminderHours(0).setSlaDays(120)
                    .build());
            ledger.file(ID);
            assertEquals(GDPR_DEADLINE, ledger.state(ID).getDeadline());

            // When the deadline passes unfinished
            ledger.driver.advanceWallClockTime(Duration.ofDays(31).plusMinutes(1));
            assertEquals(List.of("RECEIVED", "APPROVED", "DISPATCHED", "OVERDUE"), auditTypes(ledger));
            final List<Notification> notes = ledger.notifications.readValuesToList();
            assertEquals("OVERDUE", notes.get(notes.size() - 1).getType());
            ledger.driver.advanceWallClockTime(Duration.ofDays(1));
            assertTrue(ledger.audit.isEmpty(), "overdue is audited once");
            assertEquals(1.0, metric(ledger, "overdue-total"));

            // When the deadline is extended by the GDPR standard (two months), with a reason
            ledger.decide(ID, new DeadlineExtended("complex request", null));
            assertEquals(Instant.parse("2026-06-01T09:00:00Z"), ledger.state(ID).getDeadline());
            assertEquals(List.of("DEADLINE_EXTENDED"), auditTypes(ledger));

            // Then it is overdue again only once the new deadline passes
            ledger.driver.advanceWallClockTime(Duration.ofDays(30));
            assertTrue(ledger.audit.isEmpty());
            ledger.driver.advanceWallClockTime(Duration.ofDays(32));
            assertEquals(List.of("OVERDUE"), auditTypes(ledger));

            // And a further extension past two months in total is refused to the DLQ
            ledger.decide(ID, new DeadlineExtended("more", 1));
            assertTrue(ledger.dlq.readValue().getReason().contains("P2M"));
            assertEquals(Instant.parse("2026-06-01T09:00:00Z"), ledger.state(ID).getDeadline());
        }
    }

    @Test
    void shouldDispatchAfterTheGracePeriodAndThenStartChasing() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            ledger.register(LedgerDriver.registration("billing", "user_id").setReminderHours(6).build());
            ledger.requests.pipeInput(ID, ErasureRequested.newBuilder(LedgerDriver.request(ID)).setGraceDays(1).build());
            assertEquals(RequestStatus.SCHEDULED, ledger.state(ID).getStatus());

            ledger.driver.advanceWallClockTime(Duration.ofDays(1).plusSeconds(5));
            assertFalse(ledger.events.readValue().getReminder());
            assertEquals(RequestStatus.IN_PROGRESS, ledger.state(ID).getStatus());

            ledger.driver.advanceWallClockTime(Duration.ofHours(6));
            assertTrue(ledger.events.readValue().getReminder());
        }
    }

    @Test
    void shouldKeepChasingARetiredSystemAndNotRouteToASystemAddedLater() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            ledger.register(LedgerDriver.registration("billing", "user_id").setReminderHours(12).setSlaDays(7)
                    .build());
            ledger.file(ID);
            ledger.events.readValuesToList();
            assertEquals(LedgerDriver.START.plus(Duration.ofDays(7)), Instant.ofEpochMilli(
                    system(ledger, "billing").getDeadline().toEpochMilli()));

            // When billing is retired and crm registered while the request is open
            ledger.systems.pipeInput("billing", null);
            ledger.register("crm", "user_id");

            // Then billing is still reminded, by the settings frozen at dispatch, and crm is never asked
            ledger.driver.advanceWallClockTime(Duration.ofHours(12).plusSeconds(5));
            final ErasureEvent reminder = ledger.events.readValue();
            assertEquals(List.of("billing"), reminder.getSystems());
            assertEquals(List.of("billing"), ledger.state(ID).getSystems().stream().map(SystemState::getName).toList());

            // And a new request (for another subject) routes by the registry as it is now
            ledger.file("3c9d1e7f-2a4b-4c6d-8e0f-1a2b3c4d5e6f", "u-2");
            assertEquals(List.of("crm"), ledger.events.readValue().getSystems());
        }
    }

    @Test
    void shouldNotUseARegistrationThatFailsTheBasicChecks() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            ledger.register(LedgerDriver.registration("media", "user_id").setMode(SystemMode.S3).build());
            ledger.register(LedgerDriver.registration("partner-api", "user_id").setMode(SystemMode.HTTP).build());
            ledger.register(LedgerDriver.registration("nothing").build());
            ledger.register("billing", "user_id");

            ledger.file(ID);

            assertEquals(List.of("billing"), ledger.events.readValue().getSystems());
        }
    }

    @Test
    void shouldRefuseAManualSystemsDoneWithoutEvidence() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            ledger.register(LedgerDriver.registration("archive", "user_id").setMode(SystemMode.MANUAL).build());
            ledger.file(ID);
            assertTrue(system(ledger, "archive").getManual());

            final var bare = ledger.callback(ID, "archive", DONE, null);
            bare.setDetail(null);
            ledger.callBack(bare);
            assertTrue(ledger.dlq.readValue().getReason().contains("evidence"));
            assertEquals(SystemStatus.DISPATCHED, system(ledger, "archive").getStatus());

            ledger.callBack(ledger.callback(ID, "archive", DONE, null));
            assertEquals(RequestStatus.COMPLETED, ledger.state(ID).getStatus());
            assertEquals("rows deleted", system(ledger, "archive").getDetail());
        }
    }

    @Test
    void shouldCarryTheFingerprintIntoTheStateAndKeepItAfterTheEnd() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            ledger.register("billing", "user_id");
            ledger.requests.pipeInput(ID, ErasureRequested.newBuilder(LedgerDriver.request(ID))
                    .setFingerprint("5e1f0c").build());
            ledger.callBack(ledger.callback(ID, "billing", DONE, 1L));

            final RequestState state = ledger.state(ID);
            assertEquals(RequestStatus.COMPLETED, state.getStatus());
            assertEquals("5e1f0c", state.getFingerprint());
            assertNull(state.getSubject());
        }
    }

    @Test
    void shouldWakeAtMostABoundedNumberOfRequestsPerPunctuation() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            // Given more requests whose grace period ends at the same time than one punctuation may wake
            ledger.register(LedgerDriver.registration("billing", "user_id").setReminderHours(0).build());
            final int count = LedgerProcessor.MAX_WAKES + 20;
            for (int i = 0; i < count; i++) {
                final String id = String.format("00000000-0000-4000-8000-%012d", i);
                ledger.requests.pipeInput(id, ErasureRequested.newBuilder(LedgerDriver.request(id, "u-" + i))
                        .setGraceDays(1).build());
            }

            // When the grace period ends, one punctuation dispatches only the first MAX_WAKES
            ledger.driver.advanceWallClockTime(Duration.ofDays(1).plusSeconds(5));
            assertEquals(LedgerProcessor.MAX_WAKES, ledger.events.getQueueSize());

            // and the next punctuation the rest
            ledger.driver.advanceWallClockTime(LedgerProcessor.DUE_SCAN_INTERVAL);
            assertEquals(count, ledger.events.getQueueSize());
        }
    }
}
