package dev.lethe.schemas.crypto;

import dev.lethe.avro.DataKey;
import dev.lethe.schemas.LetheSerdes;
import dev.lethe.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wrapped data keys of {@code erasure.keys}, read into memory by one consumer thread (every
 * partition assigned, from the earliest offset, read_committed, no group): what the executors and
 * the gateway open sealed identifiers with. A tombstone removes a key. {@link #find} of a request
 * it does not hold yet first waits (bounded) until the thread has read up to the end offsets the
 * topic had at the call, so a key committed before the call is always found.
 */
public final class KeyRing implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KeyRing.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Map<String, KeyWrapper.Wrapped> keys = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaConsumer<byte[], byte[]> endReader;
    private final LetheSerdes serdes;
    private final KeyWrapper wrapper;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private volatile List<TopicPartition> partitions = List.of();

    private KeyRing(String bootstrapServers, LetheSerdes serdes, KeyWrapper wrapper) {
        this.serdes = serdes;
        this.wrapper = wrapper;
        this.consumer = new KafkaConsumer<>(properties(bootstrapServers), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        this.endReader = new KafkaConsumer<>(properties(bootstrapServers), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "lethe-keyring");
        this.thread.setDaemon(true);
    }

    /** Starts reading {@code erasure.keys} (once it exists: the ledger creates it). */
    public static KeyRing start(String bootstrapServers, LetheSerdes serdes, KeyWrapper wrapper) {
        final KeyRing ring = new KeyRing(bootstrapServers, serdes, wrapper);
        ring.thread.start();
        return ring;
    }

    /** Assigns every partition of the topic once it exists; false while it does not. */
    private boolean assigned() {
        if (!partitions.isEmpty()) {
            return true;
        }
        final List<TopicPartition> found;
        try {
            found = consumer.partitionsFor(Topics.KEYS, Duration.ofSeconds(5)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            return false;
        }
        if (found.isEmpty()) {
            return false;
        }
        consumer.assign(found);
        consumer.seekToBeginning(found);
        partitions = found;
        return true;
    }

    private static Properties properties(String bootstrapServers) {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return props;
    }

    private void run() {
        try {
            while (running.get()) {
                if (!assigned()) {
                    synchronized (this) {
                        wait(POLL.toMillis());
                    }
                    continue;
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    apply(record);
                }
                for (TopicPartition tp : partitions) {
                    positions.put(tp, consumer.position(tp));
                }
                synchronized (this) {
                    notifyAll();
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("the key ring stopped reading {}: {}", Topics.KEYS, e.toString());
            throw e;
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        final String requestId;
        try {
            requestId = serdes.key().deserialize(Topics.KEYS, record.key());
        } catch (SerializationException e) {
            LOG.warn("skipped {}-{}@{}: the key is not a request id", record.topic(), record.partition(),
                    record.offset());
            return;
        }
        if (record.value() == null) {
            keys.remove(requestId);
            return;
        }
        try {
            final DataKey key = serdes.dataKey().deserialize(Topics.KEYS, record.value());
            keys.put(requestId, new KeyWrapper.Wrapped(key.getKekId(), Sealing.bytes(key.getWrapped())));
        } catch (SerializationException e) {
            LOG.warn("skipped {}-{}@{}: not a data key", record.topic(), record.partition(), record.offset());
        }
    }

    /**
     * The request's data key in the clear, or empty when it was never issued or has been destroyed.
     *
     * @throws SealException when the key is there but its KEK is not configured
     */
    public Optional<byte[]> find(String requestId, Duration wait) {
        KeyWrapper.Wrapped wrapped = keys.get(requestId);
        if (wrapped == null) {
            awaitCaughtUp(wait);
            wrapped = keys.get(requestId);
        }
        return wrapped == null ? Optional.empty() : Optional.of(wrapper.unwrap(wrapped));
    }

    /**
     * As {@link #find}, but an empty answer is only given once this ring has read {@code erasure.keys}
     * up to its end: when it could not within {@code wait} (it is starting, or the brokers are slow),
     * whether the key was never issued or destroyed is not known yet.
     *
     * @throws NotCaughtUpException when the key is not held and the ring is not caught up
     * @throws SealException when the key is there but its KEK is not configured
     */
    public Optional<byte[]> findCaughtUp(String requestId, Duration wait) {
        KeyWrapper.Wrapped wrapped = keys.get(requestId);
        if (wrapped == null) {
            final boolean caughtUp;
            try {
                caughtUp = awaitCaughtUp(wait);
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                throw new NotCaughtUpException("the ends of " + Topics.KEYS + " could not be read within " + wait);
            }
            wrapped = keys.get(requestId);
            if (wrapped == null && !caughtUp) {
                throw new NotCaughtUpException(Topics.KEYS + " was not read up to its end within " + wait);
            }
        }
        return wrapped == null ? Optional.empty() : Optional.of(wrapper.unwrap(wrapped));
    }

    /** This ring has not read {@code erasure.keys} up to its end yet: ask again later. */
    public static final class NotCaughtUpException extends RuntimeException {
        public NotCaughtUpException(String message) {
            super(message);
        }
    }

    /** Whether the ring read every partition up to the end it had when called, within {@code wait}. */
    private boolean awaitCaughtUp(Duration wait) {
        if (partitions.isEmpty()) {
            return false;
        }
        final Map<TopicPartition, Long> ends;
        synchronized (endReader) {
            ends = endReader.endOffsets(partitions, wait);
        }
        final long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline && thread.isAlive()) {
            synchronized (this) {
                if (ends.entrySet().stream().allMatch(e -> positions.getOrDefault(e.getKey(), 0L) >= e.getValue())) {
                    return true;
                }
                try {
                    wait(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (endReader) {
            endReader.close(Duration.ofSeconds(5));
        }
    }
}
