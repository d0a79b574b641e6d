package dev.lethe.ledger.topology;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The offset of the last input record the ledger processor of this instance has applied, per
 * topic partition: the read-your-writes marker for interactive queries. The processor records an
 * offset after it has written the store, so a query that sees the offset sees the write.
 *
 * <p>It stands in for the stores' IQv2 positions, which cannot be read safely in Kafka Streams
 * 4.3.1 (KAFKA-19629). It lives in memory: after a restart or a task move it knows only what
 * this instance has applied since; a record applied elsewhere before counts as not reached, so a
 * reader waits out its (bounded) wait and then reads the restored state.
 */
public final class AppliedOffsets {

    private final Map<String, Long> offsets = new ConcurrentHashMap<>();

    void record(String topic, int partition, long offset) {
        offsets.merge(topic + '-' + partition, offset, Math::max);
    }

    /**
     * Forgets what was applied on {@code partition} of every input topic: the task of that partition
     * is being (re)initialised or closed here, and its store may have been rolled back to its last
     * commit (a corrupted task, a dirty close), so the offsets recorded since may not be in it.
     * Readers then fall back on the ledger's committed offsets, which a rollback cannot outrun.
     */
    void forget(int partition) {
        final String suffix = "-" + partition;
        offsets.keySet().removeIf(key -> key.endsWith(suffix));
    }

    /** The last offset of the partition this instance has applied, or null when it has applied none since it started. */
    public Long last(String topic, int partition) {
        return offsets.get(topic + '-' + partition);
    }

    /** True once this instance has applied {@code offset} of the partition (or a later one). */
    public boolean reached(String topic, int partition, long offset) {
        final Long applied = offsets.get(topic + '-' + partition);
        return applied != null && applied >= offset;
    }
}
