package dev.lethe.ledger.notify;

import dev.lethe.avro.Notification;
import dev.lethe.schemas.LetheSerdes;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer every reader of {@code erasure.notifications} uses: its own group, read_committed
 * (only notifications of committed ledger transactions), offsets committed by the reader after it
 * handled each record, from the earliest offset for a new group.
 */
final class NotificationConsumers {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationConsumers.class);

    private NotificationConsumers() {
    }

    /** A consumer in {@code group} taking at most {@code maxPollRecords} per poll, each poll's work within {@code maxPollInterval}. */
    static KafkaConsumer<byte[], byte[]> create(String bootstrapServers, String group, int maxPollRecords,
                                                Duration maxPollInterval) {
        final Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords,
                ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, maxPollInterval.toMillis()));
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The notification {@code record} holds; null for a tombstone or, logged, for one that cannot be read (skipped). */
    static Notification read(LetheSerdes serdes, ConsumerRecord<byte[], byte[]> record) {
        try {
            return serdes.notification().deserialize(record.topic(), record.value());
        } catch (SerializationException e) {
            LOG.warn("skipping notification {}-{}@{} that cannot be read: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return null;
        }
    }
}
