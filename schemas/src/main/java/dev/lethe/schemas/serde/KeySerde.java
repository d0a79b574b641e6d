package dev.lethe.schemas.serde;

import dev.lethe.schemas.registry.SchemaRegistryClient;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The key of every topic Lethe writes: the id (request id, subject key, system name) as plain
 * UTF-8 text, what Kafka's {@code StringSerializer}, kafkajs and librdkafka write by default and
 * what every tool shows readably. Its partition is Kafka's default, {@link CanonicalPartition}.
 *
 * <p>Reading accepts both encodings, because partners may still write Confluent-Avro keys:
 * <ul>
 *   <li>a key whose first byte is 0 (the Confluent magic byte) is a Confluent-Avro string — magic
 *       byte, 4-byte schema id, Avro string — read with the writer schema from the registry;</li>
 *   <li>any other key is UTF-8 text, and must be well-formed UTF-8.</li>
 * </ul>
 * This tells the two apart without guessing: well-formed text never starts with a NUL byte (no
 * Lethe id does), and a Confluent-wire record always does. A key that is neither is refused with a
 * {@link SerializationException} that says so.
 */
public final class KeySerde implements Serde<String> {

    private final ConfluentAvroSerde<String> avro;

    public KeySerde(SchemaRegistryClient registry) {
        this.avro = new ConfluentAvroSerde<>(registry, AvroCodec.string(), true);
    }

    /** The two encodings a key may arrive in. */
    public enum Form { TEXT, CONFLUENT_AVRO }

    /** Which encoding {@code key} is in, judged by its first byte (see the class comment). */
    public static Form form(byte[] key) {
        return key.length > 0 && key[0] == ConfluentAvroSerde.MAGIC_BYTE ? Form.CONFLUENT_AVRO : Form.TEXT;
    }

    /** The Avro schema of the accepted Confluent-Avro form: the primitive {@code "string"}. */
    public Schema schema() {
        return avro.schema();
    }

    @Override
    public Serializer<String> serializer() {
        return this::serialize;
    }

    @Override
    public Deserializer<String> deserializer() {
        return this::deserialize;
    }

    /** {@code key} as UTF-8 text (the canonical encoding); {@code topic} is not needed. */
    public byte[] serialize(String topic, String key) {
        return key == null ? null : key.getBytes(StandardCharsets.UTF_8);
    }

    /** The id in {@code bytes}, in either encoding; a {@link SerializationException} when neither. */
    public String deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (form(bytes) == Form.CONFLUENT_AVRO) {
            try {
                return avro.deserialize(topic, bytes);
            } catch (SerializationException e) {
                throw new SerializationException("key starts with byte 0 but is not a Confluent-Avro string (magic byte 0,"
                        + " 4-byte schema id, Avro string) on topic " + topic + ": " + e.getMessage(), e);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new SerializationException("key is neither UTF-8 text nor a Confluent-Avro string on topic " + topic);
        }
    }
}
