package dev.lethe.standalone.registry;

import dev.lethe.schemas.TopicProvisioner;
import dev.lethe.schemas.TopicSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The registry's durable state: a compacted, single-partition Kafka topic holding one record per
 * subject version and one per subject's compatibility level. {@link #readAll()} replays it from
 * the beginning to its current end; {@link #append(LogRecord)} returns only once the broker has acknowledged the write
 * ({@code acks=all}), so an id handed out has been stored first.
 */
final class SchemaLog implements AutoCloseable {

    static final String TOPIC = "_schemas";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);

    private final String bootstrapServers;
    private final Duration timeout;
    private final KafkaProducer<String, String> producer;

    SchemaLog(String bootstrapServers, Duration timeout) {
        this.bootstrapServers = bootstrapServers;
        this.timeout = timeout;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
    }

    /** The topic: compacted, one partition (a total order of registrations), replication 1. */
    static TopicSpec topicSpec() {
        return new TopicSpec(TOPIC, 1, (short) 1,
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }

    /** Creates the topic if it is missing and waits until it can be written. */
    void provision() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            new TopicProvisioner(admin, timeout).ensure(List.of(topicSpec()));
        }
    }

    /** Every record from the beginning of the topic up to its end as of this call, in order. */
    List<LogRecord> readAll() {
        final List<LogRecord> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false))) {
            consumer.assign(List.of(PARTITION));
            consumer.seekToBeginning(List.of(PARTITION));
            final long end = consumer.endOffsets(List.of(PARTITION), timeout).get(PARTITION);
            final Instant deadline = Instant.now().plus(timeout);
            while (consumer.position(PARTITION, timeout) < end) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("could not read topic " + TOPIC + " to offset " + end
                            + " within " + timeout);
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    LogRecord.parse(record.key(), record.value()).ifPresent(records::add);
                }
            }
        }
        return records;
    }

    /** Writes {@code record} and waits for the broker's acknowledgement. */
    void append(LogRecord record) {
        try {
            producer.send(new ProducerRecord<>(TOPIC, record.key(), record.value()))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not store " + record.key()
                    + " in topic " + TOPIC + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("storing " + record.key() + " in topic " + TOPIC
                    + " was not acknowledged within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing a schema", e);
        }
    }

    @Override
    public void close() {
        producer.close(timeout);
    }
}
