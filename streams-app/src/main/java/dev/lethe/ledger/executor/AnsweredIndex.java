package dev.lethe.ledger.executor;

import dev.lethe.avro.CallbackOutcome;
import dev.lethe.avro.SystemCallback;
import dev.lethe.schemas.LetheSerdes;
import dev.lethe.schemas.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which (request, system) pairs this executor has already answered with a final outcome, so a
 * reminder for one of them is not acted on again. The source of truth is {@code erasure.callbacks}
 * itself: on start the index reads every partition (read_committed, no consumer group) up to its
 * end and keeps the pairs whose actor is this executor; afterwards it follows the topic with
 * {@link #refresh()} and learns its own answers at once through {@link #add}. Memory holds one
 * short string per answered pair within the topic's retention.
 */
final class AnsweredIndex implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AnsweredIndex.class);

    private final Consumer<byte[], byte[]> consumer;
    private final LetheSerdes serdes;
    private final String actor;
    private final Set<String> answered = new HashSet<>();

    /** @param consumer a consumer without group (see {@link #consumer}); the index owns and closes it */
    AnsweredIndex(Consumer<byte[], byte[]> consumer, LetheSerdes serdes, String actor) {
        this.consumer = consumer;
        this.serdes = serdes;
        this.actor = actor;
    }

    /** The index's consumer: read_committed, no consumer group, no commits. */
    static Consumer<byte[], byte[]> consumer(Map<String, Object> kafka) {
        final Map<String, Object> props = new HashMap<>(kafka);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Reads every callback partition from the beginning up to its current end. */
    void catchUp(Duration timeout) {
        final List<TopicPartition> partitions = consumer.partitionsFor(Topics.CALLBACKS, timeout).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + Topics.CALLBACKS + " to its end within " + timeout);
            }
            refresh(Duration.ofMillis(200));
        }
        LOG.info("{} has answered {} (request, system) pairs so far", actor, answered.size());
    }

    /** Takes in whatever callbacks arrived since the last call. */
    void refresh(Duration wait) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(wait)) {
            try {
                final SystemCallback callback = serdes.callback().deserialize(Topics.CALLBACKS, record.value());
                if (callback != null && actor.equals(callback.getActor()) && callback.getOutcome() != CallbackOutcome.PROGRESS) {
                    add(callback.getRequestId(), callback.getSystem());
                }
            } catch (SerializationException e) {
                LOG.debug("skipping an unreadable callback at offset {}", record.offset());
            }
        }
    }

    void add(String requestId, String system) {
        answered.add(requestId + '\u0000' + system);
    }

    boolean answered(String requestId, String system) {
        return answered.contains(requestId + '\u0000' + system);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
