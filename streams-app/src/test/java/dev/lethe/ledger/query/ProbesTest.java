package dev.lethe.ledger.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.TopicPartition;
import dev.lethe.ledger.archive.ArchiveFollower;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/** Liveness apart from readiness: a restoring instance is alive and not ready; a failed one is not alive. */
class ProbesTest {

    private final AtomicReference<KafkaStreams.State> state = new AtomicReference<>(KafkaStreams.State.CREATED);
    private final Probes probes = new Probes();
    private final TopicPartition changelog = new TopicPartition("lethe-ledger-requests-changelog", 2);

    ProbesTest() {
        probes.watch(state::get);
    }

    @Test
    void shouldBeAliveButNotReadyWhileStarting() {
        assertEquals(200, probes.liveness().status());
        assertEquals(503, probes.readiness().status());
        assertEquals("CREATED", probes.readiness().body().get("streams"));
    }

    @Test
    void shouldNotBeReadyWhileAStoreRestoresEvenWhenRunning() {
        state.set(KafkaStreams.State.RUNNING);
        probes.onRestoreStart(changelog, "requests", 0, 1_000_000);

        assertEquals(200, probes.liveness().status());
        assertEquals(503, probes.readiness().status());
        assertEquals(1, probes.readiness().body().get("restoring"));

        probes.onRestoreEnd(changelog, "requests", 1_000_000);

        assertEquals(200, probes.readiness().status());
        assertEquals("READY", probes.readiness().body().get("status"));
    }

    @Test
    void shouldCountASuspendedRestoreAsOver() {
        state.set(KafkaStreams.State.RUNNING);
        probes.onRestoreStart(changelog, "requests", 0, 10);
        probes.onRestoreSuspended(changelog, "requests", 3);

        assertEquals(200, probes.readiness().status());
    }

    @Test
    void shouldBeAliveButNotReadyWhileRebalancing() {
        state.set(KafkaStreams.State.REBALANCING);

        assertEquals(200, probes.liveness().status());
        assertEquals(503, probes.readiness().status());
    }

    @Test
    void shouldNotBeAliveOnceTheClientFailed() {
        state.set(KafkaStreams.State.ERROR);

        assertEquals(503, probes.liveness().status());
        assertEquals("DOWN", probes.liveness().body().get("status"));
        assertEquals(503, probes.readiness().status());
    }

    @Test
    void shouldNotBeReadyWhileTheArchiveFollowerIsNotRunning() {
        final AtomicReference<ArchiveFollower.State> follower = new AtomicReference<>(ArchiveFollower.State.STARTING);
        probes.watchArchive(follower::get);
        state.set(KafkaStreams.State.RUNNING);

        assertEquals(503, probes.readiness().status());
        assertEquals("STARTING", probes.readiness().body().get("archive"));
        assertEquals(200, probes.liveness().status());

        follower.set(ArchiveFollower.State.RUNNING);

        assertEquals(200, probes.readiness().status());
    }

    @Test
    void shouldNotBeAliveOnceTheArchiveFollowerFailed() {
        final AtomicReference<ArchiveFollower.State> follower = new AtomicReference<>(ArchiveFollower.State.FAILED);
        probes.watchArchive(follower::get);
        state.set(KafkaStreams.State.RUNNING);

        assertEquals(503, probes.liveness().status());
        assertEquals("DOWN", probes.liveness().body().get("status"));
        assertEquals(503, probes.readiness().status());
    }
}
