package dev.lethe.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.avro.AuditFact;
import dev.lethe.ledger.archive.ArchiveFollower;
import dev.lethe.ledger.archive.ArchiveView.Archived;
import dev.lethe.ledger.domain.Portal;
import dev.lethe.ledger.domain.RequestState;
import dev.lethe.ledger.domain.RequestStatus;
import dev.lethe.ledger.domain.Scope;
import dev.lethe.ledger.domain.SystemStatus;
import dev.lethe.ledger.domain.SystemTarget;
import dev.lethe.ledger.topology.ArchiveSerde;
import dev.lethe.ledger.topology.AuditChain;
import dev.lethe.schemas.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/**
 * The archive follower on its own against a real broker: {@code awaitCaughtUp} is a barrier on what
 * was committed to {@code erasure.archive} before it, a value the ledger did not write is not kept
 * (and one already held is a 503, never a 500), a held offset the topic does not have fails the
 * follower rather than skipping, and its RocksDB is opened with bounded memory and a bloom filter.
 */
@Tag("integration")
class ArchiveFollowerIntegrationTest {

    private static final Instant T = Instant.parse("2026-03-01T09:00:00.123Z");
    private static final Duration START = Duration.ofSeconds(60);
    private static final ArchiveSerde SERDE = new ArchiveSerde();

    @TempDir
    static Path dir;

