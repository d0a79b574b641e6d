package dev.lethe.ledger.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.avro.AuditFact;
import dev.lethe.ledger.archive.ArchiveView.Archived;
import dev.lethe.ledger.domain.Identifier;
import dev.lethe.ledger.domain.Portal;
import dev.lethe.ledger.domain.RequestState;
import dev.lethe.ledger.domain.RequestStatus;
import dev.lethe.ledger.domain.Scope;
import dev.lethe.ledger.domain.SystemStatus;
import dev.lethe.ledger.domain.SystemTarget;
import dev.lethe.ledger.domain.WrappedKey;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

public class ArchiveSerdeTest {

    private static final Instant T = Instant.parse("2026-03-01T09:00:00.123Z");
    private final ArchiveSerde serde = new ArchiveSerde();

    /** A finished request past LETHE_FORGET_AFTER: no identifier, no data key, its trail's head in the state. */
    public static Archived forgotten(String id) {
        final AuditFact received = AuditChain.link(AuditFact.newBuilder().setRequestId(id).setSeq(1).setAt(T)
                .setType("RECEIVED").setActor("accounts-service").setSubjectKey("sk-1")
                .setStatus(dev.lethe.avro.RequestStatus.RECEIVED).build(), null);
        final AuditFact done = AuditChain.link(AuditFact.newBuilder().setRequestId(id).setSeq(2).setAt(T)
                .setType("COMPLETED").setActor("ledger").setSystem("billing").setDetail("rows deleted — ☃")
                .setStatus(dev.lethe.avro.RequestStatus.COMPLETED).build(), received.getHash());
        final SystemTarget billing = new SystemTarget("billing", SystemStatus.DONE, 1, T, 42L, "rows deleted",
                null, T.plusSeconds(86_400), null, 1, 24, 5, false, false, List.of());
        final RequestState state = new RequestState(id, RequestStatus.COMPLETED, "sk-1", null, List.of(), List.of(),
                List.of("user_id", "email"), "GDPR", "account_deleted", "accounts-service", Scope.ALL, 0, T,
                T.plusSeconds(30 * 86_400L), T.plusSeconds(60), T.plusSeconds(60), List.of(billing), List.of(), 2,
                null, done.getHash(), T.plusSeconds(30 * 86_400L), 0, false, List.of(), null, null,
                new Portal("sr-1", "controller-1", "2026-03-31T00:00:00Z", List.of("https://portal.example/cb")));
        return new Archived(state, List.of(received, done));
    }

    @Test
    void shouldReadBackTheStateAndTheWholeTrailItWrote() {
        final Archived archived = forgotten("r-1");

        final byte[] bytes = serde.serializer().serialize(topic(), archived);
        final Archived read = serde.deserializer().deserialize(topic(), bytes);

        assertEquals(ArchiveSerde.TAG, bytes[0]);
        assertEquals(ArchiveSerde.VERSION, bytes[1]);
        assertEquals(archived.state(), read.state());
        assertEquals(archived.trail(), read.trail());
        assertNull(AuditChain.verify(read.trail()));
    }

    @Test
    void shouldReadATombstoneAsNothing() {
        assertNull(serde.deserializer().deserialize(topic(), null));
        assertNull(serde.serializer().serialize(topic(), null));
    }

    @Test
    void refusesToWriteAStateThatStillHasItsDataKey() {
        final Archived archived = forgotten("r-1");
        final Archived keyed = new Archived(archived.state().withDataKey(new WrappedKey("kek-1", new byte[] {1, 2})),
                archived.trail());

        final SerializationException refused = assertThrows(SerializationException.class,
                () -> serde.serializer().serialize(topic(), keyed));
        assertTrue(refused.getMessage().contains("data key"), refused.getMessage());
    }

    @Test
    void refusesToWriteAStateThatStillHoldsIdentifiers() {
        final RequestState forgotten = forgotten("r-1").state();
        final RequestState identified = new RequestState(forgotten.requestId(), forgotten.status(),
                forgotten.subjectKey(), new Identifier("user_id", "u-1842"), List.of(), List.of(),
                forgotten.namespaces(), forgotten.jurisdiction(), forgotten.reason(), forgotten.source(),
                forgotten.scope(), 0, forgotten.requestedAt(), forgotten.deadline(), forgotten.finishedAt(),
                forgotten.updatedAt(), forgotten.systems(), List.of(), forgotten.auditSeq(), null,
                forgotten.auditHead(), forgotten.baseDeadline(), 0, false, List.of(), null);

        final SerializationException refused = assertThrows(SerializationException.class,
                () -> serde.serializer().serialize(topic(), new Archived(identified, forgotten("r-1").trail())));
        assertTrue(refused.getMessage().contains("identifier"), refused.getMessage());
    }

    @Test
    void refusesToWriteAStateThatStillHasItsIntakeFingerprint() {
        final RequestState forgotten = forgotten("r-1").state();
        final RequestState fingerprinted = new RequestState(forgotten.requestId(), forgotten.status(),
                forgotten.subjectKey(), null, List.of(), List.of(), forgotten.namespaces(), forgotten.jurisdiction(),
                forgotten.reason(), forgotten.source(), forgotten.scope(), 0, forgotten.requestedAt(),
                forgotten.deadline(), forgotten.finishedAt(), forgotten.updatedAt(), forgotten.systems(), List.of(),
                forgotten.auditSeq(), "fp-4f1c", forgotten.auditHead(), forgotten.baseDeadline(), 0, false,
                List.of(), null);

        assertFalse(ArchiveSerde.archivable(fingerprinted));
        final SerializationException refused = assertThrows(SerializationException.class,
                () -> serde.serializer().serialize(topic(), new Archived(fingerprinted, forgotten("r-1").trail())));
        assertTrue(refused.getMessage().contains("fingerprint"), refused.getMessage());
    }

    @Test
    void refusesAValueOfAnUnknownFormatOrAFutureVersion() {
        final byte[] bytes = serde.serializer().serialize(topic(), forgotten("r-1"));
        bytes[1] = 2;

        final SerializationException future = assertThrows(SerializationException.class,
                () -> serde.deserializer().deserialize(topic(), bytes));
        assertTrue(future.getMessage().contains("version 2"), future.getMessage());
        final SerializationException unknown = assertThrows(SerializationException.class,
                () -> serde.deserializer().deserialize(topic(), new byte[] {'X', 1}));
        assertTrue(unknown.getMessage().contains("not an archived request"), unknown.getMessage());
        assertThrows(SerializationException.class,
                () -> serde.deserializer().deserialize(topic(), new byte[] {ArchiveSerde.TAG}));
    }

    @Test
    void shouldReadTheStateAloneAsTheWholeValueHoldsItAndRefuseWhatTheWholeReadRefuses() {
        final Archived archived = forgotten("r-1");
        final byte[] bytes = serde.serializer().serialize(topic(), archived);

        assertEquals(archived.state(), serde.decodeState(bytes));
        assertNull(serde.decodeState(null));
        bytes[1] = 2;
        assertThrows(SerializationException.class, () -> serde.decodeState(bytes));
        assertThrows(SerializationException.class, () -> serde.decodeState(new byte[] {'X', 1}));
    }

    private static String topic() {
        return dev.lethe.schemas.Topics.ARCHIVE;
    }
}
