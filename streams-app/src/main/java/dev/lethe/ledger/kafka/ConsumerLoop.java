package dev.lethe.ledger.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one shape of Lethe's hand-run consumers: a consumer on its own thread that polls, hands
 * each record to a {@link Handler} in partition order, and commits what the handler did through a
 * {@link Committer} together with the consumed offsets.
 *
 * <p>Contract:
 * <ul>
 *   <li>An offset is committed only once every earlier record of its partition was handled and
 *       its output committed: a {@link Step#commit} commits at once, a {@link Step#passed} record's
 *       offset goes with the next commit, and after each poll the position of every partition
 *       handled to the end is committed (past transaction markers too, so a caught-up group's lag
 *       reads zero).</li>
 *   <li>When a commit fails ({@link NotCommittedException}) every assigned partition goes back to
 *       its last committed offset and the rest of the batch, in every partition, is dropped: the
 *       next poll starts there. Nothing is skipped; what was handled since the last commit is
 *       handled again, so handlers must be idempotent. A partition that has no committed offset
 *       goes back to its beginning (the loops read with {@code auto.offset.reset=earliest}). If
 *       the committed offsets cannot be read, the loop stops rather than guess.</li>
 *   <li>A handler or committer that throws anything else stops the loop without committing the
 *       record in hand; {@link #isRunning()} turns false and the clients are closed.</li>
 *   <li>{@link #close(Duration)} sets the stop flag and wakes the consumer up; the loop stops
 *       after the record in hand (whose commit still goes through), handles and commits nothing
 *       more, and closes the consumer and then the handler on its own thread. It waits at most
 *       the given time.</li>
 * </ul>
 *
 * @param <W> what the handler writes for a record
 */
public final class ConsumerLoop<K, V, W> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);

    /** What a loop does with its records; every method runs on the loop's thread. */
    public interface Handler<K, V, W> {

        /** Before the loop subscribes, e.g. to initialise transactions; throwing stops the loop. */
        default void open() {
        }

        /** Before each poll, e.g. to resume paused partitions that are due. */
        default void beforePoll(Consumer<K, V> consumer) {
        }

        Step<W> handle(ConsumerRecord<K, V> record);

        /** After {@code output} was committed. */
        default void committed(List<W> output) {
        }

        /** Partitions this loop no longer owns (revoked or lost in a rebalance). */
        default void revoked(Collection<TopicPartition> partitions) {
        }

        /** After the loop stopped and closed its consumer: closes what the handler owns. */
        default void close() {
        }
    }

    private final String name;
    private final Consumer<K, V> consumer;
    private final Collection<String> topics;
    private final Duration pollTimeout;
    private final Handler<K, V, W> handler;
    private final Committer<K, V, W> committer;
    private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();
    private final Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean clientsClosed = new AtomicBoolean();
    private volatile boolean running = true;
    private volatile boolean subscribed;
    private volatile Thread thread;

    /** @param name names the thread and the log lines; the loop owns {@code consumer} */
    public ConsumerLoop(String name, Consumer<K, V> consumer, Collection<String> topics, Duration pollTimeout,
                        Handler<K, V, W> handler, Committer<K, V, W> committer) {
        this.name = name;
        this.consumer = consumer;
        this.topics = List.copyOf(topics);
        this.pollTimeout = pollTimeout;
        this.handler = handler;
        this.committer = committer;
    }

    /** Starts the thread; returns once the handler is open and the consumer subscribed. */
    public synchronized ConsumerLoop<K, V, W> start(Duration timeout) {
        if (thread != null) {
            throw new IllegalStateException(name + " already started");
        }
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
        try {
            if (!ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                close(Duration.ZERO);
                throw new IllegalStateException(name + " did not start within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting " + name, e);
        }
        if (!subscribed) {
            throw new IllegalStateException(name + " stopped while starting; see the log");
        }
        return this;
    }

    public boolean isRunning() {
        return running;
    }

    private void run() {
        try {
            handler.open();
            consumer.subscribe(topics, new Rebalance());
            subscribed = true;
            ready.countDown();
            LOG.info("{} running", name);
            while (running) {
                handler.beforePoll(consumer);
                handle(consumer.poll(pollTimeout));
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("{} was woken up unexpectedly and stops", name, e);
            }
        } catch (RuntimeException e) {
            LOG.error("{} failed and stops: {}", name, e.getMessage(), e);
        } finally {
            running = false;
            ready.countDown();
            closeClients();
            stopped.countDown();
        }
    }

    private void handle(ConsumerRecords<K, V> records) {
        for (TopicPartition partition : records.partitions()) {
            final Batch batch = handle(partition, records.records(partition));
            if (batch == Batch.REWOUND || batch == Batch.STOPPED) {
                return;
            }
            if (batch == Batch.DONE && consumer.assignment().contains(partition)) {
                pending.put(partition, new OffsetAndMetadata(consumer.position(partition)));
            }
        }
        commitPending();
    }

    /** How far the handling of one partition's records came. */
    private enum Batch { DONE, HELD, REWOUND, STOPPED }

    private Batch handle(TopicPartition partition, List<ConsumerRecord<K, V>> records) {
        for (ConsumerRecord<K, V> record : records) {
            if (!running) {
                return Batch.STOPPED;
            }
            final Step<W> step = handler.handle(record);
            if (step instanceof Step.Commit<W> commit) {
                pending.put(partition, new OffsetAndMetadata(record.offset() + 1));
                if (!commit(commit.output())) {
                    return Batch.REWOUND;
                }
            } else if (step instanceof Step.Passed<W>) {
                pending.put(partition, new OffsetAndMetadata(record.offset() + 1));
            } else if (step instanceof Step.Retry<W>) {
                consumer.seek(partition, record.offset());
                return Batch.HELD;
            } else if (step instanceof Step.Pause<W>) {
                consumer.seek(partition, record.offset());
                consumer.pause(List.of(partition));
                return Batch.HELD;
            } else {
                throw new IllegalStateException("unknown step " + step);
            }
        }
        return Batch.DONE;
    }

    /** Commits the offsets not committed yet (if any) with no output. */
    private void commitPending() {
        pending.entrySet().removeIf(e -> e.getValue().equals(committed.get(e.getKey())));
        if (!pending.isEmpty() && running) {
            commit(List.of());
        }
    }

    /** Commits {@code output} with the pending offsets; false (after a rewind) when it was not committed. */
    private boolean commit(List<W> output) {
        final Map<TopicPartition, OffsetAndMetadata> offsets = Map.copyOf(pending);
        try {
            commitThroughWakeup(output, offsets);
        } catch (NotCommittedException e) {
            LOG.warn("{} could not commit and goes back to its last committed offsets: {}", name, e.getMessage());
            rewind();
            return false;
        }
        pending.clear();
        committed.putAll(offsets);
        handler.committed(output);
        return true;
    }

    /** Commits; when {@link #close} woke the consumer up during the commit, commits again (the record in hand). */
    private void commitThroughWakeup(List<W> output, Map<TopicPartition, OffsetAndMetadata> offsets) {
        try {
            committer.commit(output, offsets, consumer);
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
            committer.commit(output, offsets, consumer);
        }
    }

    /** Goes back to the last committed offset of every assigned partition. */
    private void rewind() {
        final Set<TopicPartition> assigned = consumer.assignment();
        final Map<TopicPartition, OffsetAndMetadata> last = consumer.committed(assigned);
        pending.clear();
        committed.clear();
        for (TopicPartition partition : assigned) {
            final OffsetAndMetadata offset = last.get(partition);
            if (offset == null) {
                consumer.seekToBeginning(List.of(partition));
            } else {
                consumer.seek(partition, offset);
                committed.put(partition, offset);
            }
        }
    }

    private void closeClients() {
        if (!clientsClosed.compareAndSet(false, true)) {
            return;
        }
        try {
            consumer.close();
        } catch (RuntimeException e) {
            LOG.warn("{}: closing its consumer failed: {}", name, e.getMessage());
        }
        try {
            handler.close();
        } catch (RuntimeException e) {
            LOG.warn("{}: closing its handler failed: {}", name, e.getMessage());
        }
    }

    /** Stops the loop; true when it stopped within {@code timeout}. */
    public boolean close(Duration timeout) {
        running = false;
        if (thread == null) {
            closeClients();
            return true;
        }
        consumer.wakeup();
        try {
            if (stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.warn("{} did not stop within {}", name, timeout);
        return false;
    }

    /** Stops the loop, waiting at most 30 s. */
    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    /** Forgets uncommitted offsets of partitions this loop no longer owns. */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            pending.keySet().removeAll(partitions);
            committed.keySet().removeAll(partitions);
            handler.revoked(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // Newly assigned partitions start at their committed offset.
        }
    }
}
