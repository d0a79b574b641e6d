package dev.lethe.ledger.query;

import java.time.Duration;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Read-your-writes for a request id the store does not hold: the gateway answers 202 as soon as
 * the request is durable on {@code erasure.requests}, so a GET may arrive before the ledger has
 * applied it. Such a GET waits (bounded) until this instance has applied everything written to the
 * id's partition before the GET arrived; only then is "not found" true.
 *
 * <ol>
 *   <li>The partition's end offset (its high watermark) is read when the lookup starts: the
 *       accepted record lies below it, because its 202 was answered before the GET was sent.</li>
 *   <li>While the ledger's applied offset on the partition is below that end and moving, the store
 *       is read again every few milliseconds; the request is returned as soon as it is there.</li>
 *   <li>Once the applied offset reaches the end, the store's answer stands (found or not found).
 *       When it stops short of the end for {@link #STALL} (the last offsets are transaction
 *       markers, which no processor sees, or a transaction is still open), the log decides, as
 *       below.</li>
 *   <li>When the end offset cannot be had, this instance has applied nothing on the partition since
 *       it started (a restart, a task moved here), or the wait is over, the log itself is searched for
 *       the key ({@link AppliedCheck#pending}): "may be pending" waits on for the remaining time and
 *       then answers "unavailable" (503, try again), never "not found".</li>
 * </ol>
 */
public final class Arrivals {

    /** How long a read waits, at most, for the ledger to apply what was written before it. */
    public static final Duration WAIT = Duration.ofSeconds(2);
    /** How long the applied offset may stand still below the end before the log is asked instead. */
    static final Duration STALL = Duration.ofMillis(50);
    private static final long POLL_MS = 2;

    private final AppliedCheck log;
    private final IntFunction<Long> applied;
    private final Duration wait;

    /**
     * @param log     the end offsets of {@code erasure.requests}, and the search for a key in its unapplied tail
     * @param applied the last offset of a partition of {@code erasure.requests} this instance has applied, or
     *                null when none since it started
     * @param wait    how long to wait, at most
     */
    public Arrivals(AppliedCheck log, IntFunction<Long> applied, Duration wait) {
        this.log = log;
        this.applied = applied;
        this.wait = wait;
    }

    /**
     * The answer for a request id the store did not hold a moment ago: {@code read} reads the store
     * again ({@link Lookup.Found}, {@link Lookup.NotFound} or {@link Lookup.Unavailable}).
     *
     * @param partition the id's partition of {@code erasure.requests}
     * @param key       the id as written (serialized), to search the log for
     */
    public <T> Lookup<T> await(int partition, byte[] key, Supplier<Lookup<T>> read) {
        final long deadline = System.nanoTime() + wait.toNanos();
        final long end = log.endOffset(partition);
        if (end == 0) {
            return read.get();
        }
        if (end > 0 && applied.apply(partition) != null) {
            Long seen = null;
            long movedAt = System.nanoTime();
            while (true) {
                final Long last = applied.apply(partition);
                final boolean caughtUp = last != null && last >= end - 1;
                final Lookup<T> answer = read.get();
                if (caughtUp || !(answer instanceof Lookup.NotFound<T>)) {
                    return answer;
                }
                final long now = System.nanoTime();
                if (last == null || !last.equals(seen)) {
                    seen = last;
                    movedAt = now;
                }
                if (now - deadline > 0 || now - movedAt > STALL.toNanos()) {
                    break;
                }
                pause();
            }
        }
        if (!log.pending(partition, key)) {
            // Applied and committed by now: if it was applied since the last read, the store has it.
            return read.get();
        }
        while (System.nanoTime() - deadline <= 0) {
            final Lookup<T> answer = read.get();
            if (!(answer instanceof Lookup.NotFound<T>)) {
                return answer;
            }
            pause();
        }
        final Lookup<T> last = read.get();
        return last instanceof Lookup.NotFound<T>
                ? new Lookup.Unavailable<>("the request may not have been applied yet") : last;
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the ledger", e);
        }
    }
}
