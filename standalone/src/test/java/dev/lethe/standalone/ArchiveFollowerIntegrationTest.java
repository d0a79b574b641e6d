package dev.lethe.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.lethe.avro.AuditFact;
import dev.lethe.ledger.archive.ArchiveFollower;
import dev.lethe.ledger.archive.ArchiveView.Archived;
import dev.lethe.ledger.archive.ArchiveView.Order;
import dev.lethe.ledger.domain.Portal;
import dev.lethe.ledger.domain.RequestState;
import dev.lethe.ledger.domain.RequestStatus;
import dev.lethe.ledger.domain.Scope;
import dev.lethe.ledger.domain.SystemStatus;
import dev.lethe.ledger.domain.SystemTarget;
import dev.lethe.ledger.topology.ArchiveSerde;
import dev.lethe.ledger.topology.AuditChain;
import dev.lethe.ledger.topology.IndexKeys;
import dev.lethe.schemas.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
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
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The archive follower on its own against a real broker: {@code awaitCaughtUp} is a barrier on what
 * was committed to {@code erasure.archive} before it, a value the ledger did not write is not kept
 * (and one already held is a 503, never a 500), a held offset the topic does not have fails the
 * follower rather than skipping, its RocksDB is opened with bounded memory and a bloom filter, and its
 * indexes answer the two list orders and a subject's requests as the topic's last word says, across
 * restarts (a copy written before the indexes is rebuilt from offset 0).
 */
@Tag("integration")
class ArchiveFollowerIntegrationTest {

    private static final Instant T = Instant.parse("2026-03-01T09:00:00.123Z");
    private static final Duration START = Duration.ofSeconds(60);
    private static final ArchiveSerde SERDE = new ArchiveSerde();
    /** Each test's requests lie in a time window of their own, later than every earlier test's. */
    private static final AtomicLong WINDOWS = new AtomicLong();

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

    @Test
    void shouldRangeArchivedRequestsInBothOrdersWithInclusiveBounds(@TempDir Path folder) {
        final Instant base = window();
        final String a = UUID.randomUUID().toString();
        final String b = UUID.randomUUID().toString();
        final String c = UUID.randomUUID().toString();
        commit(Map.of(a, bytes(forgotten(a, "sk-1", base.plusSeconds(1), base.plusSeconds(30))),
                b, bytes(forgotten(b, "sk-1", base.plusSeconds(2), base.plusSeconds(10))),
                c, bytes(forgotten(c, "sk-1", base.plusSeconds(3), base.plusSeconds(20)))));
        final String ra = IndexKeys.newestFirst(base.plusSeconds(1), a);
        final String rb = IndexKeys.newestFirst(base.plusSeconds(2), b);
        final String rc = IndexKeys.newestFirst(base.plusSeconds(3), c);
        final String fa = IndexKeys.newestFirst(base.plusSeconds(30), a);
        final String fb = IndexKeys.newestFirst(base.plusSeconds(10), b);
        final String fc = IndexKeys.newestFirst(base.plusSeconds(20), c);

        try (ArchiveFollower follower = follower(folder)) {
            assertEquals(List.of(rc, rb, ra), keys(follower, Order.REQUESTED, first(base), last(base)));
            assertEquals(List.of(fa, fc, fb), keys(follower, Order.FINISHED, first(base), last(base)));
            // both bounds inclusive
            assertEquals(List.of(rb, ra), keys(follower, Order.REQUESTED, rb, ra));
            assertEquals(List.of(fc), keys(follower, Order.FINISHED, fc, fc));
            // the next page starts just after the last key seen
            assertEquals(List.of(fc, fb), keys(follower, Order.FINISHED, fa + '\u0000', last(base)));
            // null bounds: from the first entry, to the last one (earlier tests' requests are older: after these)
            final List<String> all = keys(follower, Order.REQUESTED, null, null);
            assertTrue(Collections.indexOfSubList(all, List.of(rc, rb, ra)) >= 0, all.toString());
            assertEquals(all.stream().sorted().toList(), all, "in ascending key order");
            assertEquals(List.of(rb, ra), keys(follower, Order.REQUESTED, rb, null).subList(0, 2));
            final List<String> upTo = keys(follower, Order.FINISHED, null, fb);
            assertEquals(List.of(fa, fc, fb), upTo.subList(upTo.size() - 3, upTo.size()));
            assertEquals(List.of(), keys(follower, Order.REQUESTED, ra, rc), "from after to");
        }
    }

