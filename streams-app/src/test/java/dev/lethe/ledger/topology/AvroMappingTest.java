package dev.lethe.ledger.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.avro.Acknowledged;
import dev.lethe.avro.Admission;
import dev.lethe.avro.Admitted;
import dev.lethe.avro.DeadlineExtended;
import dev.lethe.avro.DuplicateFiled;
import dev.lethe.avro.DuplicateOf;
import dev.lethe.avro.DuplicateReceived;
import dev.lethe.avro.RetryFailed;
import dev.lethe.avro.SystemMode;
import dev.lethe.ledger.domain.Attention;
import dev.lethe.ledger.domain.Decision;
import dev.lethe.ledger.domain.Identifier;
import dev.lethe.ledger.domain.Outcome;
import dev.lethe.ledger.domain.LedgerEvent;
import dev.lethe.ledger.domain.RequestState;
import dev.lethe.ledger.domain.RequestStatus;
import dev.lethe.ledger.domain.Scope;
import dev.lethe.ledger.domain.SystemInfo;
import dev.lethe.ledger.domain.SystemStatus;
import dev.lethe.ledger.domain.SystemTarget;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import dev.lethe.ledger.domain.Verdict;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/** The wire mapping keeps every field the lifecycle added, both ways. */
class AvroMappingTest {

    private static final Instant T = Instant.parse("2026-03-01T09:00:00Z");

    @Test
    void shouldRoundTripAStateWithChaseExtensionAndChainFields() {
        final SystemTarget target = new SystemTarget("archive", SystemStatus.FAILED, 3, T, 5L, "no answer after 3 attempts",
                null, T.plusSeconds(86_400), T.plusSeconds(3_600), 3, 12, 3, true, true,
                List.of(Outcome.DONE, Outcome.RETAINED));
        final RequestState state = new RequestState("r-1", RequestStatus.IN_PROGRESS, "key", new Identifier("user_id", "u"),
                List.of(), List.of(), List.of("user_id"), "GDPR", "account_deleted", "accounts", Scope.ALL, 0, T,
                T.plusSeconds(99), null, T, List.of(target), List.of(), 7, "fp", "head", T.plusSeconds(9), 1, true,
                List.of(Attention.UNROUTED, Attention.CONTRADICTED), "r-0");

        assertEquals(state, AvroMapping.state(AvroMapping.state(state)));
    }

    @Test
    void shouldReadAStateStoredByThePreviousVersionWithNothingFlagged() throws IOException {
        // Given a state written with the schema before attention, duplicateOf, per-system overdue and contradictions
        final Schema previous = previousStateSchema();
        final Schema current = dev.lethe.avro.RequestState.getClassSchema();
        assertEquals(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE,
                SchemaCompatibility.checkReaderWriterCompatibility(current, previous).getType());
        final SystemTarget target = new SystemTarget("billing", SystemStatus.DONE, 1, T, 2L, "gone", null,
                T.plusSeconds(60), null, 1, 24, 5, false, false, List.of());
        final RequestState stored = new RequestState("r-1", RequestStatus.COMPLETED, "key", null, List.of(), List.of(),
                List.of("user_id"), "GDPR", "account_deleted", "accounts", Scope.ALL, 0, T, T.plusSeconds(99), T, T,
                List.of(target), List.of(), 4, "fp", "head", null, 0, false, List.of(), null);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<dev.lethe.avro.RequestState>(previous).write(AvroMapping.state(stored), encoder);
        encoder.flush();

        // When this version reads it
        final dev.lethe.avro.RequestState read = new SpecificDatumReader<dev.lethe.avro.RequestState>(previous, current)
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));

        // Then it is the same state, with no attention, no overdue system and no contradiction
        assertEquals(stored, AvroMapping.state(read));
        assertTrue(read.getAttention().isEmpty());
    }

    /** The ledger store's value schema as the previous version wrote it: without the fields added since. */
    private static Schema previousStateSchema() {
        final Schema current = dev.lethe.avro.RequestState.getClassSchema();
        final Schema system = current.getField("systems").schema().getElementType();
        final Schema previousSystem = without(system, Set.of("overdueAudited", "contradictions"), Map.of());
        return without(current, Set.of("attention", "duplicateOf"), Map.of("systems", Schema.createArray(previousSystem)));
    }

    private static Schema without(Schema record, Set<String> dropped, Map<String, Schema> replaced) {
        final List<Schema.Field> fields = record.getFields().stream().filter(f -> !dropped.contains(f.name()))
                .map(f -> new Schema.Field(f.name(), replaced.getOrDefault(f.name(), f.schema()), f.doc(),
                        f.defaultVal()))
                .toList();
        return Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false, fields);
    }

    @Test
    void shouldMapTheNewDecisions() {
        assertEquals(new Decision.RetryFailed("n"), decision(new RetryFailed("n")));
        assertEquals(new Decision.ExtendDeadline("why", 12), decision(new DeadlineExtended("why", 12)));
        assertEquals(new Decision.ExtendDeadline("why", null), decision(new DeadlineExtended("why", null)));
        assertInstanceOf(Decision.DuplicateReceived.class, decision(new DuplicateReceived("portal")));
        assertEquals(new Decision.Acknowledge("checked"), decision(new Acknowledged("checked")));
    }

    @Test
    void shouldMapEverySubjectGateVerdict() {
        assertEquals(new LedgerEvent.Gated("r", new Verdict.Admitted()), gated(new Admitted()));
        assertEquals(new LedgerEvent.Gated("r", new Verdict.DuplicateOf("r-0")), gated(new DuplicateOf("r-0")));
        assertEquals(new LedgerEvent.Gated("r", new Verdict.DuplicateFiled("r-2", "portal")),
                gated(new DuplicateFiled("r-2", "portal")));
    }

    @Test
    void shouldMapTheChaseSettingsOfARegistration() {
        final SystemInfo info = AvroMapping.system(LedgerDriver.registration("archive", "user_id")
                .setMode(SystemMode.MANUAL).setSlaDays(14).setReminderHours(6).setMaxAttempts(3).build());

        assertEquals(new SystemInfo("archive", Set.of("user_id"), Set.of(), true, 14, 6, 3), info);
        assertTrue(info.manual());
    }

    private static LedgerEvent.Gated gated(Object verdict) {
        return AvroMapping.gated(Admission.newBuilder().setRequestId("r").setSubjectKey("key").setAt(T)
                .setVerdict(verdict).build());
    }

    private static Decision.Action decision(Object action) {
        return AvroMapping.decision(dev.lethe.avro.Decision.newBuilder().setEventId("e").setRequestId("r")
                .setAt(T).setActor("a").setAction(action).build()).action();
    }
}
