package dev.lethe.ledger.query;

import dev.lethe.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@link AppliedCheck} against the broker: reads (read_committed) the records between the
 * ledger's committed offset (its consumer group is the application id) and the partition's
 * end, looking for the key. The end is the high watermark, not the last stable offset: while a
 * transaction is open on the partition (the ledger's own re-routing writes there inside its
 * transactions), the last stable offset stops before it, and so before records acknowledged after
 * it; reading cannot pass the open transaction either, so such a record counts as "may be pending"
 * until the transaction ends. A record before the committed offset has been applied
 * and committed together with the store (exactly-once), so the store's answer stands. More than
 * {@link #MAX_RECORDS} records, or {@link #LIMIT} of reading, counts as "may be pending". Used only
 * on the "not found" path, so one consumer, used one call at a time, is enough. {@link #endOffset}
 * asks the broker through the (thread-safe) admin client, concurrently with that.
 */
public final class KafkaAppliedCheck implements AppliedCheck, AutoCloseable {

    static final int MAX_RECORDS = 10_000;
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration LIMIT = Duration.ofSeconds(3);
    private static final Duration END_OFFSET_LIMIT = Duration.ofSeconds(1);

    private final String applicationId;
    private final Admin admin;
    private final KafkaConsumer<byte[], byte[]> consumer;

    public KafkaAppliedCheck(String bootstrapServers, String applicationId) {
        this.applicationId = applicationId;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The partition's high watermark: past every acknowledged record, open transactions included. */
    @Override
    public long endOffset(int partition) {
        final TopicPartition tp = new TopicPartition(Topics.REQUESTS, partition);
        try {
            return admin.listOffsets(Map.of(tp, OffsetSpec.latest()),
                            new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED))
                    .partitionResult(tp).get(END_OFFSET_LIMIT.toMillis(), TimeUnit.MILLISECONDS).offset();
        } catch (ExecutionException | TimeoutException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public synchronized boolean pending(int partition, byte[] key) {
        final TopicPartition tp = new TopicPartition(Topics.REQUESTS, partition);
        final long end = endOffset(partition);
        if (end < 0) {
            return true;
        }
        final Long committed = committed(tp);
        if (committed == null) {
            return true;
        }
        final long from = Math.max(committed, consumer.beginningOffsets(Set.of(tp)).get(tp));
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

    /** The ledger's committed offset on {@code tp}: 0 when it never committed one, null when unknown. */
    private Long committed(TopicPartition tp) {
        try {
            final Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(applicationId)
                    .partitionsToOffsetAndMetadata().get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            final OffsetAndMetadata offset = offsets.get(tp);
            return offset == null ? 0L : offset.offset();
        } catch (ExecutionException | TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public synchronized void close() {
        consumer.close();
        admin.close();
    }
}
