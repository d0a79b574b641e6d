package dev.lethe.ledger.topology;

import static dev.lethe.avro.CallbackOutcome.DONE;
import static dev.lethe.avro.CallbackOutcome.RETAINED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.avro.AuditFact;
import dev.lethe.avro.SystemCallback;
import dev.lethe.avro.SystemStatus;
import dev.lethe.schemas.Topics;
import dev.lethe.schemas.crypto.Aead;
import dev.lethe.schemas.crypto.Sealing;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, a partner's callback text: the gateway seals it under the request's data key; the
 * ledger opens it with the key its state holds and applies it as before (redacted in the state
 * and the audit trail), and nothing on {@code erasure.callbacks} or any topic it writes holds the
 * raw value.
 */
class LedgerSealedCallbackTopologyTest {

    private static final String ID = "7f6c3c1e-4b8e-4a57-9e51-0c7a6f1d2b9a";
    private static final String EMAIL = "kim@example.com";

    private static SystemCallback quoting(LedgerDriver ledger, dev.lethe.avro.CallbackOutcome outcome) {
        return SystemCallback.newBuilder(ledger.callback(ID, "billing", outcome, 2L))
                .setDetail("deleted the rows of " + EMAIL)
                .setLegalBasis(outcome == RETAINED ? "invoices of " + EMAIL + " kept 10 years" : null).build();
    }

    @Test
    void shouldApplyASealedCallbackWithItsDetailRedactedAsBefore() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            ledger.register("billing", "user_id", "email");
            ledger.file(ID);
            ledger.readKeys();
            final SystemCallback sealed = Sealing.sealCallback(quoting(ledger, DONE), ledger.openKey(ID));
            final byte[] onTheTopic = ledger.serdes.callback().serializer().serialize(Topics.CALLBACKS, sealed);
            ledger.audit.readValuesToList();

            ledger.callBack(sealed);

            assertNoRaw(onTheTopic, Topics.CALLBACKS);
            assertNull(sealed.getDetail());
            final var billing = ledger.state(ID).getSystems().get(0);
            assertEquals(SystemStatus.DONE, billing.getStatus());
            assertEquals("deleted the rows of [redacted]", billing.getDetail());
            final List<AuditFact> facts = ledger.audit.readValuesToList();
            final AuditFact answered = facts.stream().filter(f -> "SYSTEM_DONE".equals(f.getType())).findFirst()
                    .orElseThrow(() -> new AssertionError("no SYSTEM_DONE fact in " + facts));
            assertTrue(answered.getDetail().contains("deleted the rows of [redacted]"), answered::getDetail);
            assertTrue(ledger.dlq.isEmpty());
            assertProducedNoRaw(ledger);
        }
    }

    @Test
    void shouldOpenASealedLegalBasisToo() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            ledger.register("billing", "user_id", "email");
            ledger.file(ID);
            ledger.readKeys();

            ledger.callBack(Sealing.sealCallback(quoting(ledger, RETAINED), ledger.openKey(ID)));

            final var billing = ledger.state(ID).getSystems().get(0);
            assertEquals(SystemStatus.RETAINED, billing.getStatus());
            assertEquals("invoices of [redacted] kept 10 years", billing.getLegalBasis());
            assertProducedNoRaw(ledger);
        }
    }

    @Test
    void shouldRefuseASealedCallbackThatDoesNotOpenWithTheRequestsKeyToTheDeadLetterTopic() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            ledger.register("billing", "user_id", "email");
            ledger.file(ID);

            ledger.callBack(Sealing.sealCallback(quoting(ledger, DONE), Aead.newKey()));

            assertEquals(SystemStatus.DISPATCHED, ledger.state(ID).getSystems().get(0).getStatus());
            assertTrue(ledger.dlq.readValue().getReason().contains("callback text does not open"));
        }
    }

    @Test
    void shouldKeepAnEarlySealedCallbackWithoutItsRawTextAndApplyItRedactedAtDispatch() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            ledger.register("billing", "user_id", "email");
            ledger.requests.pipeInput(ID, dev.lethe.avro.ErasureRequested.newBuilder(LedgerDriver.request(ID))
                    .setGraceDays(1).build());
            ledger.readKeys();
            assertEquals(dev.lethe.avro.RequestStatus.SCHEDULED, ledger.state(ID).getStatus());

            ledger.callBack(Sealing.sealCallback(quoting(ledger, DONE), ledger.openKey(ID)));

            assertEquals(1, ledger.domainState(ID).earlyCallbacks().size());
            assertProducedNoRaw(ledger);
            ledger.driver.advanceWallClockTime(java.time.Duration.ofDays(1).plus(LedgerProcessor.DUE_SCAN_INTERVAL));
            final var billing = ledger.state(ID).getSystems().get(0);
            assertEquals(SystemStatus.DONE, billing.getStatus());
            assertEquals("deleted the rows of [redacted]", billing.getDetail());
            assertProducedNoRaw(ledger);
        }
    }

    @Test
    void shouldStillApplyACallbackWrittenInTheClear() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            ledger.register("billing", "user_id", "email");
            ledger.file(ID);

            ledger.callBack(quoting(ledger, DONE));

            final var billing = ledger.state(ID).getSystems().get(0);
            assertEquals(SystemStatus.DONE, billing.getStatus());
            assertEquals("deleted the rows of [redacted]", billing.getDetail());
            assertNotNull(ledger.domainState(ID).dataKey());
        }
    }

    private static void assertProducedNoRaw(LedgerDriver ledger) {
        for (String topic : ledger.driver.producedTopicNames()) {
            if (topic.equals(Topics.EVENTS) || topic.equals(Topics.AUDIT) || topic.equals(Topics.DLQ)) {
                continue; // events are sealed and read by the driver; audit read above
            }
            final var out = ledger.driver.createOutputTopic(topic, Serdes.ByteArray().deserializer(),
                    Serdes.ByteArray().deserializer());
            for (TestRecord<byte[], byte[]> record : out.readRecordsToList()) {
                assertNoRaw(record.key(), topic);
                assertNoRaw(record.value(), topic);
            }
        }
    }

    private static void assertNoRaw(byte[] bytes, String topic) {
        if (bytes != null) {
            assertFalse(new String(bytes, StandardCharsets.UTF_8).contains(EMAIL), () -> topic + " holds the raw value");
        }
    }
}
