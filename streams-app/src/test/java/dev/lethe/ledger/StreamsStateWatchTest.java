package dev.lethe.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

/**
 * A ledger whose stream processing falls into ERROR after it ran is reported once (LedgerMain then
 * exits so that it is restarted); one that fails while starting fails its start instead.
 */
class StreamsStateWatchTest {

    private final AtomicInteger failed = new AtomicInteger();
    private final StreamsStateWatch watch = new StreamsStateWatch(failed::incrementAndGet);

    @Test
    void shouldReportOnceWhenTheStreamsClientFallsIntoErrorAfterItRan() {
        watch.onChange(State.REBALANCING, State.CREATED);
        watch.onChange(State.RUNNING, State.REBALANCING);
        watch.awaitRunning(null, Duration.ofSeconds(1));
        watch.onChange(State.PENDING_ERROR, State.RUNNING);
        watch.onChange(State.ERROR, State.PENDING_ERROR);
        watch.onChange(State.ERROR, State.ERROR);

        assertEquals(1, failed.get());
    }

    @Test
    void shouldNotReportARebalanceOrADeliberateClose() {
        watch.onChange(State.RUNNING, State.REBALANCING);
        watch.onChange(State.REBALANCING, State.RUNNING);
        watch.onChange(State.RUNNING, State.REBALANCING);
        watch.onChange(State.PENDING_SHUTDOWN, State.RUNNING);
        watch.onChange(State.NOT_RUNNING, State.PENDING_SHUTDOWN);

        assertEquals(0, failed.get());
    }

    @Test
    void shouldFailTheStartWhenTheClientFailsBeforeItRan() {
        watch.onChange(State.REBALANCING, State.CREATED);
        watch.onChange(State.PENDING_ERROR, State.REBALANCING);
        watch.onChange(State.ERROR, State.PENDING_ERROR);

        final IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> watch.awaitRunning(null, Duration.ofSeconds(1)));
        assertEquals("the ledger stopped while starting (state ERROR)", refused.getMessage());
        assertEquals(0, failed.get());
    }
}