    @Test
    void shouldFindEveryArchivedRequestOfASubject(@TempDir Path folder) {
        final Instant base = window();
        final String subject = "sk-" + UUID.randomUUID();
        // a subject key that starts like another one followed by the separator is another subject
        final String lookalike = subject + "|x";
        final String a = UUID.randomUUID().toString();
        final String b = UUID.randomUUID().toString();
        final String c = UUID.randomUUID().toString();
        commit(Map.of(a, bytes(forgotten(a, subject, base, base.plusSeconds(10))),
                b, bytes(forgotten(b, subject, base, base.plusSeconds(20))),
                c, bytes(forgotten(c, lookalike, base, base.plusSeconds(30)))));

        try (ArchiveFollower follower = follower(folder)) {
            assertEquals(Set.of(a, b), ids(follower.subject(subject)));
            assertEquals(Set.of(c), ids(follower.subject(lookalike)));
            assertEquals(Set.of(), ids(follower.subject("sk-nobody-" + UUID.randomUUID())));
            assertEquals(Set.of(), ids(follower.subject(null)));
        }
    }

    @Test
    void shouldMoveTheFinishedAndSubjectEntriesWhenAnOverwriteChangesThem(@TempDir Path folder) throws Exception {
        final Instant base = window();
        final String id = UUID.randomUUID().toString();
        final String before = "sk-" + UUID.randomUUID();
        final String after = "sk-" + UUID.randomUUID();
        try (ArchiveFollower follower = follower(folder)) {
            commitAndFollow(follower, Map.of(id, bytes(forgotten(id, before, base, base.plusSeconds(10)))));
            commitAndFollow(follower, Map.of(id, bytes(forgotten(id, after, base, base.plusSeconds(50)))));

            assertEquals(List.of(IndexKeys.newestFirst(base.plusSeconds(50), id)),
                    keys(follower, Order.FINISHED, first(base), last(base)));
            assertEquals(List.of(IndexKeys.newestFirst(base, id)), keys(follower, Order.REQUESTED, first(base), last(base)));
            assertEquals(Set.of(), ids(follower.subject(before)));
            assertEquals(Set.of(id), ids(follower.subject(after)));
        }
        assertEquals(3, indexEntries(folder, id).size(), "entries left in the copy: " + indexEntries(folder, id));
    }

    @Test
    void shouldRemoveEveryIndexEntryOfATombstonedRequest(@TempDir Path folder) throws Exception {
        final Instant base = window();
        final String id = UUID.randomUUID().toString();
        final String subject = "sk-" + UUID.randomUUID();
        try (ArchiveFollower follower = follower(folder)) {
            commitAndFollow(follower, Map.of(id, bytes(forgotten(id, subject, base, base.plusSeconds(10)))));
            assertEquals(1, keys(follower, Order.FINISHED, first(base), last(base)).size());

            commitInOrder(List.of(record(id, null)));
            follower.awaitCaughtUp(Duration.ofSeconds(30));

            assertNull(follower.get(id));
            assertEquals(List.of(), keys(follower, Order.REQUESTED, first(base), last(base)));
            assertEquals(List.of(), keys(follower, Order.FINISHED, first(base), last(base)));
            assertEquals(Set.of(), ids(follower.subject(subject)));
        }
        assertEquals(List.of(), indexEntries(folder, id), "entries left in the copy");
    }

    @Test
    void shouldIndexOnlyTheLastWordOfABatchThatWritesARequestMoreThanOnce(@TempDir Path folder) throws Exception {
        final Instant base = window();
        final String twice = UUID.randomUUID().toString();
        final String gone = UUID.randomUUID().toString();
        final String first = "sk-" + UUID.randomUUID();
        final String second = "sk-" + UUID.randomUUID();
        final String deleted = "sk-" + UUID.randomUUID();
        // written before the follower starts, they reach it in one poll, so in one WriteBatch
        commitInOrder(List.of(record(twice, bytes(forgotten(twice, first, base, base.plusSeconds(10)))),
                record(twice, bytes(forgotten(twice, second, base, base.plusSeconds(20)))),
                record(gone, bytes(forgotten(gone, deleted, base.plusSeconds(5), base.plusSeconds(30)))),
                record(gone, null)));

        try (ArchiveFollower follower = follower(folder)) {
            assertEquals(List.of(IndexKeys.newestFirst(base.plusSeconds(20), twice)),
                    keys(follower, Order.FINISHED, first(base), last(base)));
            assertEquals(List.of(IndexKeys.newestFirst(base, twice)),
                    keys(follower, Order.REQUESTED, first(base), last(base)));
            assertEquals(Set.of(), ids(follower.subject(first)));
            assertEquals(Set.of(twice), ids(follower.subject(second)));
            assertEquals(Set.of(), ids(follower.subject(deleted)));
            assertNull(follower.get(gone));
        }
        assertEquals(3, indexEntries(folder, twice).size(), "entries left in the copy: " + indexEntries(folder, twice));
        assertEquals(List.of(), indexEntries(folder, gone), "entries left in the copy");
    }

