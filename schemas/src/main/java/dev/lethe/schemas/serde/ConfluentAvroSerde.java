package dev.lethe.schemas.serde;

import dev.lethe.schemas.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes and reads the Confluent wire format: magic byte 0, the writer schema's registry id as
 * 4 bytes big-endian, then Avro binary. Writer schemas are registered under
 * {@code <topic>-key} / {@code <topic>-value} (the TopicNameStrategy), so Confluent's
 * deserializers in any language read Lethe's topics, and Lethe reads theirs.
 *
 * @param <T> the Java type
 */
public final class ConfluentAvroSerde<T> implements Serde<T> {

    public static final byte MAGIC_BYTE = 0;
    private static final int HEADER_BYTES = 5;

    private final SchemaRegistryClient registry;
    private final AvroCodec<T> codec;
    private final boolean isKey;
    private final DatumWriter<T> writer;
    private final Map<String, Integer> idsByTopic = new ConcurrentHashMap<>();
    private final Map<Integer, DatumReader<T>> readersById = new ConcurrentHashMap<>();

    public ConfluentAvroSerde(SchemaRegistryClient registry, AvroCodec<T> codec, boolean isKey) {
        this.registry = registry;
        this.codec = codec;
        this.isKey = isKey;
        this.writer = codec.writer();
    }

    /** The subject a writer schema for {@code topic} is registered under. */
    public static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }

    public Schema schema() {
        return codec.schema();
    }

    @Override
    public Serializer<T> serializer() {
        return this::serialize;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this::deserialize;
    }

    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        final String subjectTopic = topic == null ? codec.schema().getFullName() : topic;
        final int id = idsByTopic.computeIfAbsent(subjectTopic,
                t -> registry.register(subject(t, isKey), codec.schema()));
        final ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        out.write(MAGIC_BYTE);
        out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
        try {
            // buffered: the direct encoder's many one-byte writes to the stream showed in profiles
            final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            writer.write(data, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot write " + codec.schema().getName() + " for topic " + topic
                    + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    public T deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (bytes.length < HEADER_BYTES || bytes[0] != MAGIC_BYTE) {
            throw new SerializationException("not in the Confluent Avro wire format (magic byte 0 and a schema id)"
                    + " on topic " + topic);
        }
        final int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        try {
            final DatumReader<T> reader = readersById.computeIfAbsent(id,
                    writerId -> codec.reader(registry.schemaById(writerId)));
            final BinaryDecoder decoder = DecoderFactory.get()
                    .binaryDecoder(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES, null);
            return codec.fromDatum(reader.read(null, decoder));
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot read " + codec.schema().getName() + " (writer schema id " + id
                    + ") from topic " + topic + ": " + e.getMessage(), e);
        }
    }
}
