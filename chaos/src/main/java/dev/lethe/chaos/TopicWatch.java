package dev.lethe.chaos;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads what was written to some topics between two moments: {@link #mark()} notes their end
 * offsets, {@link #since()} reads every committed record after the mark up to the current end.
 */
public final class TopicWatch {

    private final String bootstrap;
    private final List<String> topics;
    private Map<TopicPartition, Long> marks = Map.of();

    public TopicWatch(String bootstrap, List<String> topics) {
        this.bootstrap = bootstrap;
        this.topics = List.copyOf(topics);
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
    }

    private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer) {
        final List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        return partitions;
    }

    public TopicWatch mark() {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            marks = new HashMap<>(consumer.endOffsets(partitions(consumer), Duration.ofSeconds(30)));
        }
        return this;
    }

    /** Every record written after the mark, by topic. */
    public Map<String, List<ConsumerRecord<byte[], byte[]>>> since() {
        final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            final List<TopicPartition> partitions = partitions(consumer);
            final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            consumer.assign(partitions);
            for (TopicPartition partition : partitions) {
                consumer.seek(partition, marks.getOrDefault(partition, 0L));
            }
            final long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (System.nanoTime() < deadline && partitions.stream()
                    .anyMatch(p -> consumer.position(p, Duration.ofSeconds(30)) < ends.get(p))) {
                consumer.poll(Duration.ofMillis(300)).forEach(records::add);
            }
        }
        return records.stream().collect(Collectors.groupingBy(ConsumerRecord::topic));
    }

    static String key(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
    }
}
