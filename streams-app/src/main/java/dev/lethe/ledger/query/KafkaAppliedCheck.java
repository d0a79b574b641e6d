package dev.lethe.ledger.query;

import dev.lethe.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@link AppliedCheck} against the broker: reads (read_committed) the records after the applied
 * offset up to the partition's last stable offset and looks for the key. More than
 * {@link #MAX_RECORDS} records or {@link #LIMIT} of reading counts as "may be pending". Used only
 * on the "not found" path, so one consumer, used one call at a time, is enough.
 */
public final class KafkaAppliedCheck implements AppliedCheck, AutoCloseable {

    static final int MAX_RECORDS = 10_000;
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration LIMIT = Duration.ofSeconds(3);

    private final KafkaConsumer<byte[], byte[]> consumer;

    public KafkaAppliedCheck(String bootstrapServers) {
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public synchronized boolean pending(int partition, Long appliedOffset, byte[] key) {
        final TopicPartition tp = new TopicPartition(Topics.REQUESTS, partition);
        final long end = consumer.endOffsets(Set.of(tp)).get(tp);
        final long from = appliedOffset == null ? consumer.beginningOffsets(Set.of(tp)).get(tp) : appliedOffset + 1;
        if (from >= end) {
            return false;
        }
        if (end - from > MAX_RECORDS) {
            return true;
        }
        consumer.assign(List.of(tp));
        consumer.seek(tp, from);
        final Instant giveUp = Instant.now().plus(LIMIT);
        while (consumer.position(tp) < end) {
            if (Instant.now().isAfter(giveUp)) {
                return true;
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                if (record.offset() < end && Arrays.equals(record.key(), key)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public synchronized void close() {
        consumer.close();
    }
}
