package dev.lethe.ledger.topology;

import static dev.lethe.avro.CallbackOutcome.DONE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.lethe.avro.RequestStatus;
import dev.lethe.ledger.domain.LedgerPolicy;
import dev.lethe.schemas.crypto.KeyWrapper;
import dev.lethe.schemas.crypto.LocalKeyWrapper;
import dev.lethe.schemas.crypto.Sealing;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Key-encryption key rotation (issue 12, point 6) on the topology: with the new KEK current and
 * the old one still accepted, the ledger re-wraps every stored data key (re-issuing it on
 * {@code erasure.keys}); once the old KEK is removed, no request is lost.
 */
class LedgerKeyRotationTopologyTest {

    private static final String ID = "7f6c3c1e-4b8e-4a57-9e51-0c7a6f1d2b9a";
    private static final byte[] OLD = "the-old-kek-of-at-least-thirty-two-bytes".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NEW = "the-new-kek-of-at-least-thirty-two-bytes".getBytes(StandardCharsets.UTF_8);

    /** The KEKs a ledger is configured with, changed as an operator does between restarts. */
    private static final class Configured implements KeyWrapper {
        volatile KeyWrapper now = LocalKeyWrapper.of(OLD);

        @Override
        public String currentKekId() {
            return now.currentKekId();
        }

        @Override
        public Wrapped wrap(byte[] dataKey) {
            return now.wrap(dataKey);
        }

        @Override
        public byte[] unwrap(Wrapped wrapped) {
            return now.unwrap(wrapped);
        }

        @Override
        public boolean rotating() {
            return now.rotating();
        }
    }

    @Test
    void shouldReWrapEveryDataKeyUnderTheNewKekAndLoseNoRequestOnceTheOldOneIsRemoved() {
        final Configured keks = new Configured();
        final String oldId = LocalKeyWrapper.of(OLD).currentKekId();
        final String newId = LocalKeyWrapper.of(NEW).currentKekId();
        try (LedgerDriver ledger = new LedgerDriver(LedgerPolicy.defaults(), new AppliedOffsets(), 1,
                new Privacy(new Sealing(keks), Privacy.DEFAULT_FORGET_AFTER))) {
            // Given a request in progress, its data key wrapped under the old KEK
            ledger.register("billing", "user_id", "email");
            ledger.register("crm", "email");
            ledger.file(ID);
            ledger.readKeys();
            assertEquals(oldId, ledger.domainState(ID).dataKey().kekId());
            final byte[] plain = LocalKeyWrapper.of(OLD).unwrap(new KeyWrapper.Wrapped(oldId,
                    ledger.domainState(ID).dataKey().wrapped()));

            // When the new KEK becomes current with the old one still accepted, and the re-wrap pass runs
            keks.now = new LocalKeyWrapper(NEW, List.of(OLD));
            ledger.driver.advanceWallClockTime(LedgerProcessor.REWRAP_INTERVAL);

            // Then the stored key is re-wrapped (the same data key) and re-issued on erasure.keys
            ledger.readKeys();
            assertEquals(newId, ledger.domainState(ID).dataKey().kekId());
            assertEquals(2, ledger.keyRecords.size());
            assertEquals(newId, ledger.keyRecords.get(1).value().getKekId());
            assertArrayEquals(plain, LocalKeyWrapper.of(NEW).unwrap(new KeyWrapper.Wrapped(newId,
                    ledger.domainState(ID).dataKey().wrapped())));

            // When the old KEK is removed, the request is still read, answered and finished
            keks.now = LocalKeyWrapper.of(NEW);
            assertEquals("u-1842", ledger.domainState(ID).subject().value());
            ledger.callBack(ledger.callback(ID, "billing", DONE, 1L));
            ledger.callBack(ledger.callback(ID, "crm", DONE, 1L));
            assertEquals(RequestStatus.COMPLETED, ledger.state(ID).getStatus());
            assertNotEquals(oldId, newId);
        }
    }

    @Test
    void shouldReWrapADataKeyUnderAPreviousKekWhenItsRequestChanges() {
        final Configured keks = new Configured();
        try (LedgerDriver ledger = new LedgerDriver(LedgerPolicy.defaults(), new AppliedOffsets(), 1,
                new Privacy(new Sealing(keks), Privacy.DEFAULT_FORGET_AFTER))) {
            ledger.register("billing", "user_id", "email");
            ledger.register("crm", "email");
            ledger.file(ID);

            keks.now = new LocalKeyWrapper(NEW, List.of(OLD));
            ledger.callBack(ledger.callback(ID, "billing", DONE, 1L));

            assertEquals(LocalKeyWrapper.of(NEW).currentKekId(), ledger.domainState(ID).dataKey().kekId());
        }
    }
}
