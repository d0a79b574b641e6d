package dev.lethe.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.avro.SystemCallback;
import dev.lethe.schemas.Samples;
import dev.lethe.schemas.Topics;
import dev.lethe.schemas.registry.RecordingSchemaRegistryClient;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Keys are written as UTF-8 text and read in either encoding; anything else is refused with the reason. */
class KeySerdeTest {

    private static final String ID = "5b1f0c3e-8d4a-4f7e-9b2c-1a2b3c4d5e6f";

    private final RecordingSchemaRegistryClient registry = new RecordingSchemaRegistryClient(7);
    private final KeySerde keys = new KeySerde(registry);
    private final ConfluentAvroSerde<String> avroKeys = new ConfluentAvroSerde<>(registry, AvroCodec.string(), true);

    @Test
    void shouldWriteTheIdAsStringSerializerDoes() {
        final byte[] written = keys.serialize(Topics.REQUESTS, ID);

        assertArrayEquals(new StringSerializer().serialize(Topics.REQUESTS, ID), written);
        assertNull(keys.serialize(Topics.REQUESTS, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {ID, "billing", "요청-1", ""})
    void shouldReadTextKeys(String id) {
        assertEquals(id, keys.deserialize(Topics.REQUESTS, id.getBytes(StandardCharsets.UTF_8)));
        assertEquals(KeySerde.Form.TEXT, KeySerde.form(id.getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @ValueSource(strings = {ID, "billing", "요청-1", ""})
    void shouldReadConfluentAvroStringKeys(String id) {
        final byte[] avro = avroKeys.serialize(Topics.CALLBACKS, id);

        assertEquals(KeySerde.Form.CONFLUENT_AVRO, KeySerde.form(avro));
        assertEquals(id, keys.deserialize(Topics.CALLBACKS, avro));
    }

    @Test
    void shouldRefuseKeysThatAreNotUtf8() {
        final byte[] latin1 = "café".getBytes(StandardCharsets.ISO_8859_1);

        final SerializationException e = assertThrows(SerializationException.class,
                () -> keys.deserialize(Topics.REQUESTS, latin1));

        assertTrue(e.getMessage().contains("neither UTF-8 text nor a Confluent-Avro string"), e.getMessage());
    }

    @Test
    void shouldRefuseNulPrefixedKeysThatAreNotConfluentAvro() {
        final byte[] nulThenText = {0, 'a', 'b'};

        final SerializationException e = assertThrows(SerializationException.class,
                () -> keys.deserialize(Topics.REQUESTS, nulThenText));

        assertTrue(e.getMessage().contains("not a Confluent-Avro string"), e.getMessage());
    }

    @Test
    void shouldRefuseConfluentKeysWhoseSchemaIsNotAString() {
        final ConfluentAvroSerde<SystemCallback> records =
                new ConfluentAvroSerde<>(registry, AvroCodec.specific(SystemCallback.class), true);
        final byte[] recordKey = records.serialize(Topics.CALLBACKS, Samples.callback());

        final SerializationException e = assertThrows(SerializationException.class,
                () -> keys.deserialize(Topics.CALLBACKS, recordKey));

        assertTrue(e.getMessage().contains("not a Confluent-Avro string"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 6, 12})
    void shouldPlaceKeysWhereKafkasDefaultPartitionerDoes(int partitions) {
        for (String id : new String[] {ID, "billing", "요청-1", "a", "zzz-9"}) {
            assertEquals(BuiltInPartitioner.partitionForKey(id.getBytes(StandardCharsets.UTF_8), partitions),
                    CanonicalPartition.of(id, partitions), id + " of " + partitions);
        }
    }
}
