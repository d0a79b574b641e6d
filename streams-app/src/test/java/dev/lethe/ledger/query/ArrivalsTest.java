package dev.lethe.ledger.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ArrivalsTest {

    private static final int PARTITION = 2;
    private static final byte[] KEY = "00000000-0000-4000-8000-0000000000aa".getBytes(StandardCharsets.UTF_8);
    private static final Duration WAIT = Duration.ofMillis(300);

    /** A log whose end offset and "pending" answer are set by the test; counts the searches. */
    private static final class FakeLog implements AppliedCheck {
        volatile long end;
        volatile boolean pending;
        final AtomicInteger searches = new AtomicInteger();

        FakeLog(long end, boolean pending) {
            this.end = end;
            this.pending = pending;
        }

        @Override
        public long endOffset(int partition) {
            return end;
        }

        @Override
        public boolean pending(int partition, byte[] key) {
            searches.incrementAndGet();
            return pending;
        }
    }

    /** The store: not found until {@code found} is set; the ledger's applied offset moves with it. */
    private static final class Store implements Supplier<Lookup<String>> {
        final AtomicReference<String> found = new AtomicReference<>();
        final AtomicInteger reads = new AtomicInteger();
        final AtomicLong applied;
        final int applyOnRead;
        final long appliedThen;

        Store(long applied, int applyOnRead, long appliedThen) {
            this.applied = new AtomicLong(applied);
            this.applyOnRead = applyOnRead;
            this.appliedThen = appliedThen;
        }

        @Override
        public Lookup<String> get() {
            if (reads.incrementAndGet() == applyOnRead) {
                found.set("the request");
                applied.set(appliedThen);
            }
            final String value = found.get();
            return value == null ? new Lookup.NotFound<>() : new Lookup.Found<>(value);
        }

        Long applied(int partition) {
            final long value = applied.get();
            return value < 0 ? null : value;
        }
    }

    @Test
    void shouldWaitForARequestWrittenBeforeTheReadButNotYetApplied() {
        final FakeLog log = new FakeLog(10, true);
        final Store store = new Store(7, 4, 9);

        final Lookup<String> answer = new Arrivals(log, store::applied, WAIT).await(PARTITION, KEY, store);

        assertEquals(new Lookup.Found<>("the request"), answer);
        assertEquals(0, log.searches.get(), "the offsets decided it; the log was not searched");
    }

    @Test
    void shouldSayNotFoundAtOnceWhenTheLedgerHasAppliedEverythingWrittenBeforeTheRead() {
        final FakeLog log = new FakeLog(10, true);
        final Store store = new Store(9, -1, 9);
        final long t0 = System.nanoTime();

        final Lookup<String> answer = new Arrivals(log, store::applied, WAIT).await(PARTITION, KEY, store);

        assertInstanceOf(Lookup.NotFound.class, answer);
        assertEquals(0, log.searches.get());
        assertTrue(System.nanoTime() - t0 < WAIT.toNanos(), "answered without waiting out the bound");
    }

    /**
     * A committed transaction leaves its marker as the partition's last offset, and the processor
     * never sees a marker: the applied offset stops one short of the end for good. The log decides
     * then, at once, instead of the read waiting out its whole bound.
     */
    @Test
    void shouldAskTheLogAtOnceWhenTheAppliedOffsetStopsShortOfTheEnd() {
        final FakeLog log = new FakeLog(10, false);
        final Store store = new Store(8, -1, 8);
        final long t0 = System.nanoTime();

        final Lookup<String> answer = new Arrivals(log, store::applied, Duration.ofSeconds(2)).await(PARTITION, KEY, store);

        assertInstanceOf(Lookup.NotFound.class, answer);
        assertEquals(1, log.searches.get());
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(1).toNanos(), "answered without waiting out the bound");
    }

    @Test
    void shouldSayNotFoundForAnEmptyPartition() {
        final FakeLog log = new FakeLog(0, true);
        final Store store = new Store(-1, -1, -1);

        assertInstanceOf(Lookup.NotFound.class, new Arrivals(log, store::applied, WAIT).await(PARTITION, KEY, store));
        assertEquals(0, log.searches.get());
    }

    @Test
    void shouldNeverSayNotFoundWhileTheRequestMayStillBePendingAfterTheWait() {
        final FakeLog log = new FakeLog(10, true);
        final Store store = new Store(5, -1, 5);

        final Lookup<String> answer = new Arrivals(log, store::applied, WAIT).await(PARTITION, KEY, store);

        assertInstanceOf(Lookup.Unavailable.class, answer);
        assertEquals(1, log.searches.get());
    }

    @Test
    void shouldSearchTheLogWhenThisInstanceHasAppliedNothingSinceItStarted() {
        final FakeLog log = new FakeLog(10, false);
        final Store store = new Store(-1, -1, -1);
        final long t0 = System.nanoTime();

        final Lookup<String> answer = new Arrivals(log, store::applied, WAIT).await(PARTITION, KEY, store);

        assertInstanceOf(Lookup.NotFound.class, answer);
        assertEquals(1, log.searches.get());
        assertTrue(System.nanoTime() - t0 < WAIT.toNanos(), "a quiet partition does not wait out the bound");
    }

    @Test
    void shouldWaitForAPendingRequestWhenTheEndOffsetIsUnknown() {
        final FakeLog log = new FakeLog(-1, true);
        final Store store = new Store(-1, 3, 4);

        final Lookup<String> answer = new Arrivals(log, store::applied, WAIT).await(PARTITION, KEY, store);

        assertEquals(new Lookup.Found<>("the request"), answer);
        assertEquals(1, log.searches.get());
    }
}