    @Test
    void shouldKeepTheValueAndItsIndexEntriesWhenItsNextValueIsRejected(@TempDir Path folder) {
        final Instant base = window();
        final String id = UUID.randomUUID().toString();
        final String subject = "sk-" + UUID.randomUUID();
        try (ArchiveFollower follower = follower(folder)) {
            commitAndFollow(follower, Map.of(id, bytes(forgotten(id, subject, base, base.plusSeconds(10)))));
            commitAndFollow(follower, Map.of(id, new byte[] {'R', 1, 7, 7, 7}));

            assertNotNull(follower.get(id));
            assertEquals(List.of(IndexKeys.newestFirst(base.plusSeconds(10), id)),
                    keys(follower, Order.FINISHED, first(base), last(base)));
            assertEquals(Set.of(id), ids(follower.subject(subject)));
        }
    }

    @Test
    void shouldKeepItsIndexesAcrossARestartAndGoOnFromItsOffsets(@TempDir Path folder) {
        final Instant base = window();
        final String id = UUID.randomUUID().toString();
        final String subject = "sk-" + UUID.randomUUID();
        try (ArchiveFollower follower = follower(folder)) {
            commitAndFollow(follower, Map.of(id, bytes(forgotten(id, subject, base, base.plusSeconds(10)))));
        }

        try (ArchiveFollower follower = follower(folder)) {
            assertTrue(follower.restores().stream().allMatch(r -> r.from() == r.to() && r.from() > 0),
                    "not from its held offsets: " + follower.restores());
            assertEquals(List.of(IndexKeys.newestFirst(base.plusSeconds(10), id)),
                    keys(follower, Order.FINISHED, first(base), last(base)));
            assertEquals(Set.of(id), ids(follower.subject(subject)));
        }
    }

