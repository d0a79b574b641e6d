package dev.lethe.ledger.topology;

import static dev.lethe.avro.CallbackOutcome.DONE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lethe.avro.AuditFact;
import dev.lethe.avro.RequestStatus;
import dev.lethe.ledger.domain.RequestState;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;
import org.junit.jupiter.api.Test;

/**
 * The ledger and audit stores as the previous version left them (one Avro {@code RequestState}
 * per request, one Avro {@code AuditFact} per fact), which is also what a restore from a
 * changelog that version wrote puts into them: the new code reads them, finishes the request,
 * and keeps the audit hash chain whole across the two formats.
 */
class LedgerStoreMigrationTest {

    private static final String ID = "7f6c3c1e-4b8e-4a57-9e51-0c7a6f1d2b9a";
    private static final List<String> SYSTEMS = List.of("analytics", "billing", "crm");
    private static final String LEDGER_CHANGELOG = "ledger-test-" + LedgerNames.LEDGER_STORE + "-changelog";
    private static final String AUDIT_CHANGELOG = "ledger-test-" + LedgerNames.AUDIT_STORE + "-changelog";

    @Test
    void shouldFinishARequestWhoseStateAndTrailWereStoredInTheOldAvroFormat() {
        try (LedgerDriver before = new LedgerDriver(); LedgerDriver after = new LedgerDriver()) {
            SYSTEMS.forEach(system -> before.register(system, "user_id"));
            SYSTEMS.forEach(system -> after.register(system, "user_id"));
            before.file(ID);
            before.callBack(before.callback(ID, "analytics", DONE, 1L));
            final RequestState midway = before.domainState(ID);
            final List<AuditFact> oldTrail = before.audit.readValuesToList();
            // what the previous version stored, and what a restore from its changelogs writes, byte for byte
            bytes(after, LedgerNames.LEDGER_STORE).put(
                    Bytes.wrap(after.serdes.storeKey().serialize(LEDGER_CHANGELOG, ID)),
                    after.serdes.state().serialize(LEDGER_CHANGELOG, AvroMapping.state(midway)));
            for (AuditFact fact : oldTrail) {
                bytes(after, LedgerNames.AUDIT_STORE).put(
                        Bytes.wrap(Serdes.String().serializer().serialize(AUDIT_CHANGELOG,
                                AuditKeys.of(ID, fact.getSeq()))),
                        after.serdes.audit().serialize(AUDIT_CHANGELOG, fact));
            }

            after.callBack(before.callback(ID, "billing", DONE, 2L));
            after.callBack(before.callback(ID, "crm", DONE, 3L));

            assertEquals(RequestStatus.COMPLETED, after.state(ID).getStatus());
            final byte[] stored = bytes(after, LedgerNames.LEDGER_STORE)
                    .get(Bytes.wrap(after.serdes.storeKey().serialize(LEDGER_CHANGELOG, ID)));
            assertEquals(StateSerde.TAG, stored[0], "the changed state is stored in the new format");
            final List<AuditFact> trail = storedTrail(after);
            assertNull(AuditChain.verify(trail));
            assertEquals(oldTrail, trail.subList(0, oldTrail.size()));
            assertEquals(after.audit.readValuesToList(), trail.subList(oldTrail.size(), trail.size()));
            assertEquals("COMPLETED", trail.get(trail.size() - 1).getType());
            assertEquals(trail.get(trail.size() - 1).getHash(), after.state(ID).getAuditHead());
        }
    }

    @Test
    void shouldWriteOneAuditStoreRecordPerEventNotOnePerFact() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            SYSTEMS.forEach(system -> ledger.register(system, "user_id"));

            ledger.file(ID); // the request, then the subject gate's verdict: two events, five facts

            final int facts = ledger.audit.readValuesToList().size();
            final int changelogRecords = ledger.driver.createOutputTopic(AUDIT_CHANGELOG,
                    Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer()).readRecordsToList().size();
            assertEquals(2 + SYSTEMS.size(), facts); // RECEIVED, APPROVED, one DISPATCHED per system
            assertEquals(2, changelogRecords);
            assertEquals(facts, storedTrail(ledger).size());
        }
    }

    private static List<AuditFact> storedTrail(LedgerDriver ledger) {
        final KeyValueStore<String, List<AuditFact>> audit = ledger.driver.getKeyValueStore(LedgerNames.AUDIT_STORE);
        final List<AuditFact> trail = new ArrayList<>();
        try (var it = audit.range(AuditKeys.first(ID), AuditKeys.last(ID))) {
            it.forEachRemaining(entry -> trail.addAll(entry.value));
        }
        return trail;
    }

    /** The store below its typed layer: keys and values as bytes, as its changelog holds them. */
    @SuppressWarnings("unchecked")
    private static KeyValueStore<Bytes, byte[]> bytes(LedgerDriver ledger, String store) {
        return (KeyValueStore<Bytes, byte[]>) ((WrappedStateStore<?, ?, ?>) ledger.driver.getKeyValueStore(store))
                .wrapped();
    }
}