    private static ItCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = ItCluster.brokerOnly(dir);
        cluster.admin().createTopics(List.of(new NewTopic(Topics.ARCHIVE, 2, (short) 1)
                .configs(Map.of("cleanup.policy", "compact")))).all().get(60, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldHoldARecordCommittedBeforeAwaitCaughtUpWhenItReturns(@TempDir Path folder) {
        try (ArchiveFollower follower = follower(folder)) {
            final String id = UUID.randomUUID().toString();
            commit(Map.of(id, SERDE.serializer().serialize(Topics.ARCHIVE, forgotten(id))));

            follower.awaitCaughtUp(Duration.ofSeconds(30));

            final Archived held = follower.get(id);
            assertNotNull(held, "committed before the call, not held when it returned");
            assertEquals(id, held.state().requestId());
        }
    }

    @Test
    void shouldNeverHoldAnAbortedRecord(@TempDir Path folder) throws Exception {
        try (ArchiveFollower follower = follower(folder)) {
            final String aborted = UUID.randomUUID().toString();
            final String committed = UUID.randomUUID().toString();
            try (KafkaProducer<byte[], byte[]> producer = transactional()) {
                producer.beginTransaction();
                producer.send(record(aborted, SERDE.serializer().serialize(Topics.ARCHIVE, forgotten(aborted))))
                        .get(30, TimeUnit.SECONDS);
                producer.abortTransaction();
                producer.beginTransaction();
                producer.send(record(committed, SERDE.serializer().serialize(Topics.ARCHIVE, forgotten(committed))));
                producer.commitTransaction();
            }
            awaitMarkersWritten();

            follower.awaitCaughtUp(Duration.ofSeconds(30));

            assertNotNull(follower.get(committed));
            assertNull(follower.get(aborted), "an aborted record is held");
        }
    }

    @Test
    void shouldReturnFromAwaitCaughtUpWhenNothingIsNewWithoutWaitingForABatch(@TempDir Path folder) {
        try (ArchiveFollower follower = follower(folder)) {
            follower.awaitCaughtUp(Duration.ofSeconds(30));
            // nothing is written meanwhile, so no batch ever signals: a barrier that waited for one would time out
            for (int i = 0; i < 10; i++) {
                assertDoesNotThrow(() -> follower.awaitCaughtUp(Duration.ofSeconds(5)));
            }
        }
    }

    @Test
    void refusesAwaitCaughtUpOnceClosed(@TempDir Path folder) {
        final ArchiveFollower follower = follower(folder);
        follower.close();

        assertThrows(InvalidStateStoreException.class, () -> follower.awaitCaughtUp(Duration.ofSeconds(5)));
    }

    @Test
    void shouldNotKeepAValueThatDoesNotDecodeOrWhoseTrailDoesNotVerify(@TempDir Path folder) {
        try (ArchiveFollower follower = follower(folder)) {
            final long before = follower.rejected();
            final String garbage = UUID.randomUUID().toString();
            final String tampered = UUID.randomUUID().toString();
            final String wrongHead = UUID.randomUUID().toString();
            final String good = UUID.randomUUID().toString();
            final Archived forged = forgotten(tampered);
            final AuditFact edited = AuditFact.newBuilder(forged.trail().get(1)).setDetail("nothing deleted").build();
            final Archived cut = forgotten(wrongHead);
            commit(Map.of(garbage, new byte[] {'R', 1, 7, 7, 7},
                    tampered, SERDE.serializer().serialize(Topics.ARCHIVE,
                            new Archived(forged.state(), List.of(forged.trail().get(0), edited))),
                    wrongHead, SERDE.serializer().serialize(Topics.ARCHIVE,
                            new Archived(cut.state(), List.of(cut.trail().get(0)))),
                    good, SERDE.serializer().serialize(Topics.ARCHIVE, forgotten(good))));

            follower.awaitCaughtUp(Duration.ofSeconds(30));

            assertNotNull(follower.get(good));
            assertNull(follower.get(garbage));
            assertNull(follower.get(tampered));
            assertNull(follower.get(wrongHead));
            assertEquals(3, follower.rejected() - before);
        }
    }

    @Test
    void shouldAnswerAHeldValueThatDoesNotDecodeAsNotReadableNotAsAnError(@TempDir Path folder) throws Exception {
        final String id = UUID.randomUUID().toString();
        follower(folder).close();
        try (Options options = new Options(); RocksDB db = RocksDB.open(options, folder.toString())) {
            db.put(id.getBytes(StandardCharsets.UTF_8), new byte[] {'R', 9, 1, 2, 3});
        }

        try (ArchiveFollower follower = follower(folder)) {
            assertThrows(InvalidStateStoreException.class, () -> follower.get(id));
        }
    }

    @Test
    void refusesToStartFromAHeldOffsetTheTopicDoesNotHave(@TempDir Path folder) throws Exception {
        follower(folder).close();
        // as if the topic had been recreated, or the folder came from another cluster
        try (Options options = new Options(); RocksDB db = RocksDB.open(options, folder.toString())) {
            db.put(ByteBuffer.allocate(1 + Integer.BYTES).put((byte) 0).putInt(0).array(),
                    ByteBuffer.allocate(Long.BYTES).putLong(1_000_000L).array());
        }

        final IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> ArchiveFollower.start(settings(folder), START, () -> { }).close());
        assertTrue(refused.getMessage().contains("FAILED"), refused.getMessage());
    }

    @Test
    void shouldOpenItsCopyWithABloomFilterAndBoundedMemory(@TempDir Path folder) throws Exception {
        try (ArchiveFollower follower = follower(folder);
             Stream<Path> files = Files.list(folder)) {
            final Path latest = files.filter(f -> f.getFileName().toString().startsWith("OPTIONS-")).sorted()
                    .reduce((a, b) -> b).orElseThrow();
            final String text = Files.readString(latest).toLowerCase(Locale.ROOT);
            assertTrue(text.contains("max_open_files=256"), "max_open_files");
            assertTrue(text.contains("write_buffer_size=16777216"), "write_buffer_size");
            assertTrue(text.contains("max_write_buffer_number=2"), "max_write_buffer_number");
            assertTrue(text.contains("cache_index_and_filter_blocks=true"), "cache_index_and_filter_blocks");
            assertTrue(text.contains("bloomfilter"), "a bloom filter");
        }
    }

    private static ArchiveFollower follower(Path folder) {
        return ArchiveFollower.start(settings(folder), START, () -> { });
    }

