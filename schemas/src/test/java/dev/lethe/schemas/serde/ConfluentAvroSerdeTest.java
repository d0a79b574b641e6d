package dev.lethe.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.avro.ErasureRequested;
import dev.lethe.avro.SystemCallback;
import dev.lethe.schemas.Samples;
import dev.lethe.schemas.Topics;
import dev.lethe.schemas.registry.RecordingSchemaRegistryClient;
import dev.lethe.schemas.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The Confluent wire format, byte for byte, and how the serde refuses what is not in it. */
class ConfluentAvroSerdeTest {

    /** Four different bytes, so a little-endian or shifted id would show. */
    private static final int FIRST_ID = 0x01020304;

    private final RecordingSchemaRegistryClient registry = new RecordingSchemaRegistryClient(FIRST_ID);
    private final ConfluentAvroSerde<SystemCallback> values =
            new ConfluentAvroSerde<>(registry, AvroCodec.specific(SystemCallback.class), false);
    private final ConfluentAvroSerde<String> keys = new ConfluentAvroSerde<>(registry, AvroCodec.string(), true);

    @Test
    void shouldWriteMagicByteThenBigEndianIdThenPlainAvroBinary() throws IOException {
        final SystemCallback callback = Samples.callback();

        final byte[] bytes = values.serialize(Topics.CALLBACKS, callback);

        assertEquals(0, bytes[0]);
        assertArrayEquals(new byte[] {1, 2, 3, 4}, Arrays.copyOfRange(bytes, 1, 5));
        assertArrayEquals(plainAvro(SystemCallback.getClassSchema(), callback),
                Arrays.copyOfRange(bytes, 5, bytes.length));
    }

    @Test
    void shouldWriteKeyAsAvroStringAfterTheHeader() throws IOException {
        final byte[] bytes = keys.serialize(Topics.REQUESTS, "req-ü-1");

        final ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(new byte[] {0, 1, 2, 3, 4});
        final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(expected, null);
        encoder.writeString("req-ü-1");
        encoder.flush();
        assertArrayEquals(expected.toByteArray(), bytes);
    }

    @Test
    void shouldTurnNullIntoTombstoneAndBack() {
        assertNull(values.serialize(Topics.CALLBACKS, null));
        assertNull(values.deserialize(Topics.CALLBACKS, null));
        assertNull(keys.serializer().serialize(Topics.SYSTEMS, null));
        assertTrue(registry.registrations().isEmpty(), "a tombstone registers nothing");
    }

    @Test
    void shouldRegisterKeyAndValueUnderTopicNameStrategySubjects() {
        keys.serialize(Topics.CALLBACKS, Samples.REQUEST_ID);
        values.serialize(Topics.CALLBACKS, Samples.callback());

        assertEquals(List.of("erasure.callbacks-key", "erasure.callbacks-value"), registry.subjects());
        assertEquals(Schema.create(Schema.Type.STRING), registry.registrations().get(0).schema());
        assertEquals(SystemCallback.getClassSchema(), registry.registrations().get(1).schema());
        assertEquals("erasure.callbacks-key", ConfluentAvroSerde.subject(Topics.CALLBACKS, true));
        assertEquals("erasure.callbacks-value", ConfluentAvroSerde.subject(Topics.CALLBACKS, false));
    }

    @Test
    void shouldRegisterOncePerTopicAndLookUpOncePerWriterId() {
        for (int i = 0; i < 3; i++) {
            values.deserialize(Topics.CALLBACKS, values.serialize(Topics.CALLBACKS, Samples.callback()));
        }
        values.serialize("partner.callbacks", Samples.callback());

        assertEquals(List.of("erasure.callbacks-value", "partner.callbacks-value"), registry.subjects());
        assertEquals(List.of(FIRST_ID), registry.lookups());
    }

    @Test
    void shouldReadWhatItWrote() {
        final SystemCallback callback = Samples.callback();

        assertEquals(callback, values.deserializer()
                .deserialize(Topics.CALLBACKS, values.serializer().serialize(Topics.CALLBACKS, callback)));
        assertEquals("요청-1", keys.deserialize(Topics.CALLBACKS, keys.serialize(Topics.CALLBACKS, "요청-1")));
    }

