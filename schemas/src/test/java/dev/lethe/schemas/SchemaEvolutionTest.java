package dev.lethe.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lethe.avro.CallbackOutcome;
import dev.lethe.avro.ErasureRequested;
import dev.lethe.avro.Identifier;
import dev.lethe.avro.SystemCallback;
import dev.lethe.schemas.registry.InMemorySchemaRegistryClient;
import dev.lethe.schemas.serde.ConfluentAvroSerde;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/**
 * Producers upgrade at their own pace: records written with an older or a newer schema (as any
 * Confluent producer would, registered and framed in the wire format) must still be read by
 * Lethe's current serdes, defaults filling what an older writer did not know.
 */
class SchemaEvolutionTest {

    /** {@code SystemCallback} before {@code legalBasis} (default null) existed. */
    private static final String CALLBACK_V1 = """
            {"type": "record", "name": "SystemCallback", "namespace": "dev.lethe.avro", "fields": [
              {"name": "eventId", "type": "string"},
              {"name": "requestId", "type": "string"},
              {"name": "system", "type": "string"},
              {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
              {"name": "actor", "type": "string"},
              {"name": "outcome", "type": {"type": "enum", "name": "CallbackOutcome",
                "symbols": ["DONE", "NOT_FOUND", "RETAINED", "FAILED", "PROGRESS"], "default": "PROGRESS"}},
              {"name": "itemsErased", "type": ["null", "long"], "default": null},
              {"name": "detail", "type": ["null", "string"], "default": null}
            ]}""";

    /** A later {@code SystemCallback}: an extra field and an outcome this reader does not know. */
    private static final String CALLBACK_V3 = """
            {"type": "record", "name": "SystemCallback", "namespace": "dev.lethe.avro", "fields": [
              {"name": "eventId", "type": "string"},
              {"name": "requestId", "type": "string"},
              {"name": "system", "type": "string"},
              {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
              {"name": "actor", "type": "string"},
              {"name": "outcome", "type": {"type": "enum", "name": "CallbackOutcome",
                "symbols": ["DONE", "NOT_FOUND", "RETAINED", "FAILED", "PROGRESS", "PARTIAL"],
                "default": "PROGRESS"}},
              {"name": "itemsErased", "type": ["null", "long"], "default": null},
              {"name": "detail", "type": ["null", "string"], "default": null},
              {"name": "legalBasis", "type": ["null", "string"], "default": null},
              {"name": "region", "type": "string", "default": "global"}
            ]}""";

    /** {@code ErasureRequested} before scope, objects, grace days and submitter existed. */
    private static final String REQUEST_V1 = """
            {"type": "record", "name": "ErasureRequested", "namespace": "dev.lethe.avro", "fields": [
              {"name": "requestId", "type": "string"},
              {"name": "subject", "type": {"type": "record", "name": "Identifier", "fields": [
                {"name": "namespace", "type": "string"}, {"name": "value", "type": "string"}]}},
              {"name": "identifiers", "type": {"type": "array", "items": "Identifier"}, "default": []},
              {"name": "jurisdiction", "type": "string"},
              {"name": "reason", "type": "string"},
              {"name": "source", "type": "string"},
              {"name": "requestedAt", "type": {"type": "long", "logicalType": "timestamp-millis"}}
            ]}""";

    /** {@code SubjectEntry} before {@code released} (default false) existed. */
    private static final String SUBJECT_ENTRY_V1 = """
            {"type": "record", "name": "SubjectEntry", "namespace": "dev.lethe.avro", "fields": [
              {"name": "subjectKey", "type": "string"},
              {"name": "requestId", "type": "string"},
              {"name": "status", "type": {"type": "enum", "name": "RequestStatus", "symbols": ["RECEIVED",
                "PENDING_APPROVAL", "SCHEDULED", "IN_PROGRESS", "COMPLETED", "COMPLETED_WITH_EXCEPTIONS", "REJECTED",
                "CANCELLED"], "default": "RECEIVED"}},
              {"name": "requestedAt", "type": {"type": "long", "logicalType": "timestamp-millis"}},
              {"name": "finishedAt", "type": ["null", {"type": "long", "logicalType": "timestamp-millis"}],
               "default": null},
              {"name": "scope", "type": ["null", {"type": "record", "name": "Scope", "fields": [
                {"name": "systems", "type": {"type": "array", "items": "string"}, "default": []},
                {"name": "exclude", "type": {"type": "array", "items": "string"}, "default": []}]}],
               "default": null},
              {"name": "source", "type": ["null", "string"], "default": null},
              {"name": "duplicateOf", "type": ["null", "string"], "default": null}
            ]}""";

    private static final Instant AT = Instant.parse("2025-03-02T02:15:00.007Z");

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final LetheSerdes serdes = new LetheSerdes(registry);

    @Test
    void shouldFillDefaultWhenOlderCallbackWriterLacksField() throws IOException {
        // Given a partner still producing the first version of SystemCallback
        final Schema v1 = new Schema.Parser().parse(CALLBACK_V1);
        final GenericRecord old = callbackRecord(v1, "RETAINED").build();

        // When Lethe reads it
        final SystemCallback read = serdes.callback()
                .deserialize(Topics.CALLBACKS, confluentBytes(Topics.CALLBACKS, v1, old));

        // Then the missing field has its default and the rest is intact
        assertNull(read.getLegalBasis());
        assertEquals("cb-7", read.getEventId());
        assertEquals(CallbackOutcome.RETAINED, read.getOutcome());
        assertEquals(AT, read.getAt());
        assertEquals(12L, read.getItemsErased());
        assertEquals("kept for audit", read.getDetail());
    }

