package dev.lethe.ledger.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * A {@link MockConsumer} over a log that it keeps, so that it behaves like a broker's partition
 * after a {@code seek}: every poll returns the log's records from the consumer's position on
 * (MockConsumer alone forgets a record once it returned it), and a poll with nothing to return
 * waits for a record or a {@code wakeup} up to its timeout. A subscribing consumer is assigned
 * every partition on its first poll. Commits are recorded; {@link #failNextCommits} makes the
 * next {@code commitSync} calls fail as a commit during a rebalance does.
 */
public final class LogConsumer extends MockConsumer<byte[], byte[]> {

    private final String topic;
    private final List<TopicPartition> partitions = new ArrayList<>();
    private final Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> log = new HashMap<>();
    private final List<Map<TopicPartition, OffsetAndMetadata>> commits = new ArrayList<>();
    private final AtomicInteger commitFailures = new AtomicInteger();
    private boolean woken;

    public LogConsumer(String topic, int partitionCount) {
        super("earliest");
        this.topic = topic;
        final List<PartitionInfo> infos = new ArrayList<>();
        final Map<TopicPartition, Long> zeros = new HashMap<>();
        for (int i = 0; i < partitionCount; i++) {
            final TopicPartition partition = new TopicPartition(topic, i);
            partitions.add(partition);
            log.put(partition, new ArrayList<>());
            infos.add(new PartitionInfo(topic, i, null, null, null));
            zeros.put(partition, 0L);
        }
        updatePartitions(topic, infos);
        updateBeginningOffsets(zeros);
        updateEndOffsets(zeros);
    }

    /** Appends a record to a partition's log; answers its offset. */
    public synchronized long append(int partition, byte[] key, byte[] value) {
        final TopicPartition tp = partitions.get(partition);
        final List<ConsumerRecord<byte[], byte[]>> records = log.get(tp);
        final long offset = records.size();
        records.add(new ConsumerRecord<>(topic, partition, offset, key, value));
        updateEndOffsets(Map.of(tp, offset + 1));
        notifyAll();
        return offset;
    }

    public TopicPartition partition(int partition) {
        return partitions.get(partition);
    }

    public synchronized void failNextCommits(int count) {
        commitFailures.set(count);
    }

    /** Every successful commit, in order (sync commits and those of a linked transactional producer). */
    public synchronized List<Map<TopicPartition, OffsetAndMetadata>> commits() {
        return List.copyOf(commits);
    }

    /** The committed offset of a partition, -1 when none (also once the consumer is closed). */
    public synchronized long committedOffset(int partition) {
        final TopicPartition tp = partitions.get(partition);
        return commits.stream().filter(c -> c.containsKey(tp)).reduce((a, b) -> b)
                .map(c -> c.get(tp).offset()).orElse(-1L);
    }

    @Override
    public synchronized ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
        if (!subscription().isEmpty() && assignment().isEmpty()) {
            rebalance(partitions);
        }
        if (!feed() && timeout.toMillis() > 0 && !woken) {
            try {
                wait(timeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            feed();
        }
        woken = false;
        return super.poll(timeout);
    }

    /** Hands MockConsumer the log from each readable partition's position; false when there was none. */
    private boolean feed() {
        boolean fed = false;
        for (TopicPartition partition : assignment()) {
            if (paused().contains(partition)) {
                continue;
            }
            final List<ConsumerRecord<byte[], byte[]>> records = log.get(partition);
            for (int offset = (int) position(partition); offset < records.size(); offset++) {
                addRecord(records.get(offset));
                fed = true;
            }
        }
        return fed;
    }

    @Override
    public synchronized void wakeup() {
        super.wakeup();
        woken = true;
        notifyAll();
    }

    @Override
    public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (commitFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new CommitFailedException("injected: the group rebalanced before the commit");
        }
        record(offsets);
    }

    /** Commits offsets as a transaction that wrote them would. */
    synchronized void commitFromTransaction(Map<TopicPartition, OffsetAndMetadata> offsets) {
        record(offsets);
    }

    private void record(Map<TopicPartition, OffsetAndMetadata> offsets) {
        super.commitSync(offsets);
        commits.add(Map.copyOf(offsets));
    }
}
