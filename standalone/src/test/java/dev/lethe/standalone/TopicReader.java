package dev.lethe.standalone;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads topics the way an auditor would: {@code read_committed}, from the beginning, up to the
 * last stable offset of every partition at the time of the call, so that what is returned is
 * exactly what committed transactions and plain writes left in the log. Also answers "has the
 * streams app consumed and committed everything that was written to its inputs".
 */
final class TopicReader {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private TopicReader() {
    }

    /** Every committed record of {@code topic}, in offset order within each partition. */
    static <K, V> List<ConsumerRecord<K, V>> readAll(String bootstrapServers, String topic,
                                                     Deserializer<K> keys, Deserializer<V> values) {
        final Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        final List<ConsumerRecord<K, V>> records = new ArrayList<>();
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(config, keys, values)) {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            final Instant deadline = Instant.now().plus(READ_TIMEOUT);
            while (!reachedEnd(consumer, ends)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("could not read " + topic + " up to " + ends + " within " + READ_TIMEOUT);
                }
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
        }
        return records;
    }

    private static boolean reachedEnd(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
    }

    /** The sum of the latest offsets of every partition of {@code topic}. */
    static long endOffsetSum(Admin admin, String topic) {
        return endOffsets(admin, List.of(topic)).values().stream().mapToLong(Long::longValue).sum();
    }

    /** The latest offset of every partition of {@code topics}. */
    static Map<TopicPartition, Long> endOffsets(Admin admin, Collection<String> topics) {
        try {
            final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get().forEach((name, description) ->
                    description.partitions().forEach(p -> latest.put(new TopicPartition(name, p.partition()),
                            OffsetSpec.latest())));
            return admin.listOffsets(latest).all().get().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot list offsets of " + topics, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until consumer group {@code groupId} (a streams application id) has committed, for
     * every partition of {@code inputs}, the latest offset there now. Under exactly-once the
     * offsets commit in the same transaction as the outputs, so afterwards every output caused
     * by these inputs is committed too.
     */
    static void awaitConsumed(Admin admin, String groupId, Set<String> inputs, Duration timeout) {
        final Map<TopicPartition, Long> ends = endOffsets(admin, inputs);
        await("application " + groupId + " has consumed and committed " + ends)
                .atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(() -> committedUpTo(admin, groupId, ends));
    }

    private static boolean committedUpTo(Admin admin, String groupId, Map<TopicPartition, Long> ends)
            throws ExecutionException, InterruptedException {
        final Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
        return ends.entrySet().stream().allMatch(end -> {
            final OffsetAndMetadata offset = committed.get(end.getKey());
            return (offset == null ? 0L : offset.offset()) >= end.getValue();
        });
    }
}