    @Test
    void shouldFillDefaultsWhenOlderRequestWriterLacksFields() throws IOException {
        final Schema v1 = new Schema.Parser().parse(REQUEST_V1);
        final Schema identifier = v1.getField("subject").schema();
        final GenericRecord old = new GenericRecordBuilder(v1)
                .set("requestId", "req-7")
                .set("subject", new GenericRecordBuilder(identifier).set("namespace", "email")
                        .set("value", "kim@example.com").build())
                .set("identifiers", new GenericData.Array<>(v1.getField("identifiers").schema(), List.of()))
                .set("jurisdiction", "EU")
                .set("reason", "user asked")
                .set("source", "privacy-portal")
                .set("requestedAt", AT.toEpochMilli())
                .build();

        final ErasureRequested read = serdes.request()
                .deserialize(Topics.REQUESTS, confluentBytes(Topics.REQUESTS, v1, old));

        assertEquals(0, read.getGraceDays());
        assertEquals(List.of(), read.getObjects());
        assertNull(read.getScope());
        assertNull(read.getSubmittedBy());
        assertEquals(new Identifier("email", "kim@example.com"), read.getSubject());
        assertEquals(AT, read.getRequestedAt());
    }

    @Test
    void shouldIgnoreFieldThatNewerWriterAdded() throws IOException {
        final Schema v3 = new Schema.Parser().parse(CALLBACK_V3);
        final GenericRecord newer = callbackRecord(v3, "DONE")
                .set("legalBasis", "none").set("region", "eu-west").build();

        final SystemCallback read = serdes.callback()
                .deserialize(Topics.CALLBACKS, confluentBytes(Topics.CALLBACKS, v3, newer));

        assertEquals(CallbackOutcome.DONE, read.getOutcome());
        assertEquals("none", read.getLegalBasis());
        assertEquals("kept for audit", read.getDetail());
        assertEquals(SystemCallback.getClassSchema().getFields().size(), read.getSchema().getFields().size());
    }

    @Test
    void shouldReadUnknownOutcomeOfNewerWriterAsEnumDefault() throws IOException {
        final Schema v3 = new Schema.Parser().parse(CALLBACK_V3);
        final GenericRecord newer = callbackRecord(v3, "PARTIAL").build();

        final SystemCallback read = serdes.callback()
                .deserialize(Topics.CALLBACKS, confluentBytes(Topics.CALLBACKS, v3, newer));

        assertEquals(CallbackOutcome.PROGRESS, read.getOutcome());
    }

    @Test
    void shouldGiveEachWriterVersionItsOwnId() throws IOException {
        final Schema v1 = new Schema.Parser().parse(CALLBACK_V1);
        final byte[] old = confluentBytes(Topics.CALLBACKS, v1, callbackRecord(v1, "DONE").build());
        final byte[] current = serdes.callback().serialize(Topics.CALLBACKS, Samples.callback());

        assertNotEquals(ByteBuffer.wrap(old, 1, 4).getInt(), ByteBuffer.wrap(current, 1, 4).getInt());
        assertEquals("cb-7", serdes.callback().deserialize(Topics.CALLBACKS, old).getEventId());
        assertEquals(Samples.callback(), serdes.callback().deserialize(Topics.CALLBACKS, current));
    }

    @Test
    void shouldReadASubjectEntryOfTheVersionBeforeReleasedAsNotReleased() throws IOException {
        final Schema v1 = new Schema.Parser().parse(SUBJECT_ENTRY_V1);
        final GenericRecord old = new GenericRecordBuilder(v1)
                .set("subjectKey", "sk-1").set("requestId", "req-7")
                .set("status", new GenericData.EnumSymbol(v1.getField("status").schema(), "COMPLETED"))
                .set("requestedAt", AT.toEpochMilli()).set("finishedAt", AT.toEpochMilli())
                .set("source", "portal").build();

        final dev.lethe.avro.SubjectEntry read = serdes.subjectEntry()
                .deserialize(Topics.SUBJECT_INDEX, confluentBytes(Topics.SUBJECT_INDEX, v1, old));

        assertFalse(read.getReleased());
        assertEquals("req-7", read.getRequestId());
        assertEquals(dev.lethe.avro.RequestStatus.COMPLETED, read.getStatus());
        assertEquals(AT, read.getFinishedAt());
        // both ways: the current schema reads the old entries, and a ledger of the version before reads new ones
        assertEquals(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE, SchemaCompatibility
                .checkReaderWriterCompatibility(dev.lethe.avro.SubjectEntry.getClassSchema(), v1).getType());
        assertEquals(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE, SchemaCompatibility
                .checkReaderWriterCompatibility(v1, dev.lethe.avro.SubjectEntry.getClassSchema()).getType());
    }

    private static GenericRecordBuilder callbackRecord(Schema schema, String outcome) {
        final Schema outcomeSchema = schema.getField("outcome").schema();
        return new GenericRecordBuilder(schema)
                .set("eventId", "cb-7")
                .set("requestId", "req-7")
                .set("system", "crm")
                .set("at", AT.toEpochMilli())
                .set("actor", "partner:crm")
                .set("outcome", new GenericData.EnumSymbol(outcomeSchema, outcome))
                .set("itemsErased", 12L)
                .set("detail", "kept for audit");
    }

    /** What a Confluent producer with {@code writer} would put on {@code topic}. */
    private byte[] confluentBytes(String topic, Schema writer, GenericRecord record) throws IOException {
        final int id = registry.register(ConfluentAvroSerde.subject(topic, false), writer);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(id).array());
        final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(writer).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
