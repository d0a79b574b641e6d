package dev.lethe.ledger;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger's view of its Kafka Streams client's state: {@link #awaitRunning} waits until the
 * client runs (or fails while starting), and once it has run, a fall into {@code ERROR} (every
 * stream thread or the global thread dead for good) calls {@code onFailed} once. Kafka Streams
 * allows one state listener, set before the start, so both live here.
 */
final class StreamsStateWatch implements KafkaStreams.StateListener {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsStateWatch.class);

    private final Runnable onFailed;
    private final CountDownLatch settled = new CountDownLatch(1);
    private final AtomicReference<KafkaStreams.State> last = new AtomicReference<>();
    private final AtomicBoolean ran = new AtomicBoolean();
    private final AtomicBoolean reported = new AtomicBoolean();

    StreamsStateWatch(Runnable onFailed) {
        this.onFailed = onFailed;
    }

    @Override
    public void onChange(KafkaStreams.State now, KafkaStreams.State before) {
        last.set(now);
        if (now == KafkaStreams.State.RUNNING) {
            ran.set(true);
        }
        if (now == KafkaStreams.State.RUNNING || now == KafkaStreams.State.ERROR
                || now == KafkaStreams.State.PENDING_SHUTDOWN || now == KafkaStreams.State.NOT_RUNNING) {
            settled.countDown();
        }
        if (now == KafkaStreams.State.ERROR && ran.get() && reported.compareAndSet(false, true)) {
            LOG.error("the ledger's stream processing stopped for good (state ERROR)");
            onFailed.run();
        }
    }

    /** Waits until the client runs; throws when it stopped or did not get there within {@code timeout}. */
    void awaitRunning(KafkaStreams streams, Duration timeout) {
        try {
            if (!settled.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the ledger did not reach RUNNING within " + timeout
                        + " (state " + streams.state() + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the ledger", e);
        }
        if (last.get() != KafkaStreams.State.RUNNING && !ran.get()) {
            throw new IllegalStateException("the ledger stopped while starting (state " + last.get() + ")");
        }
    }
}
