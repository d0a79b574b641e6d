package dev.lethe.ledger.archive;

import dev.lethe.ledger.domain.RequestState;
import dev.lethe.ledger.topology.ArchiveSerde;
import dev.lethe.ledger.topology.AuditChain;
import dev.lethe.ledger.topology.IndexKeys;
import dev.lethe.schemas.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.InvalidOffsetException;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's whole copy of the ledger's archive: a plain consumer of {@code erasure.archive}
 * (every partition assigned, no consumer group, {@code read_committed}) into a RocksDB of its own
 * under {@code <state dir>/<application id>-archive}, request id → {@link ArchiveSerde} bytes,
 * decoded on {@link #get}. Beside the values it keeps the indexes the ledger's lists and subject
 * look-ups need for archived requests ({@link ArchiveIndex}: the {@code by-requested} and
 * {@code by-finished} keys and the subject key of each held request), answered by {@link #range} and
 * {@link #subject}.
 *
 * <p>Each polled batch, the index entries it adds and removes (those of the value a record replaces
 * or deletes, looked up in RocksDB or earlier in the same batch) and the consumer's next position on
 * every partition go into RocksDB in <b>one</b> {@code WriteBatch}, with RocksDB's write-ahead log
 * on: after a {@code kill -9} the copy, its indexes and its offsets are consistent, and a restart
 * reads only what came after them. The index entries live in the same RocksDB (and column family) as
 * the values, under keys no request id has, so the copy's memory bounds are those of one store. A copy
 * written before the indexes (no layout key, {@link #LAYOUT}) is deleted at start and rebuilt from
 * offset 0 (logged at INFO). (A Kafka
 * Streams global store did not do that on 4.3.1: measured, it re-read the archive from offset 0
 * after every {@code kill -9}, under at-least-once too: see docs/reliability.md.) A value that does
 * not decode, or whose trail is not a valid hash chain ending at its state's audit head, is not
 * kept (logged at ERROR with its request id and offset, counted in {@link #rejected()}).
 *
 * <p>{@link #start} returns once the copy has caught up with the end of every partition; it keeps
 * following on a thread of its own. The ledger starts it before its own Kafka Streams and closes it
 * after. A held offset the topic does not have (recreated, truncated, a folder from another
 * cluster) is never skipped over: the follower fails (delete its folder to rebuild the copy).
 */
public final class ArchiveFollower implements ArchiveView, AutoCloseable {

    /** The follower's folder (and client id) is the ledger's application id with this suffix. */
    public static final String APPLICATION_ID_SUFFIX = "-archive";

    /** RocksDB's block cache of the copy (index and filter blocks included). */
    public static final long BLOCK_CACHE_BYTES = 16L << 20;
    /** One memtable of the copy; at most {@link #WRITE_BUFFERS} of them. */
    public static final long WRITE_BUFFER_BYTES = 16L << 20;
    public static final int WRITE_BUFFERS = 2;
    public static final int MAX_OPEN_FILES = 256;

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
    /** The layout of the copy, under a key no request id has (byte 2; byte 1 starts the {@link ArchiveIndex} entries). */
    private static final byte[] LAYOUT_KEY = {2, 'l', 'a', 'y', 'o', 'u', 't'};
    /**
     * The layout this code writes: 1, the values, the offsets and the {@link ArchiveIndex} entries. A
     * copy without this key and not empty was written before the indexes (layout 0).
     */
    static final int LAYOUT = 1;
    /** Keys whose first byte is below this one are the copy's own (offsets, index entries, layout), never a request's. */
    private static final byte RESERVED_BELOW = 3;
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final Settings settings;
    private final ArchiveSerde serde = new ArchiveSerde();
    private final List<Restore> restores = new CopyOnWriteArrayList<>();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final LRUCache cache;
    private final BloomFilter filter;
    private final Options options;
    private final RocksDB db;
    private final WriteOptions writeOptions = new WriteOptions();
    private final KafkaConsumer<byte[], byte[]> consumer;
    /** The archive's read-committed ends, for {@link #awaitCaughtUp} (thread-safe, unlike the consumer). */
    private final Admin admin;
    private final Thread thread;
    private volatile State state = State.STARTING;
    private volatile boolean stopping;
    private final ReentrantReadWriteLock readers = new ReentrantReadWriteLock();
    /** Every partition of the archive, once assigned. */
    private volatile List<TopicPartition> partitions = List.of();
    /** The next offset of every partition the copy holds (written to RocksDB with the batch before). */
    private volatile Map<TopicPartition, Long> applied = Map.of();
    private final ReentrantLock progress = new ReentrantLock();
    /** Signalled after each write to the copy and when the state changes. */
    private final Condition advanced = progress.newCondition();
    private final AtomicLong rejected = new AtomicLong();

    static {
        RocksDB.loadLibrary();
    }

    private ArchiveFollower(Settings settings, Runnable onFailed) {
        this.settings = settings;
        cache = new LRUCache(BLOCK_CACHE_BYTES);
        filter = new BloomFilter(10);
        options = new Options().setCreateIfMissing(true)
                .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache).setFilterPolicy(filter)
                        .setCacheIndexAndFilterBlocks(true).setPinL0FilterAndIndexBlocksInCache(true))
                .setWriteBufferSize(WRITE_BUFFER_BYTES).setMaxWriteBufferNumber(WRITE_BUFFERS)
                .setMaxOpenFiles(MAX_OPEN_FILES);
        try {
            db = open(settings.folder(), options, writeOptions);
        } catch (java.io.IOException | RocksDBException e) {
            writeOptions.close();
            options.close();
            filter.close();
            cache.close();
            throw new IllegalStateException("cannot open the archive copy in " + settings.folder() + ": " + e, e);
        }
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.clientId());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT));
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        // a held offset the topic does not have is an error, never a silent jump to either end
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, settings.clientId() + "-admin"));
        thread = new Thread(() -> follow(onFailed), settings.clientId() + "-follower");
        thread.setDaemon(true);
    }

    /**
     * Opens the copy in {@code folder}, or creates it. A copy of another layout than {@link #LAYOUT}
     * (one written before the indexes) is deleted first, so the follower reads the topic from offset 0
     * again and rebuilds it whole: the copy is only ever a copy of the topic.
     */
    private static RocksDB open(Path folder, Options options, WriteOptions writeOptions)
            throws java.io.IOException, RocksDBException {
        Files.createDirectories(folder);
        final RocksDB opened = RocksDB.open(options, folder.toString());
        final String stale;
        try {
            stale = staleLayout(opened);
            if (stale == null) {
                return opened;
            }
        } catch (RocksDBException | RuntimeException e) {
            opened.close();
            throw e;
        }
        opened.close();
        LOG.info("archive follower: the copy in {} {}; deleting it to rebuild it from {} (reading it from offset 0)",
                folder, stale, Topics.ARCHIVE);
        // CURRENT first: a crash part-way leaves a folder RocksDB opens as a new, empty copy (then read from
        // offset 0), never one whose CURRENT names a manifest already deleted
        Files.deleteIfExists(folder.resolve("CURRENT"));
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).filter(f -> !f.equals(folder)).toList()) {
                Files.delete(file);
            }
        }
        final RocksDB rebuilt = RocksDB.open(options, folder.toString());
        try {
            rebuilt.put(writeOptions, LAYOUT_KEY, layout(LAYOUT));
            return rebuilt;
        } catch (RocksDBException e) {
            rebuilt.close();
            throw e;
        }
    }

    /** Why the copy {@code db} must be rebuilt, or null when it has this code's layout (an empty one is given it). */
    private static String staleLayout(RocksDB db) throws RocksDBException {
        final byte[] held = db.get(LAYOUT_KEY);
        if (held != null) {
            final int layout = held.length == Integer.BYTES ? ByteBuffer.wrap(held).getInt() : -1;
            return layout == LAYOUT ? null : "has layout " + layout + ", this code writes layout " + LAYOUT;
        }
        try (RocksIterator any = db.newIterator()) {
            any.seekToFirst();
            any.status();
            if (!any.isValid()) {
                db.put(LAYOUT_KEY, layout(LAYOUT));
                return null;
            }
        }
        return "was written without the list and subject indexes (layout 0), this code writes layout " + LAYOUT;
    }

    private static byte[] layout(int layout) {
        return ByteBuffer.allocate(Integer.BYTES).putInt(layout).array();
    }

    /**
     * Opens (or creates) the copy, reads the archive from where the copy stopped to the end of every
     * partition and returns; then keeps following. {@code onFailed} runs once if following fails.
     * {@code timeout} bounds a wait without progress, not the whole catch-up: a copy that is still
     * reading (an empty folder on a new volume, a large archive) is waited for as long as its
     * positions advance within each {@code timeout}.
     *
     * @throws IllegalStateException when it failed, or made no progress within {@code timeout}
     */
    public static ArchiveFollower start(Settings settings, Duration timeout, Runnable onFailed) {
        final ArchiveFollower follower = new ArchiveFollower(settings, onFailed);
        follower.thread.start();
        try {
            long seen = follower.progress();
            while (!follower.caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                final long now = follower.progress();
                if (now == seen) {
                    throw new IllegalStateException("the archive follower made no progress within " + timeout
                            + " (it is " + follower.state + ", at " + follower.applied + ")");
                }
                LOG.info("archive follower: still catching up, at {}", follower.applied);
                seen = now;
            }
            if (follower.state != State.RUNNING) {
                throw new IllegalStateException("the archive follower did not catch up (it is " + follower.state + ")");
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

    /** Grows while the copy reads: the sum of the next offsets it holds. */
    private long progress() {
        return applied.values().stream().mapToLong(Long::longValue).sum();
    }

    private void follow(Runnable onFailed) {
        try {
            final Map<TopicPartition, Long> end = assignFromCopy();
            while (!stopping) {
                apply(consumer.poll(POLL));
                if (state == State.STARTING && caughtUpTo(end)) {
                    end.forEach((partition, offset) -> LOG.info("archive follower: {} caught up at offset {}",
                            partition, offset));
                    changeState(State.RUNNING);
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (InvalidOffsetException e) {
            // OffsetOutOfRangeException, NoOffsetForPartitionException: auto.offset.reset is none
            if (!stopping) {
                LOG.error("the archive follower's copy holds offsets the topic {} does not have ({}): the topic was"
                        + " recreated or truncated, or the folder {} comes from another cluster. It does not skip"
                        + " ahead; delete that folder and restart to rebuild the copy from the topic",
                        Topics.ARCHIVE, e.partitions(), settings.folder());
                failed(onFailed);
            }
        } catch (RuntimeException | RocksDBException e) {
            if (!stopping) {
                LOG.error("the archive follower failed: this instance cannot tell archived requests apart", e);
                failed(onFailed);
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void failed(Runnable onFailed) {
        final boolean wasRunning = state == State.RUNNING;
        changeState(State.FAILED);
        caughtUp.countDown();
        // a failure while starting is the start's own exception; a later one stops the instance
        if (wasRunning) {
            onFailed.run();
        }
    }

    private void changeState(State next) {
        state = next;
        signal();
    }

    private void signal() {
        progress.lock();
        try {
            advanced.signalAll();
        } finally {
            progress.unlock();
        }
    }

    /** Assigns every partition at the offset the copy holds (else its beginning); returns their ends. */
    private Map<TopicPartition, Long> assignFromCopy() throws RocksDBException {
        final List<TopicPartition> all = consumer.partitionsFor(Topics.ARCHIVE, Duration.ofSeconds(30))
                .stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        if (all.isEmpty()) {
            throw new IllegalStateException("topic " + Topics.ARCHIVE + " does not exist");
        }
        consumer.assign(all);
        final Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(all));
        final Map<TopicPartition, Long> held = new HashMap<>();
        for (TopicPartition partition : all) {
            final byte[] offset = db.get(offsetKey(partition.partition()));
            final long from = offset == null ? 0L : ByteBuffer.wrap(offset).getLong();
            if (offset == null) {
                consumer.seekToBeginning(List.of(partition));
            } else {
                consumer.seek(partition, from);
            }
            held.put(partition, from);
            restores.add(new Restore(partition, from, end.get(partition)));
            LOG.info("archive follower: restoring {} from offset {} to {}", partition, from, end.get(partition));
        }
        partitions = all;
        applied = Map.copyOf(held);
        return end;
    }

    private boolean caughtUpTo(Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    /** One batch and every partition's next position, in one write. */
    private void apply(ConsumerRecords<byte[], byte[]> records) throws RocksDBException {
        final Map<TopicPartition, Long> positions = new HashMap<>();
        for (TopicPartition partition : consumer.assignment()) {
            positions.put(partition, consumer.position(partition));
        }
        // an empty poll may still have moved past a transaction marker or aborted records
        if (records.isEmpty() && positions.equals(applied)) {
            return;
        }
        try (WriteBatch batch = new WriteBatch()) {
            // what this batch already wrote for a request, not in RocksDB yet: its value, or empty once deleted
            final Map<String, Optional<Archived>> written = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> record : records) {
                if (record.key() == null || record.key().length == 0 || record.key()[0] < RESERVED_BELOW) {
                    continue;
                }
                final String requestId = new String(record.key(), StandardCharsets.UTF_8);
                if (record.value() == null) {
                    unindex(batch, held(requestId, record.key(), written), Set.of());
                    batch.delete(record.key());
                    written.put(requestId, Optional.empty());
                    continue;
                }
                final Archived archived = accepted(record);
                if (archived != null) {
                    final Set<ArchiveIndex.Entry> entries = ArchiveIndex.entries(archived.state());
                    unindex(batch, held(requestId, record.key(), written), entries);
                    batch.put(record.key(), record.value());
                    for (ArchiveIndex.Entry entry : entries) {
                        batch.put(entry.bytes(), record.key());
                    }
                    written.put(requestId, Optional.of(archived));
                }
            }
            positions.forEach((partition, position) -> {
                try {
                    batch.put(offsetKey(partition.partition()), ByteBuffer.allocate(Long.BYTES).putLong(position).array());
                } catch (RocksDBException e) {
                    throw new IllegalStateException("cannot write the archive copy's offsets: " + e.getMessage(), e);
                }
            });
            db.write(writeOptions, batch);
        }
        applied = Map.copyOf(positions);
        signal();
    }

    /**
     * The value the copy holds for {@code requestId} before this record: the last one this batch wrote
     * for it, else RocksDB's. Null when there is none, or when the held one does not decode (it was
     * never indexed then).
     */
    private Archived held(String requestId, byte[] key, Map<String, Optional<Archived>> written)
            throws RocksDBException {
        final Optional<Archived> inBatch = written.get(requestId);
        if (inBatch != null) {
            return inBatch.orElse(null);
        }
        final byte[] bytes = db.get(key);
        if (bytes == null) {
            return null;
        }
        try {
            return decode(bytes);
        } catch (SerializationException e) {
            return null;
        }
    }

    /** Deletes the index entries of {@code previous} (if any) that {@code kept} does not hold. */
    private static void unindex(WriteBatch batch, Archived previous, Set<ArchiveIndex.Entry> kept)
            throws RocksDBException {
        if (previous == null) {
            return;
        }
        for (ArchiveIndex.Entry entry : ArchiveIndex.entries(previous.state())) {
            if (!kept.contains(entry)) {
                batch.delete(entry.bytes());
            }
        }
    }

    /**
     * A record's value if it is one the ledger wrote; if not, null, and says so (no value bytes) and
     * counts it.
     */
    private Archived accepted(ConsumerRecord<byte[], byte[]> record) {
        final String requestId = new String(record.key(), StandardCharsets.UTF_8);
        final Archived archived;
        try {
            archived = decode(record.value());
        } catch (SerializationException e) {
            return rejected(record, requestId, "its value does not decode (" + e.getMessage() + ")");
        }
        final String problem = problem(requestId, archived);
        return problem == null ? archived : rejected(record, requestId, problem);
    }

    private Archived rejected(ConsumerRecord<byte[], byte[]> record, String requestId, String problem) {
        rejected.incrementAndGet();
        LOG.error("archive follower: not keeping request {} at {}-{} offset {}: {} (only the ledger writes {})",
                requestId, record.topic(), record.partition(), record.offset(), problem, Topics.ARCHIVE);
        return null;
    }

    private static String problem(String requestId, Archived archived) {
        if (!requestId.equals(archived.state().requestId())) {
            return "its state is another request's";
        }
        if (archived.trail().isEmpty()) {
            return "its trail is empty";
        }
        if (archived.trail().stream().anyMatch(fact -> !requestId.equals(fact.getRequestId()))) {
            return "its trail holds another request's facts";
        }
        final String chain = AuditChain.verify(archived.trail());
        if (chain != null) {
            return "its trail's hash chain does not verify (" + chain + ")";
        }
        if (!Objects.equals(archived.trail().get(archived.trail().size() - 1).getHash(), archived.state().auditHead())) {
            return "its trail does not end at its state's audit head";
        }
        return null;
    }

    /** Decodes a held value; whatever goes wrong decoding it is a {@link SerializationException}. */
    private Archived decode(byte[] bytes) {
        try {
            return serde.deserializer().deserialize(Topics.ARCHIVE, bytes);
        } catch (SerializationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new SerializationException("malformed archived value: " + e.getClass().getSimpleName(), e);
        }
    }

    private static byte[] offsetKey(int partition) {
        return ByteBuffer.allocate(1 + Integer.BYTES).put(OFFSET_KEY).putInt(partition).array();
    }

    /**
     * {@inheritDoc}
     *
     * @throws InvalidStateStoreException while the copy cannot be read (not caught up yet, failed or
     *         closed) or holds a value for {@code requestId} that does not decode: the queries answer
     *         503 then, never "not found"
     */
    @Override
    public Archived get(String requestId) {
        // the read lock keeps close() from freeing RocksDB under a read that already passed the state check
        readers.readLock().lock();
        try {
            if (state != State.RUNNING) {
                throw new InvalidStateStoreException("the archive follower is " + state);
            }
            return decode(db.get(requestId.getBytes(StandardCharsets.UTF_8)));
        } catch (RocksDBException e) {
            throw new InvalidStateStoreException("cannot read the archive copy: " + e.getMessage(), e);
        } catch (SerializationException e) {
            throw new InvalidStateStoreException("the archive copy holds a value for request " + requestId
                    + " that does not decode: " + e.getMessage(), e);
        } finally {
            readers.readLock().unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Read from the copy's index of {@code order} in chunks ({@link ArchiveRange}): the follower's
     * read lock and a RocksDB snapshot are held only while one chunk (at most
     * {@value ArchiveRange#CHUNK} entries and their values) is read, never between {@code next()} calls.
     *
     * @throws InvalidStateStoreException when the copy cannot be read (here, or at a later chunk once it
     *         closed), or holds a value in the range that does not decode
     */
    @Override
    public KeyValueIterator<String, RequestState> range(Order order, String from, String to) {
        final ArchiveIndex.Kind kind = ArchiveIndex.Kind.of(Objects.requireNonNull(order, "order"));
        final byte[] end = ArchiveIndex.end(kind, to);
        return new ArchiveRange(ArchiveIndex.start(kind, from), (start, max) -> scan(start, end, max));
    }

    /**
     * {@inheritDoc}
     *
     * @throws InvalidStateStoreException as {@link #get}
     */
    @Override
    public List<RequestState> subject(String subjectKey) {
        if (subjectKey == null) {
            requireRunning();
            return List.of();
        }
        final ArchiveRange.Chunk chunk = scan(
                ArchiveIndex.key(ArchiveIndex.Kind.SUBJECT, IndexKeys.subjectFirst(subjectKey)),
                ArchiveIndex.key(ArchiveIndex.Kind.SUBJECT, IndexKeys.subjectLast(subjectKey)), Integer.MAX_VALUE);
        // a subject key that holds the separator could reach into another's entries: its state says
        return chunk.entries().stream().map(entry -> entry.value)
                .filter(state -> subjectKey.equals(state.subjectKey())).toList();
    }

    /**
     * At most {@code max} index entries from {@code start} (inclusive) to {@code end} (exclusive), each
     * with the value it names, read under the read lock from one snapshot; and where to go on (null: the end).
     */
    private ArchiveRange.Chunk scan(byte[] start, byte[] end, int max) {
        readers.readLock().lock();
        try {
            requireRunning();
            final Snapshot snapshot = db.getSnapshot();
            try (Slice upper = new Slice(end);
                 ReadOptions read = new ReadOptions().setSnapshot(snapshot).setIterateUpperBound(upper);
                 RocksIterator entries = db.newIterator(read)) {
                final List<KeyValue<String, RequestState>> found = new ArrayList<>();
                byte[] last = null;
                for (entries.seek(start); entries.isValid() && found.size() < max; entries.next()) {
                    last = entries.key();
                    final byte[] value = db.get(read, entries.value());
                    final RequestState state = value == null ? null : stateHeld(entries.value(), value);
                    // never an entry its value does not have (written together, so only if the copy were damaged)
                    final ArchiveIndex.Entry entry = ArchiveIndex.entry(last);
                    if (state != null && ArchiveIndex.entries(state).contains(entry)) {
                        found.add(KeyValue.pair(entry.key(), state));
                    }
                }
                entries.status();
                return new ArchiveRange.Chunk(found, entries.isValid() ? ArchiveIndex.after(last) : null);
            } finally {
                db.releaseSnapshot(snapshot);
            }
        } catch (RocksDBException | IllegalArgumentException e) {
            // an index entry this code cannot read (a damaged copy) is a copy that cannot be read: 503, not 500
            throw new InvalidStateStoreException("cannot read the archive copy: " + e.getMessage(), e);
        } finally {
            readers.readLock().unlock();
        }
    }

    /** The state of a held value, its trail not decoded (a list shows states; a trail is most of a value). */
    private RequestState stateHeld(byte[] requestId, byte[] value) {
        try {
            return serde.decodeState(value);
        } catch (RuntimeException e) {
            throw new InvalidStateStoreException("the archive copy holds a value for request "
                    + new String(requestId, StandardCharsets.UTF_8) + " that does not decode: " + e.getMessage(), e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Asks the brokers for the read-committed end (last stable offset) of every partition, then
     * compares it with the offsets the copy holds: one request when the copy is caught up; otherwise
     * it waits for the follower's next writes, up to {@code timeout} in all.
     */
    @Override
    public void awaitCaughtUp(Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        requireRunning();
        final Map<TopicPartition, Long> ends = committedEnds(timeout);
        if (holds(ends)) {
            return;
        }
        progress.lock();
        try {
            while (!holds(ends)) {
                requireRunning();
                final long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new InvalidStateStoreException("the archive copy has not caught up within " + timeout
                            + ": it holds " + applied + ", the archive's committed end is " + ends);
                }
                advanced.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InvalidStateStoreException("interrupted while waiting for the archive copy to catch up");
        } finally {
            progress.unlock();
        }
    }

    private void requireRunning() {
        if (state != State.RUNNING) {
            throw new InvalidStateStoreException("the archive follower is " + state);
        }
    }

    private Map<TopicPartition, Long> committedEnds(Duration timeout) {
        final Map<TopicPartition, OffsetSpec> latest = partitions.stream()
                .collect(Collectors.toMap(partition -> partition, partition -> OffsetSpec.latest()));
        final int timeoutMs = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        try {
            final Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(latest,
                    new ListOffsetsOptions(IsolationLevel.READ_COMMITTED).timeoutMs(timeoutMs))
                    .all().get(timeoutMs, TimeUnit.MILLISECONDS);
            return ends.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InvalidStateStoreException("interrupted while asking for the archive's end offsets");
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw new InvalidStateStoreException("cannot get the archive's end offsets: " + e, e);
        }
    }

    private boolean holds(Map<TopicPartition, Long> ends) {
        final Map<TopicPartition, Long> held = applied;
        return ends.entrySet().stream().allMatch(e -> held.getOrDefault(e.getKey(), -1L) >= e.getValue());
    }

    public State state() {
        return state;
    }

    /** How many archive records this follower did not keep because their value was not one the ledger writes. */
    public long rejected() {
        return rejected.get();
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
            thread.join(CLOSE_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close(Duration.ofSeconds(5));
        readers.writeLock().lock();
        try {
            changeState(State.CLOSED);
            if (thread.isAlive()) {
                // it may still be inside a RocksDB write: freeing RocksDB under it would crash the JVM
                LOG.warn("archive follower of {}: its thread did not end within {}; RocksDB is left open",
                        settings.clientId(), CLOSE_WAIT);
            } else {
                writeOptions.close();
                db.close();
                options.close();
                filter.close();
                cache.close();
            }
        } finally {
            readers.writeLock().unlock();
        }
        LOG.info("archive follower of {} closed", settings.clientId());
    }
}