    @Test
    void shouldRefuseBytesWithoutTheMagicByte() {
        final byte[] text = "{\"requestId\":\"req-1\"}".getBytes(StandardCharsets.UTF_8);

        final SerializationException e = assertThrows(SerializationException.class,
                () -> values.deserialize(Topics.CALLBACKS, text));

        assertWireFormatMessage(e);
    }

    @Test
    void shouldRefuseWrongMagicByte() {
        final byte[] bytes = values.serialize(Topics.CALLBACKS, Samples.callback());
        bytes[0] = 1;

        assertWireFormatMessage(assertThrows(SerializationException.class,
                () -> values.deserialize(Topics.CALLBACKS, bytes)));
    }

    @Test
    void shouldRefuseBytesTooShortForTheHeader() {
        assertWireFormatMessage(assertThrows(SerializationException.class,
                () -> values.deserialize(Topics.CALLBACKS, new byte[] {0, 1, 2, 3})));
        assertWireFormatMessage(assertThrows(SerializationException.class,
                () -> keys.deserialize(Topics.CALLBACKS, new byte[0])));
    }

    @Test
    void shouldRefuseGarbageAfterAValidHeader() {
        final byte[] valid = values.serialize(Topics.CALLBACKS, Samples.callback());
        final byte[] garbage = Arrays.copyOf(valid, 5 + 16);
        Arrays.fill(garbage, 5, garbage.length, (byte) 0xff);

        final SerializationException e = assertThrows(SerializationException.class,
                () -> values.deserialize(Topics.CALLBACKS, garbage));

        assertTrue(e.getMessage().contains("SystemCallback") && e.getMessage().contains(Topics.CALLBACKS),
                e.getMessage());
    }

    @Test
    void shouldRefuseTruncatedBody() {
        final byte[] valid = values.serialize(Topics.CALLBACKS, Samples.callback());
        final byte[] truncated = Arrays.copyOf(valid, valid.length - 6);

        final SerializationException e = assertThrows(SerializationException.class,
                () -> values.deserialize(Topics.CALLBACKS, truncated));

        assertTrue(e.getMessage().contains("writer schema id " + FIRST_ID), e.getMessage());
    }

    @Test
    void shouldRefuseUnknownSchemaId() {
        final byte[] bytes = {0, 0, 0, 0x03, (byte) 0xe7, 2, 'x'};

        final SerializationException e = assertThrows(SerializationException.class,
                () -> values.deserialize(Topics.CALLBACKS, bytes));

        assertTrue(e.getMessage().contains("writer schema id 999"), e.getMessage());
        assertInstanceOf(SchemaRegistryException.class, e.getCause());
    }

    @Test
    void shouldRefuseRecordOfAnIncompatibleWriterSchema() {
        final ConfluentAvroSerde<ErasureRequested> requests =
                new ConfluentAvroSerde<>(registry, AvroCodec.specific(ErasureRequested.class), false);
        final byte[] callbackBytes = values.serialize(Topics.CALLBACKS, Samples.callback());

        final SerializationException e = assertThrows(SerializationException.class,
                () -> requests.deserialize(Topics.CALLBACKS, callbackBytes));

        assertTrue(e.getMessage().contains("ErasureRequested"), e.getMessage());
    }

    @Test
    void shouldReportRegistryFailureWhenSerializingAsSchemaRegistryException() {
        final ConfluentAvroSerde<SystemCallback> broken = new ConfluentAvroSerde<>(new RefusingRegistry(),
                AvroCodec.specific(SystemCallback.class), false);

        final SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
                () -> broken.serialize(Topics.CALLBACKS, Samples.callback()));

        assertEquals(409, e.status());
    }

    private static void assertWireFormatMessage(SerializationException e) {
        assertTrue(e.getMessage().contains("Confluent Avro wire format"), e.getMessage());
        assertTrue(e.getMessage().contains(Topics.CALLBACKS), e.getMessage());
    }

    private static byte[] plainAvro(Schema schema, SystemCallback callback) throws IOException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<SystemCallback>(schema).write(callback, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static final class RefusingRegistry implements dev.lethe.schemas.registry.SchemaRegistryClient {
        @Override
        public int register(String subject, Schema schema) {
            throw new SchemaRegistryException("incompatible schema", 409);
        }

        @Override
        public Schema schemaById(int id) {
            throw new SchemaRegistryException("schema " + id + " not found", 404);
        }
    }
}
