package dev.lethe.ledger.archive;

import dev.lethe.ledger.topology.ArchiveSerde;
import dev.lethe.schemas.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's whole copy of the ledger's archive: a plain consumer of {@code erasure.archive}
 * (every partition assigned, no consumer group, {@code read_committed}) into a RocksDB of its own
 * under {@code <state dir>/<application id>-archive}, request id → {@link ArchiveSerde} bytes,
 * decoded on {@link #get}.
 *
 * <p>Each polled batch and the consumer's next position on every partition go into RocksDB in
 * <b>one</b> {@code WriteBatch}, with RocksDB's write-ahead log on: after a {@code kill -9} the
 * copy and its offsets are consistent, and a restart reads only what came after them. (A Kafka
 * Streams global store did not do that on 4.3.1: measured, it re-read the archive from offset 0
 * after every {@code kill -9}, under at-least-once too: see docs/reliability.md.)
 *
 * <p>{@link #start} returns once the copy has caught up with the end of every partition; it keeps
 * following on a thread of its own. The ledger starts it before its own Kafka Streams and closes it
 * after.
 */
public final class ArchiveFollower implements ArchiveView, AutoCloseable {

    /** The follower's folder (and client id) is the ledger's application id with this suffix. */
    public static final String APPLICATION_ID_SUFFIX = "-archive";

    /** Where the follower is. */
    public enum State { STARTING, RUNNING, FAILED, CLOSED }

    /** Where one start found a partition of the archive, and where it caught up to. */
    public record Restore(TopicPartition partition, long from, long to) {
    }

    /** What a follower needs: the brokers, and its folder and client id. */
    public record Settings(String bootstrapServers, Path folder, String clientId) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveFollower.class);
    /** Offsets are kept under keys no request id has: a NUL byte, then the partition number. */
    private static final byte OFFSET_KEY = 0;
    private static final Duration POLL = Duration.ofMillis(200);

    private final Settings settings;
    private final ArchiveSerde serde = new ArchiveSerde();
    private final List<Restore> restores = new CopyOnWriteArrayList<>();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final RocksDB db;
    private final WriteOptions writeOptions = new WriteOptions();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private volatile State state = State.STARTING;
    private volatile boolean stopping;
    private final ReentrantReadWriteLock readers = new ReentrantReadWriteLock();

    static {
        RocksDB.loadLibrary();
    }

    private ArchiveFollower(Settings settings, Runnable onFailed) {
        this.settings = settings;
        try {
            Files.createDirectories(settings.folder());
            try (Options options = new Options().setCreateIfMissing(true)) {
                db = RocksDB.open(options, settings.folder().toString());
            }
        } catch (java.io.IOException | RocksDBException e) {
            throw new IllegalStateException("cannot open the archive copy in " + settings.folder() + ": " + e, e);
        }
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.clientId());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT));
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        thread = new Thread(() -> follow(onFailed), settings.clientId() + "-follower");
        thread.setDaemon(true);
    }

    /**
     * Opens (or creates) the copy, reads the archive from where the copy stopped to the end of every
     * partition and returns; then keeps following. {@code onFailed} runs once if following fails.
     *
     * @throws IllegalStateException when it has not caught up within {@code timeout}
     */
    public static ArchiveFollower start(Settings settings, Duration timeout, Runnable onFailed) {
        final ArchiveFollower follower = new ArchiveFollower(settings, onFailed);
        follower.thread.start();
        try {
            if (!follower.caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    || follower.state != State.RUNNING) {
                throw new IllegalStateException("the archive follower did not catch up within " + timeout
                        + " (it is " + follower.state + ")");
            }
            return follower;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            follower.close();
            throw new IllegalStateException("interrupted while the archive follower started", e);
        } catch (RuntimeException e) {
            follower.close();
            throw e;
        }
    }

    private void follow(Runnable onFailed) {
        try {
            final Map<TopicPartition, Long> end = assignFromCopy();
            while (!stopping) {
                apply(consumer.poll(POLL));
                if (state == State.STARTING && caughtUpTo(end)) {
                    end.forEach((partition, offset) -> LOG.info("archive follower: {} caught up at offset {}",
                            partition, offset));
                    state = State.RUNNING;
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException | RocksDBException e) {
            if (!stopping) {
                LOG.error("the archive follower failed: this instance cannot tell archived requests apart", e);
                final boolean wasRunning = state == State.RUNNING;
                state = State.FAILED;
                caughtUp.countDown();
                // a failure while starting is the start's own exception; a later one stops the instance
                if (wasRunning) {
                    onFailed.run();
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Assigns every partition at the offset the copy holds (else its beginning); returns their ends. */
    private Map<TopicPartition, Long> assignFromCopy() throws RocksDBException {
        final List<TopicPartition> partitions = consumer.partitionsFor(Topics.ARCHIVE, Duration.ofSeconds(30))
                .stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        if (partitions.isEmpty()) {
            throw new IllegalStateException("topic " + Topics.ARCHIVE + " does not exist");
        }
        consumer.assign(partitions);
        final Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
        for (TopicPartition partition : partitions) {
            final byte[] held = db.get(offsetKey(partition.partition()));
            final long from = held == null ? 0L : ByteBuffer.wrap(held).getLong();
            if (held == null) {
                consumer.seekToBeginning(List.of(partition));
            } else {
                consumer.seek(partition, from);
            }
            restores.add(new Restore(partition, from, end.get(partition)));
            LOG.info("archive follower: restoring {} from offset {} to {}", partition, from, end.get(partition));
        }
        return end;
    }

    private boolean caughtUpTo(Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    /** One batch and every partition's next position, in one write. */
    private void apply(ConsumerRecords<byte[], byte[]> records) throws RocksDBException {
        if (records.isEmpty() && state == State.RUNNING) {
            return;
        }
        try (WriteBatch batch = new WriteBatch()) {
            for (ConsumerRecord<byte[], byte[]> record : records) {
                if (record.key() == null || record.key().length == 0 || record.key()[0] == OFFSET_KEY) {
                    continue;
                }
                if (record.value() == null) {
                    batch.delete(record.key());
                } else {
                    batch.put(record.key(), record.value());
                }
            }
            for (TopicPartition partition : consumer.assignment()) {
                batch.put(offsetKey(partition.partition()),
                        ByteBuffer.allocate(Long.BYTES).putLong(consumer.position(partition)).array());
            }
            db.write(writeOptions, batch);
        }
    }

    private static byte[] offsetKey(int partition) {
        return ByteBuffer.allocate(1 + Integer.BYTES).put(OFFSET_KEY).putInt(partition).array();
    }

    /**
     * {@inheritDoc}
     *
     * @throws InvalidStateStoreException while the copy cannot be read (not caught up yet, failed or
     *         closed): the queries answer 503 then, never "not found"
     */
    @Override
    public Archived get(String requestId) {
        // the read lock keeps close() from freeing RocksDB under a read that already passed the state check
        readers.readLock().lock();
        try {
            if (state != State.RUNNING) {
                throw new InvalidStateStoreException("the archive follower is " + state);
            }
            return serde.deserializer().deserialize(Topics.ARCHIVE, db.get(requestId.getBytes(StandardCharsets.UTF_8)));
        } catch (RocksDBException e) {
            throw new InvalidStateStoreException("cannot read the archive copy: " + e.getMessage(), e);
        } finally {
            readers.readLock().unlock();
        }
    }

    public State state() {
        return state;
    }

    /** Where this start found each partition of the archive (the offset the copy held) and its end. */
    public List<Restore> restores() {
        return List.copyOf(restores);
    }

    @Override
    public void close() {
        if (state == State.CLOSED) {
            return;
        }
        stopping = true;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        readers.writeLock().lock();
        try {
            state = State.CLOSED;
            writeOptions.close();
            db.close();
        } finally {
            readers.writeLock().unlock();
        }
        LOG.info("archive follower of {} closed", settings.clientId());
    }
}