    private static ArchiveFollower.Settings settings(Path folder) {
        return new ArchiveFollower.Settings(cluster.bootstrapServers(), folder, "it-follower-" + UUID.randomUUID());
    }

    private static KafkaProducer<byte[], byte[]> transactional() {
        final KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it-archive-" + UUID.randomUUID()),
                new ByteArraySerializer(), new ByteArraySerializer());
        producer.initTransactions();
        return producer;
    }

    private static ProducerRecord<byte[], byte[]> record(String id, byte[] value) {
        return new ProducerRecord<>(Topics.ARCHIVE, id.getBytes(StandardCharsets.UTF_8), value);
    }

    /** Writes every value in one committed transaction, and returns once read_committed readers can see it. */
    private static void commit(Map<String, byte[]> values) {
        try (KafkaProducer<byte[], byte[]> producer = transactional()) {
            producer.beginTransaction();
            values.forEach((id, value) -> producer.send(record(id, value)));
            producer.commitTransaction();
        }
        awaitMarkersWritten();
    }

    /**
     * Waits until every partition's read_committed end (its last stable offset) is its log end: the
     * transactions' markers are written. {@code commitTransaction} returns once the coordinator has
     * decided, and the markers reach the partitions a moment later; only then is a record committed for
     * a read_committed reader, which is what {@code awaitCaughtUp} promises to wait for.
     */
    private static void awaitMarkersWritten() {
        final List<TopicPartition> partitions = List.of(new TopicPartition(Topics.ARCHIVE, 0),
                new TopicPartition(Topics.ARCHIVE, 1));
        await("the transaction markers on " + Topics.ARCHIVE).atMost(Duration.ofSeconds(30)).until(() ->
                ends(partitions, IsolationLevel.READ_COMMITTED).equals(ends(partitions, IsolationLevel.READ_UNCOMMITTED)));
    }

    private static Map<TopicPartition, Long> ends(List<TopicPartition> partitions, IsolationLevel isolation)
            throws Exception {
        final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
        final Map<TopicPartition, Long> ends = new HashMap<>();
        cluster.admin().listOffsets(latest, new ListOffsetsOptions(isolation)).all().get(30, TimeUnit.SECONDS)
                .forEach((partition, info) -> ends.put(partition, info.offset()));
        return ends;
    }

    /** A finished request past LETHE_FORGET_AFTER: no identifier, no data key, its trail's head in the state. */
    private static Archived forgotten(String id) {
        final AuditFact received = AuditChain.link(AuditFact.newBuilder().setRequestId(id).setSeq(1).setAt(T)
                .setType("RECEIVED").setActor("accounts-service").setSubjectKey("sk-1")
                .setStatus(dev.lethe.avro.RequestStatus.RECEIVED).build(), null);
        final AuditFact done = AuditChain.link(AuditFact.newBuilder().setRequestId(id).setSeq(2).setAt(T)
                .setType("COMPLETED").setActor("ledger").setSystem("billing").setDetail("rows deleted")
                .setStatus(dev.lethe.avro.RequestStatus.COMPLETED).build(), received.getHash());
        final SystemTarget billing = new SystemTarget("billing", SystemStatus.DONE, 1, T, 42L, "rows deleted",
                null, T.plusSeconds(86_400), null, 1, 24, 5, false, false, List.of());
        final RequestState state = new RequestState(id, RequestStatus.COMPLETED, "sk-1", null, List.of(), List.of(),
                List.of("user_id", "email"), "GDPR", "account_deleted", "accounts-service", Scope.ALL, 0, T,
                T.plusSeconds(30 * 86_400L), T.plusSeconds(60), T.plusSeconds(60), List.of(billing), List.of(), 2,
                null, done.getHash(), T.plusSeconds(30 * 86_400L), 0, false, List.of(), null, null,
                new Portal("sr-1", "controller-1", "2026-03-31T00:00:00Z", List.of("https://portal.example/cb")));
        return new Archived(state, List.of(received, done));
    }
}
