package dev.lethe.bench;

import dev.lethe.avro.SystemRegistration;
import dev.lethe.ledger.LedgerConfig;
import dev.lethe.ledger.domain.LedgerPolicy;
import dev.lethe.schemas.systems.SystemsJson;
import dev.lethe.ledger.topology.LedgerNames;
import dev.lethe.ledger.topology.AppliedOffsets;
import dev.lethe.ledger.topology.LedgerTopology;
import dev.lethe.schemas.LetheSerdes;
import dev.lethe.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.awaitility.Awaitility;

/**
 * The ledger topology ({@link LedgerTopology#buildTopology}) with the ledger's own streams
 * settings ({@link LedgerConfig#streamsProperties()}), started without the query server so that
 * the time to rebuild the {@code ledger} store from its changelog can be observed: {@link #start}
 * returns once the client is RUNNING and at least {@code expectedRestored} records were restored.
 */
public final class BenchLedger implements AutoCloseable {

    private final KafkaStreams streams;
    private final Duration startTime;
    private final long restored;

    private BenchLedger(KafkaStreams streams, Duration startTime, long restored) {
        this.streams = streams;
        this.startTime = startTime;
        this.restored = restored;
    }

    public static BenchLedger start(BenchCluster cluster, LedgerConfig config, long expectedRestored,
                                    Duration timeout) {
        final AtomicLong restored = new AtomicLong();
        final KafkaStreams streams = new KafkaStreams(LedgerTopology.buildTopology(cluster.serdes(),
                config.subjectKeys(), LedgerPolicy.defaults(), new AppliedOffsets(), config.topicSettings().partitions(),
                config.privacy()), config.streamsProperties());
        streams.setGlobalStateRestoreListener(new Counting(restored));
        final long t0 = System.nanoTime();
        Running.start(streams, timeout);
        try {
            Awaitility.await("the ledger store to be restored").atMost(timeout).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(20)).until(() -> restored.get() >= expectedRestored);
        } catch (RuntimeException e) {
            streams.close(Duration.ofSeconds(30));
            throw e;
        }
        return new BenchLedger(streams, Duration.ofNanos(System.nanoTime() - t0), restored.get());
    }

    /** Registers the cluster's systems (what {@code LedgerApp} does with the systems file). */
    public static void publishSystems(BenchCluster cluster, LedgerConfig config) throws Exception {
        final LetheSerdes serdes = cluster.serdes();
        final List<SystemRegistration> systems = SystemsJson.readFile(config.systemsFile().orElseThrow());
        try (KafkaProducer<String, SystemRegistration> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), serdes.key().serializer(), serdes.system().serializer())) {
            for (SystemRegistration system : systems) {
                producer.send(new ProducerRecord<>(Topics.SYSTEMS, system.getName(), system)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** From start to RUNNING with the store restored. */
    public Duration startTime() {
        return startTime;
    }

    public long restored() {
        return restored;
    }

    /** Stops and leaves the group, so that the next instance with this application id gets the tasks at once. */
    @Override
    public void close() {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(60)));
    }

    /** Counts the records restored into the ledger store. */
    private record Counting(AtomicLong restored) implements StateRestoreListener {

        @Override
        public void onRestoreStart(TopicPartition partition, String store, long startOffset, long endOffset) {
        }

        @Override
        public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long count) {
            if (LedgerNames.LEDGER_STORE.equals(store)) {
                restored.addAndGet(count);
            }
        }

        @Override
        public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
        }
    }
}
