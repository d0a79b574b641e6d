package dev.lethe.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lethe.avro.DeadLetter;
import dev.lethe.schemas.LetheSerdes;
import dev.lethe.schemas.Topics;
import dev.lethe.schemas.registry.RestSchemaRegistryClient;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Poison records on every input topic of the ledger ({@code erasure.requests},
 * {@code erasure.decisions}, {@code erasure.callbacks}): garbage bytes, a truncated Avro body
 * behind a real schema id, an unknown schema id, a null value, and a valid record of the topic
 * under the wrong key. Each must reach {@code erasure.dlq} with its reason (matched by source
 * topic, partition and offset), and the ledger must keep running.
 */
final class Poison {

    private static final List<String> TOPICS = List.of(Topics.REQUESTS, Topics.DECISIONS, Topics.CALLBACKS);

    /** One poison record as the broker stored it. */
    record Sent(String kind, String topic, int partition, long offset) {
        String key() {
            return kind + "@" + topic + "-" + partition + ":" + offset;
        }
    }

    private final ChaosCluster cluster;
    private final LetheSerdes serdes;

    Poison(ChaosCluster cluster) {
        this.cluster = cluster;
        this.serdes = new LetheSerdes(new RestSchemaRegistryClient(cluster.registryUrl()));
    }

    List<Sent> sendAll() {
        final int schemaId = anySchemaId();
        final List<Sent> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            for (String topic : TOPICS) {
                final byte[] garbage = "\u0007 not avro at all \uFFFD".getBytes(StandardCharsets.UTF_8);
                sent.add(send(producer, "garbage", topic, garbage));
                sent.add(send(producer, "truncated-avro", topic, header(schemaId, new byte[] {0x48, 0x31})));
                sent.add(send(producer, "unknown-schema-id", topic, header(987_654, new byte[] {0x02, 0x02, 0x02})));
                sent.add(send(producer, "null-value", topic, null));
                final byte[] valid = firstValue(topic);
                if (valid != null) {
                    sent.add(send(producer, "wrong-key", topic, valid));
                }
            }
        }
        return sent;
    }

    private static Sent send(KafkaProducer<byte[], byte[]> producer, String kind, String topic, byte[] value) {
        final byte[] key = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
        try {
            final RecordMetadata metadata = producer.send(new ProducerRecord<>(topic, key, value)).get(60, TimeUnit.SECONDS);
            return new Sent(kind, topic, metadata.partition(), metadata.offset());
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot write a poison record to " + topic + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] header(int schemaId, byte[] body) {
        return ByteBuffer.allocate(5 + body.length).put((byte) 0).putInt(schemaId).put(body).array();
    }

    /** A valid value of {@code topic} (its first record), to send again under another key. */
    private byte[] firstValue(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(300))) {
                    if (record.value() != null && record.value().length > 5 && record.value()[0] == 0) {
                        return record.value();
                    }
                }
            }
        }
        return null;
    }

    private int anySchemaId() {
        try {
            final var client = java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            final String body = client.send(java.net.http.HttpRequest.newBuilder(
                    URI.create(cluster.registryUrl() + "/subjects/" + Topics.REQUESTS + "-value/versions/latest"))
                            .timeout(Duration.ofSeconds(15)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            final JsonNode json = new ObjectMapper().readTree(body);
            return json.path("id").asInt(1);
        } catch (IOException e) {
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    static Set<String> keys(List<Sent> sent) {
        final Set<String> keys = new HashSet<>();
        sent.forEach(s -> keys.add(s.key()));
        return keys;
    }

    /** The poison records not (yet) on the DLQ with a reason. */
    static Set<String> missing(List<Sent> sent, List<ConsumerRecord<byte[], byte[]>> dead, Poison poison) {
        final Set<String> found = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : dead) {
            try {
                final DeadLetter letter = poison.serdes.deadLetter().deserializer().deserialize(Topics.DLQ, record.value());
                if (letter.getReason() != null && !letter.getReason().isBlank()) {
                    found.add(letter.getSourceTopic() + "-" + letter.getPartition() + ":" + letter.getOffset());
                }
            } catch (RuntimeException e) {
                // an unreadable dead letter counts as missing
            }
        }
        final Set<String> missing = new HashSet<>();
        for (Sent s : sent) {
            if (!found.contains(s.topic() + "-" + s.partition() + ":" + s.offset())) {
                missing.add(s.key());
            }
        }
        return missing;
    }
}
