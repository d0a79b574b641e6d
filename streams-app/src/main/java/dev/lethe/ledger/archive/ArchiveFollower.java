package dev.lethe.ledger.archive;

import dev.lethe.ledger.topology.ArchiveSerde;
import dev.lethe.ledger.topology.LedgerNames;
import dev.lethe.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's whole copy of the ledger's archive: a Kafka Streams application of its own
 * ({@code <application id>-archive}) whose topology is one global store, {@code archive}, over
 * {@code erasure.archive} (request id → {@link ArchiveSerde} bytes, decoded on {@link #get}).
 *
 * <p>A global-only topology runs no stream thread and joins no consumer group (Kafka Streams sets
 * the thread count to zero). It runs {@code at_least_once}: it only reads, so it needs no
 * transaction, and under at-least-once Kafka Streams 4.3.1 keeps a global store's checkpoint file
 * while it runs (under exactly-once it deletes it at start and wipes the store after an unclean
 * stop), so after a {@code kill -9} it restores only from its last checkpoint, not from the start
 * of the topic. The ledger starts it, and waits until it is RUNNING (its store restored to the end
 * of the topic), before its own Kafka Streams starts, and closes it after.
 */
public final class ArchiveFollower implements ArchiveView, AutoCloseable {

    /** The follower's application id is the ledger's with this suffix. */
    public static final String APPLICATION_ID_SUFFIX = "-archive";

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveFollower.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    /** Where one restore of a partition of the archive began and ended. */
    public record Restore(TopicPartition partition, long from, long to) {
    }

    private final KafkaStreams streams;
    private final ArchiveSerde serde = new ArchiveSerde();
    private final List<Restore> restores = new CopyOnWriteArrayList<>();
    private volatile ReadOnlyKeyValueStore<String, byte[]> store;

    private ArchiveFollower(Properties props) {
        this.streams = new KafkaStreams(buildTopology(), props);
    }

    /** The follower's topology: the global store {@code archive} over {@code erasure.archive}. */
    public static Topology buildTopology() {
        final Topology topology = new Topology();
        topology.addGlobalStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LedgerNames.ARCHIVE_STORE),
                        Serdes.String(), Serdes.ByteArray()).withLoggingDisabled(),
                LedgerNames.ARCHIVE_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                Topics.ARCHIVE, LedgerNames.ARCHIVE_PROCESSOR, Updater::new);
        return topology;
    }

    /**
     * Starts a follower with {@code props} (the ledger's {@code LedgerConfig#archiveProperties()})
     * and returns once it is RUNNING; {@code onFailed} runs once if it later stops for good (ERROR).
     *
     * @throws IllegalStateException when it is not RUNNING within {@code timeout}
     */
    public static ArchiveFollower start(Properties props, Duration timeout, Runnable onFailed) {
        final ArchiveFollower follower = new ArchiveFollower(props);
        try {
            follower.run(timeout, onFailed);
            return follower;
        } catch (RuntimeException e) {
            follower.close();
            throw e;
        }
    }

    private void run(Duration timeout, Runnable onFailed) {
        final CountDownLatch settled = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING || now == KafkaStreams.State.ERROR
                    || now == KafkaStreams.State.NOT_RUNNING) {
                settled.countDown();
            }
            if (now == KafkaStreams.State.ERROR) {
                LOG.error("the archive follower stopped (ERROR): this instance cannot tell archived requests apart");
                onFailed.run();
            }
        });
        streams.setGlobalStateRestoreListener(new RestoreLog());
        streams.start();
        try {
            if (!settled.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the archive follower is not RUNNING after " + timeout
                        + " (it is " + streams.state() + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the archive follower started", e);
        }
        if (streams.state() != KafkaStreams.State.RUNNING) {
            throw new IllegalStateException("the archive follower did not start: it is " + streams.state());
        }
        store = streams.store(StoreQueryParameters.fromNameAndType(LedgerNames.ARCHIVE_STORE,
                QueryableStoreTypes.keyValueStore()));
    }

    @Override
    public Archived get(String requestId) {
        final ReadOnlyKeyValueStore<String, byte[]> held = store;
        if (held == null) {
            throw new IllegalStateException("the archive follower is not running");
        }
        return serde.deserializer().deserialize(Topics.ARCHIVE, held.get(requestId));
    }

    /** The follower's Kafka Streams client (its state, for the probes). */
    public KafkaStreams streams() {
        return streams;
    }

    /** Every restore of a partition of the archive since the start, in order (where each began). */
    public List<Restore> restores() {
        return List.copyOf(restores);
    }

    @Override
    public void close() {
        store = null;
        streams.close(CLOSE_TIMEOUT);
    }

    /** Logs where each partition's restore began: from its checkpoint after a restart, not from 0. */
    private final class RestoreLog implements StateRestoreListener {

        @Override
        public void onRestoreStart(TopicPartition partition, String storeName, long startingOffset, long endingOffset) {
            restores.add(new Restore(partition, startingOffset, endingOffset));
            LOG.info("archive follower: restoring {} from offset {} to {}", partition, startingOffset, endingOffset);
        }

        @Override
        public void onBatchRestored(TopicPartition partition, String storeName, long batchEndOffset, long numRestored) {
            // progress only
        }

        @Override
        public void onRestoreEnd(TopicPartition partition, String storeName, long totalRestored) {
            LOG.info("archive follower: {} restored ({} records)", partition, totalRestored);
        }
    }

    /** Keeps the global store in step with the topic: an archived request's bytes, or a tombstone. */
    private static final class Updater extends ContextualProcessor<String, byte[], Void, Void> {

        private KeyValueStore<String, byte[]> archive;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            super.init(context);
            archive = context.getStateStore(LedgerNames.ARCHIVE_STORE);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            if (record.key() == null) {
                return;
            }
            if (record.value() == null) {
                archive.delete(record.key());
            } else {
                archive.put(record.key(), record.value());
            }
        }
    }
}
