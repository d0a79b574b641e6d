package dev.lethe.ledger.query;

import dev.lethe.ledger.archive.ArchiveFollower;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * What an orchestrator asks a ledger instance, apart: is the process alive ({@code GET /livez}),
 * and can it answer now ({@code GET /readyz})? Kept apart so that an instance that is restoring
 * its stores is neither killed (it is alive) nor sent traffic (it is not ready).
 * <ul>
 *   <li>alive: the instance is starting, or its Kafka Streams client is in any state but
 *       {@code PENDING_ERROR} / {@code ERROR} (a stream thread died and the client shut down: only
 *       a restart helps);</li>
 *   <li>ready: Kafka Streams is {@code RUNNING} and no active store is restoring from its
 *       changelog (counted here as the {@link StateRestoreListener} of the client).</li>
 *   <li>both also look at the archive follower, when one is watched ({@link #watchArchive}): ready
 *       only while it is RUNNING, not alive once it FAILED.</li>
 * </ul>
 */
public final class Probes implements StateRestoreListener {

    /** A probe's answer: its HTTP status and JSON body. */
    public record Answer(int status, Map<String, Object> body) {
    }

    private final Set<TopicPartition> restoring = ConcurrentHashMap.newKeySet();
    private volatile Supplier<KafkaStreams.State> streams = () -> KafkaStreams.State.CREATED;
    /** The archive follower's state (issue 19); RUNNING when none is watched. */
    private volatile Supplier<ArchiveFollower.State> archive = () -> ArchiveFollower.State.RUNNING;

    /** Watches {@code streams}: call before {@link KafkaStreams#start()} (it sets the restore listener). */
    public void watch(KafkaStreams watched) {
        watched.setGlobalStateRestoreListener(this);
        watch(watched::state);
    }

    /**
     * Also watches the archive follower: the instance is not ready while it is not RUNNING, and not
     * alive once it FAILED (only a restart brings it back).
     */
    public void watchArchive(Supplier<ArchiveFollower.State> state) {
        this.archive = state;
    }

    /** Reads the client's state from {@code state} (tests). */
    void watch(Supplier<KafkaStreams.State> state) {
        this.streams = state;
    }

    /** {@code 200 {"status": "UP", "streams"}}, or {@code 503 {"status": "DOWN", "streams"}}. */
    public Answer liveness() {
        final KafkaStreams.State state = state();
        final ArchiveFollower.State follower = archive.get();
        final boolean alive = state != KafkaStreams.State.ERROR && state != KafkaStreams.State.PENDING_ERROR
                && follower != ArchiveFollower.State.FAILED;
        final Map<String, Object> body = body(alive ? "UP" : "DOWN", state);
        body.put("archive", follower.name());
        return new Answer(alive ? 200 : 503, body);
    }

    /** {@code 200 {"status": "READY", "streams", "restoring"}}, else 503 with {@code "NOT_READY"}. */
    public Answer readiness() {
        final KafkaStreams.State state = state();
        final ArchiveFollower.State follower = archive.get();
        final boolean ready = state == KafkaStreams.State.RUNNING && follower == ArchiveFollower.State.RUNNING
                && restoring.isEmpty();
        final Map<String, Object> body = body(ready ? "READY" : "NOT_READY", state);
        body.put("archive", follower.name());
        body.put("restoring", restoring.size());
        return new Answer(ready ? 200 : 503, body);
    }

    /** How many store partitions are restoring from their changelogs now. */
    public int restoring() {
        return restoring.size();
    }

    private KafkaStreams.State state() {
        return streams.get();
    }

    private static Map<String, Object> body(String status, KafkaStreams.State state) {
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("streams", state.name());
        return body;
    }

    @Override
    public void onRestoreStart(TopicPartition partition, String storeName, long startingOffset, long endingOffset) {
        restoring.add(partition);
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String storeName, long batchEndOffset, long numRestored) {
        // progress only: readiness changes at start and end
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String storeName, long totalRestored) {
        restoring.remove(partition);
    }

    @Override
    public void onRestoreSuspended(TopicPartition partition, String storeName, long totalRestored) {
        restoring.remove(partition);
    }
}
