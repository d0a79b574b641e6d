package dev.lethe.standalone.cli;

import dev.lethe.schemas.LetheSerdes;
import dev.lethe.schemas.registry.RestSchemaRegistryClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a whole Lethe topic straight from Kafka, independently of the running services: every
 * partition from its beginning up to the end offsets captured when the read starts (committed
 * records only), so that the result is consistent to a stated point in the topic. No consumer
 * group is joined and no offset is committed.
 */
final class TopicReads {

    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String bootstrapServers;
    private final LetheSerdes serdes;

    TopicReads(String bootstrapServers, String schemaRegistryUrl) {
        this.bootstrapServers = bootstrapServers;
        this.serdes = new LetheSerdes(new RestSchemaRegistryClient(schemaRegistryUrl));
    }

    LetheSerdes serdes() {
        return serdes;
    }

    /** Where a read stops: each partition's end offset when it started; {@code span} the offsets to read up to there. */
    record Point(String topic, Map<Integer, Long> endOffsets, long span) {

        @Override
        public String toString() {
            return topic + " at offsets " + endOffsets.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(","));
        }
    }

    /**
     * What a read calls back: the point it reads up to (once, first), then each record in offset
     * order per partition, and after each poll how many offsets it moved on (records, and the
     * transaction markers and compacted gaps between them).
     */
    interface Reader<V> {
        void start(Point point);

        void record(ConsumerRecord<String, V> record);

        void advanced(long offsets);
    }

    /** Reads {@code topic} up to its end offsets as they are now, decoding values with {@code values}. */
    <V> Point read(String topic, Deserializer<V> values, Reader<V> reader) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties(),
                serdes.key().deserializer(), new ByteArrayDeserializer())) {
            final List<PartitionInfo> infos = consumer.partitionsFor(topic, TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist on " + bootstrapServers);
            }
            final List<TopicPartition> partitions = new ArrayList<>();
            infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
            final Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions, TIMEOUT);
            final Map<Integer, Long> byPartition = new HashMap<>();
            ends.forEach((tp, offset) -> byPartition.put(tp.partition(), offset));
            final long span = ends.entrySet().stream().mapToLong(e -> e.getValue() - starts.get(e.getKey())).sum();
            final Point point = new Point(topic, Map.copyOf(byPartition), span);
            reader.start(point);
            drain(consumer, starts, ends, reader::advanced, record -> reader.record(new ConsumerRecord<>(record.topic(),
                    record.partition(), record.offset(), record.key(), record.value() == null ? null
                    : values.deserialize(topic, record.value()))));
            return point;
        }
    }

    private static void drain(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> starts,
                              Map<TopicPartition, Long> ends, java.util.function.LongConsumer advanced,
                              Consumer<ConsumerRecord<String, byte[]>> each) {
        final Map<TopicPartition, Long> at = new HashMap<>(starts);
        final List<TopicPartition> open = new ArrayList<>(ends.keySet());
        open.removeIf(tp -> consumer.position(tp, TIMEOUT) >= ends.get(tp));
        consumer.pause(ends.keySet().stream().filter(tp -> !open.contains(tp)).toList());
        while (!open.isEmpty()) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                final TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                if (record.offset() < ends.get(tp)) {
                    each.accept(record);
                }
            }
            long moved = 0;
            for (TopicPartition tp : List.copyOf(open)) {
                final long position = Math.min(consumer.position(tp, TIMEOUT), ends.get(tp));
                moved += position - at.put(tp, position);
                if (position >= ends.get(tp)) {
                    open.remove(tp);
                    consumer.pause(List.of(tp));
                }
            }
            advanced.accept(moved);
        }
    }

    private Properties properties() {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "lethe-cli-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        return props;
    }
}