    @Test
    void shouldRebuildFromTheTopicACopyWrittenBeforeTheIndexes(@TempDir Path folder) throws Exception {
        final Instant base = window();
        final String id = UUID.randomUUID().toString();
        final String subject = "sk-" + UUID.randomUUID();
        commit(Map.of(id, bytes(forgotten(id, subject, base, base.plusSeconds(10)))));
        follower(folder).close();
        // as the code before the indexes left it: the values and the offsets, no index entry, no layout key
        try (Options options = new Options(); RocksDB db = RocksDB.open(options, folder.toString());
             WriteBatch batch = new WriteBatch(); WriteOptions write = new WriteOptions()) {
            batch.deleteRange(new byte[] {1}, new byte[] {3});
            db.write(write, batch);
        }

        final ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger)
                org.slf4j.LoggerFactory.getLogger(ArchiveFollower.class);
        final ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        log.addAppender(logged);
        try (ArchiveFollower follower = follower(folder)) {
            assertTrue(follower.restores().stream().allMatch(r -> r.from() == 0),
                    "not read again from offset 0: " + follower.restores());
            assertTrue(logged.list.stream().anyMatch(event -> event.getLevel() == Level.INFO
                    && event.getFormattedMessage().contains("without the list and subject indexes")
                    && event.getFormattedMessage().contains("rebuild")), "no INFO saying why the copy is rebuilt");
            assertEquals(List.of(IndexKeys.newestFirst(base.plusSeconds(10), id)),
                    keys(follower, Order.FINISHED, first(base), last(base)));
            assertEquals(Set.of(id), ids(follower.subject(subject)));
        }
        try (ArchiveFollower follower = follower(folder)) {
            assertTrue(follower.restores().stream().allMatch(r -> r.from() == r.to()),
                    "the rebuilt copy was rebuilt again: " + follower.restores());
        } finally {
            log.detachAppender(logged);
        }
    }

    @Test
    void refusesRangeAndSubjectOnceClosed(@TempDir Path folder) {
        final Instant base = window();
        final Map<String, byte[]> many = new HashMap<>();
        for (int i = 0; i < 40; i++) {
            final String id = UUID.randomUUID().toString();
            many.put(id, bytes(forgotten(id, "sk-1", base.plusSeconds(i), base.plusSeconds(100 + i))));
        }
        commit(many);
        final ArchiveFollower follower = follower(folder);
        final KeyValueIterator<String, RequestState> open = follower.range(Order.REQUESTED, first(base), last(base));
        follower.close();

        assertThrows(InvalidStateStoreException.class, () -> follower.range(Order.REQUESTED, null, null));
        assertThrows(InvalidStateStoreException.class, () -> follower.range(Order.FINISHED, "a", "b"));
        assertThrows(InvalidStateStoreException.class, () -> follower.subject("sk-1"));
        // a range opened before (40 entries, a first chunk of 32): its next read throws rather than reading freed RocksDB
        assertThrows(InvalidStateStoreException.class, () -> {
            while (open.hasNext()) {
                open.next();
            }
        });
        open.close();
    }

    private static Instant window() {
        return Instant.parse("2031-01-01T00:00:00Z").plusSeconds(WINDOWS.incrementAndGet() * 1_000_000L);
    }

    /** Where a newest-first range of a test's window starts (its requests lie within a thousand seconds). */
    private static String first(Instant base) {
        return IndexKeys.newestFirstStart(base.plusSeconds(1_000));
    }

    private static String last(Instant base) {
        return IndexKeys.newestFirstEnd(base);
    }

    /** The keys of a range, each checked against its value's state. */
    private static List<String> keys(ArchiveFollower follower, Order order, String from, String to) {
        final List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, RequestState> range = follower.range(order, from, to)) {
            while (range.hasNext()) {
                final KeyValue<String, RequestState> entry = range.next();
                final RequestState state = entry.value;
                assertEquals(IndexKeys.newestFirst(order == Order.REQUESTED ? state.requestedAt() : state.finishedAt(),
                        state.requestId()), entry.key);
                keys.add(entry.key);
            }
        }
        return keys;
    }

    /** The index entries the closed copy in {@code folder} holds for {@code requestId}: their keys, as text. */
    private static List<String> indexEntries(Path folder, String requestId) throws RocksDBException {
        final List<String> entries = new ArrayList<>();
        try (Options options = new Options(); RocksDB db = RocksDB.open(options, folder.toString());
             RocksIterator all = db.newIterator()) {
            for (all.seek(new byte[] {1}); all.isValid() && all.key()[0] == 1; all.next()) {
                if (requestId.equals(new String(all.value(), StandardCharsets.UTF_8))) {
                    entries.add(new String(all.key(), StandardCharsets.UTF_8));
                }
            }
            all.status();
        }
        return entries;
    }

    private static Set<String> ids(List<RequestState> archived) {
        return archived.stream().map(RequestState::requestId).collect(Collectors.toSet());
    }

    private static byte[] bytes(Archived archived) {
        return SERDE.serializer().serialize(Topics.ARCHIVE, archived);
    }

    /** Writes the records in this order in one committed transaction, and returns once read_committed readers can see them. */
    private static void commitInOrder(List<ProducerRecord<byte[], byte[]>> records) {
        try (KafkaProducer<byte[], byte[]> producer = transactional()) {
            producer.beginTransaction();
            records.forEach(producer::send);
            producer.commitTransaction();
        }
        awaitMarkersWritten();
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
    /** Commits {@code values} and waits until {@code follower}'s copy holds them. */
    private static void commitAndFollow(ArchiveFollower follower, Map<String, byte[]> values) {
        commit(values);
        follower.awaitCaughtUp(Duration.ofSeconds(30));
    }

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
        return forgotten(id, "sk-1", T, T.plusSeconds(60));
    }

    private static Archived forgotten(String id, String subjectKey, Instant requestedAt, Instant finishedAt) {
        final AuditFact received = AuditChain.link(AuditFact.newBuilder().setRequestId(id).setSeq(1).setAt(T)
                .setType("RECEIVED").setActor("accounts-service").setSubjectKey("sk-1")
                .setStatus(dev.lethe.avro.RequestStatus.RECEIVED).build(), null);
        final AuditFact done = AuditChain.link(AuditFact.newBuilder().setRequestId(id).setSeq(2).setAt(T)
                .setType("COMPLETED").setActor("ledger").setSystem("billing").setDetail("rows deleted")
                .setStatus(dev.lethe.avro.RequestStatus.COMPLETED).build(), received.getHash());
        final SystemTarget billing = new SystemTarget("billing", SystemStatus.DONE, 1, T, 42L, "rows deleted",
                null, T.plusSeconds(86_400), null, 1, 24, 5, false, false, List.of());
        final RequestState state = new RequestState(id, RequestStatus.COMPLETED, subjectKey, null, List.of(),
                List.of(), List.of("user_id", "email"), "GDPR", "account_deleted", "accounts-service", Scope.ALL, 0,
                requestedAt, T.plusSeconds(30 * 86_400L), finishedAt, finishedAt, List.of(billing), List.of(), 2,
                null, done.getHash(), T.plusSeconds(30 * 86_400L), 0, false, List.of(), null, null,
                new Portal("sr-1", "controller-1", "2026-03-31T00:00:00Z", List.of("https://portal.example/cb")));
        return new Archived(state, List.of(received, done));
    }
}
