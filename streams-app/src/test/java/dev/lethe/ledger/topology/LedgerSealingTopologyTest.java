package dev.lethe.ledger.topology;

import static dev.lethe.avro.CallbackOutcome.DONE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.avro.DataKey;
import dev.lethe.avro.ErasureEvent;
import dev.lethe.avro.RequestStatus;
import dev.lethe.ledger.domain.LedgerPolicy;
import dev.lethe.schemas.crypto.SealException;
import dev.lethe.schemas.crypto.Sealing;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 on the topology: the ledger seals identifiers everywhere it writes them (events, its
 * store's changelog), issues each request's data key on {@code erasure.keys} and destroys it
 * {@code LETHE_FORGET_AFTER} after the request finished, through the due index.
 */
class LedgerSealingTopologyTest {

    private static final String ID = "7f6c3c1e-4b8e-4a57-9e51-0c7a6f1d2b9a";
    private static final List<String> RAW = List.of("u-1842", "kim@example.com", "media-prod/u-1842/avatar.png");

    @Test
    void shouldWriteNoRawIdentifierToAnyTopicItProducesEvenFromAPlaintextRequest() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            ledger.register("billing", "user_id", "email");
            ledger.file(ID); // plaintext, as a third-party producer writes it
            final ErasureEvent opened = ledger.events.readValue();
            ledger.callBack(ledger.callback(ID, "billing", DONE, 1L));

            // the event opens to the identifiers (as a partner or executor sees it) ...
            assertEquals("u-1842", opened.getSubject().getValue());
            assertEquals(List.of("s3://media-prod/u-1842/avatar.png"), opened.getObjects());
            // ... but its bytes on erasure.events are sealed
            assertEquals(1, ledger.eventBytes.size());
            assertNoRaw(ledger.eventBytes.get(0), "erasure.events");
            final ErasureEvent sealed = ledger.serdes.event().deserializer().deserialize("erasure.events",
                    ledger.eventBytes.get(0));
            assertNotNull(sealed.getSealed());
            assertEquals("", sealed.getSubject().getValue());
            assertTrue(sealed.getObjects().isEmpty());
            // and no topic it produced (the ledger store's changelog included) holds a raw value
            for (String topic : ledger.driver.producedTopicNames()) {
                if (topic.equals("erasure.events")) {
                    continue; // read above
                }
                final var out = ledger.driver.createOutputTopic(topic, Serdes.ByteArray().deserializer(),
                        Serdes.ByteArray().deserializer());
                for (TestRecord<byte[], byte[]> record : out.readRecordsToList()) {
                    assertNoRaw(record.key(), topic);
                    assertNoRaw(record.value(), topic);
                }
            }
        }
    }

    @Test
    void shouldOpenARequestTheGatewaySealedAtIntake() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            ledger.register("billing", "user_id", "email");
            ledger.requests.pipeInput(ID, LedgerDriver.SEALING.sealRequest(LedgerDriver.request(ID)));

            assertEquals(RequestStatus.IN_PROGRESS, ledger.state(ID).getStatus());
            assertEquals(ledger.subjectKey(), ledger.state(ID).getSubjectKey());
            assertEquals("kim@example.com", ledger.events.readValue().getIdentifiers().get(0).getValue());
            assertTrue(ledger.dlq.isEmpty());
        }
    }

    @Test
    void shouldRefuseASealedRequestThatDoesNotOpenToTheDeadLetterTopic() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            final Sealing stranger = new Sealing(dev.lethe.schemas.crypto.LocalKeyWrapper.of(
                    "another-kek-of-at-least-thirty-two-bytes!".getBytes(StandardCharsets.UTF_8)));
            ledger.requests.pipeInput(ID, stranger.sealRequest(LedgerDriver.request(ID)));

            assertNull(ledger.state(ID));
            assertTrue(ledger.dlq.readValue().getReason().contains("sealed identifiers do not open"));
        }
    }

    @Test
    void shouldSealTheStoredStateUnderTheDataKeyItIssues() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            ledger.register("billing", "user_id", "email");
            ledger.file(ID);
            ledger.readKeys();

            assertEquals(1, ledger.keyRecords.size());
            final DataKey issued = ledger.keyRecords.get(0).value();
            assertEquals(ID, ledger.keyRecords.get(0).key());
            final var state = ledger.domainState(ID);
            assertArrayEquals(Sealing.bytes(issued.getWrapped()), state.dataKey().wrapped());
            assertEquals("u-1842", state.subject().value());
        }
    }

    @Test
    void shouldDestroyTheDataKeyForgetAfterTheRequestFinishedAndKeepTheAuditTrail() {
        final Duration forgetAfter = Duration.ofHours(1);
        try (LedgerDriver ledger = new LedgerDriver(LedgerPolicy.defaults(), new AppliedOffsets(), 1, forgetAfter)) {
            ledger.register("billing", "user_id", "email");
            ledger.requests.pipeInput(ID, dev.lethe.avro.ErasureRequested.newBuilder(LedgerDriver.request(ID))
                    .setFingerprint("5e3a4f0c9b1d2e7a8c6f4b2d0e9a7c5b3f1d8e6a4c2b0f9e7d5c3a1b8f6e4d2c").build());
            ledger.events.readValue();
            final byte[] sealedEvent = ledger.eventBytes.get(0);
            ledger.callBack(ledger.callback(ID, "billing", DONE, 1L));
            final int factsBefore = ledger.audit.readValuesToList().size();
            ledger.readKeys();
            assertNotNull(ledger.domainState(ID).dataKey());
            assertNotNull(ledger.domainState(ID).fingerprint());

            // not yet: just under the forget time
            ledger.driver.advanceWallClockTime(forgetAfter.minusMinutes(1));
            ledger.readKeys();
            assertEquals(1, ledger.keyRecords.size());

            // when LETHE_FORGET_AFTER has passed, the due index wakes it and the key is tombstoned
            ledger.driver.advanceWallClockTime(Duration.ofMinutes(1).plus(LedgerProcessor.DUE_SCAN_INTERVAL));
            ledger.readKeys();
            assertEquals(2, ledger.keyRecords.size());
            assertEquals(ID, ledger.keyRecords.get(1).key());
            assertNull(ledger.keyRecords.get(1).value());
            final var state = ledger.domainState(ID);
            assertNull(state.dataKey());
            // nor an unkeyed hash of the identifiers (the intake fingerprint): candidates could be tried against it
            assertNull(state.fingerprint(), "the fingerprint outlives the data key");
            assertEquals(dev.lethe.ledger.domain.RequestStatus.COMPLETED, state.status());
            // the audit trail is untouched (no fact added, the chain's head unchanged)
            assertTrue(ledger.audit.isEmpty(), "no audit fact for the destruction");
            assertTrue(factsBefore > 0);
            // and the sealed event no longer opens with anything the ledger keeps
            final ErasureEvent sealed = ledger.serdes.event().deserializer().deserialize("erasure.events", sealedEvent);
            final byte[] anotherKey = LedgerDriver.SEALING.newDataKey().plain();
            assertThrows(SealException.class, () -> Sealing.openEvent(sealed, anotherKey));
        }
    }

    @Test
    void shouldReplayAFinishedRequestWhoseDataKeyIsDestroyedWithItsSubjectKeyOnly() {
        final Duration forgetAfter = Duration.ofHours(1);
        try (LedgerDriver ledger = new LedgerDriver(LedgerPolicy.defaults(), new AppliedOffsets(), 1, forgetAfter)) {
            ledger.register("billing", "user_id", "email");
            ledger.file(ID);
            ledger.events.readValuesToList();
            ledger.callBack(ledger.callback(ID, "billing", DONE, 1L));
            ledger.driver.advanceWallClockTime(forgetAfter.plus(LedgerProcessor.DUE_SCAN_INTERVAL));
            assertNull(ledger.domainState(ID).dataKey());

            // a restored backup of billing, long after the key is gone (lethe replay)
            ledger.decide(ID, new dev.lethe.avro.Replayed("billing", "restored from the backup of 1 May"));

            final List<ErasureEvent> events = ledger.events.readValuesToList();
            assertEquals(1, events.size(), "the replayed obligation is sent");
            final ErasureEvent replayed = events.get(0);
            assertEquals("subject_key", replayed.getSubject().getNamespace());
            assertEquals(ledger.domainState(ID).subjectKey(), replayed.getSubject().getValue());
            assertTrue(replayed.getIdentifiers().isEmpty());
            assertNull(replayed.getSealed(), "nothing raw to seal, and no key to seal it with");
            assertEquals(dev.lethe.ledger.domain.RequestStatus.COMPLETED, ledger.domainState(ID).status());
        }
    }

    @Test
    void shouldKeepTheDataKeyOfAnOpenRequestWhateverTheTime() {
        try (LedgerDriver ledger = new LedgerDriver(LedgerPolicy.defaults(), new AppliedOffsets(), 1,
                Duration.ofMinutes(1))) {
            ledger.register("billing", "user_id", "email");
            ledger.file(ID);
            ledger.driver.advanceWallClockTime(Duration.ofHours(2));
            ledger.readKeys();

            assertEquals(1, ledger.keyRecords.size());
            assertNotNull(ledger.domainState(ID).dataKey());
            assertEquals("u-1842", ledger.domainState(ID).subject().value());
        }
    }

    private static void assertNoRaw(byte[] bytes, String topic) {
        if (bytes == null) {
            return;
        }
        final String text = new String(bytes, StandardCharsets.UTF_8);
        for (String raw : RAW) {
            assertFalse(text.contains(raw), () -> topic + " holds the raw value " + raw);
        }
    }
}
