package dev.lethe.ledger;

import dev.lethe.schemas.Topics;
import dev.lethe.schemas.serde.KeySerde;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Refuses to start the ledger on data laid out by a Lethe version that keyed every topic by a
 * Confluent-Avro string. That version kept each request on the partition of its Avro key bytes;
 * this one keeps it on the partition of its UTF-8 text ({@link dev.lethe.schemas.serde.CanonicalPartition}),
 * so it would never find most open requests of the old layout again and would leave them open
 * without a word. Refusing is the simple safe answer; moving those requests is not attempted.
 *
 * <p>The evidence is {@code erasure.audit}, which only the ledger writes (a fact per transition,
 * kept ten years): when the newest record of every non-empty partition is keyed by a
 * Confluent-Avro string, the previous version wrote last and this one never has. An empty topic,
 * or one where this version has written a fact (a text key), passes.
 */
public final class KeyLayoutCheck {

    static final String OLD_LAYOUT = Topics.AUDIT + " was written by a Lethe version that keyed records as"
            + " Confluent-Avro strings and placed requests by those bytes; this version keys them as UTF-8 text and"
            + " cannot find that version's requests: start it on empty topics (standalone: a new LETHE_DATA_DIR)"
            + " and keep the previous version, with its data, for the requests it holds";
    private static final int FIRST_WINDOW = 16;
    private static final Duration POLL = Duration.ofMillis(100);
    private static final int FETCH_WAIT_MS = 20;

    private KeyLayoutCheck() {
    }

    /** Throws {@link IllegalStateException} with one line saying what to do if the cluster holds the old layout. */
    public static void verify(String bootstrapServers, Duration timeout) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // a few short reads at each partition's end, on every start: no point waiting for more data
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, FETCH_WAIT_MS),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            problem(lastKeys(consumer, Topics.AUDIT, timeout)).ifPresent(problem -> {
                throw new IllegalStateException(problem);
            });
        }
    }

    /** The refusal, if {@code lastKeys} (the newest key of each non-empty partition) show the old layout only. */
    static Optional<String> problem(List<byte[]> lastKeys) {
        final boolean text = lastKeys.stream().anyMatch(k -> k != null && KeySerde.form(k) == KeySerde.Form.TEXT);
        final boolean avro = lastKeys.stream()
                .anyMatch(k -> k != null && KeySerde.form(k) == KeySerde.Form.CONFLUENT_AVRO);
        return avro && !text ? Optional.of(OLD_LAYOUT) : Optional.empty();
    }

    /** The key of the newest record of each non-empty partition of {@code topic}. */
    static List<byte[]> lastKeys(Consumer<byte[], byte[]> consumer, String topic, Duration timeout) {
        final Instant deadline = Instant.now().plus(timeout);
        final List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        final Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions, timeout);
        final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
        final List<byte[]> keys = new ArrayList<>();
        for (TopicPartition partition : partitions) {
            if (ends.get(partition) > begins.get(partition)) {
                lastRecord(consumer, partition, begins.get(partition), ends.get(partition), deadline)
                        .ifPresent(record -> keys.add(record.key()));
            }
        }
        return keys;
    }

    /**
     * The newest data record before {@code end}: reads a window before the end, widening it while
     * it holds only transaction markers, up to {@code begin}.
     */
    private static Optional<ConsumerRecord<byte[], byte[]>> lastRecord(Consumer<byte[], byte[]> consumer,
            TopicPartition partition, long begin, long end, Instant deadline) {
        consumer.assign(List.of(partition));
        long window = FIRST_WINDOW;
        while (true) {
            final long from = Math.max(begin, end - window);
            consumer.seek(partition, from);
            ConsumerRecord<byte[], byte[]> last = null;
            while (consumer.position(partition) < end) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("cannot read " + partition + " to check the key layout in time");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    if (record.offset() < end) {
                        last = record;
                    }
                }
            }
            if (last != null || from == begin) {
                return Optional.ofNullable(last);
            }
            window *= 8;
        }
    }
}
