package dev.lethe.ledger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the ledger does when one of its stream threads dies of an exception: it replaces the
 * thread (Kafka Streams closes the thread's tasks, aborts its open transaction and starts a fresh
 * thread with a fresh producer), up to {@link #MAX_REPLACEMENTS} times within {@link #WINDOW};
 * beyond that the failure is taken as permanent and the instance shuts down (the process then
 * exits, see {@link LedgerMain}).
 *
 * <p>Why: a broker killed while it coordinated the thread's transaction can make the commit fail
 * with a fatal producer error ({@code InvalidTxnStateException}, seen in the chaos harness's
 * broker-kill scenario). That error belongs to the old producer, not to the data: a new thread
 * commits fine. Shutting the whole instance down for it turned a broker failover into a dead ledger.
 */
final class StreamThreadFailures implements StreamsUncaughtExceptionHandler {

    static final int MAX_REPLACEMENTS = 3;
    static final Duration WINDOW = Duration.ofMinutes(10);
    private static final Logger LOG = LoggerFactory.getLogger(StreamThreadFailures.class);

    private final Clock clock;
    private final Deque<Instant> replaced = new ArrayDeque<>();

    StreamThreadFailures(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
        final Instant now = clock.instant();
        while (!replaced.isEmpty() && !replaced.peekFirst().isAfter(now.minus(WINDOW))) {
            replaced.removeFirst();
        }
        if (replaced.size() < MAX_REPLACEMENTS) {
            replaced.addLast(now);
            LOG.error("a ledger stream thread failed; replacing it ({} of at most {} within {})", replaced.size(),
                    MAX_REPLACEMENTS, WINDOW, exception);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        LOG.error("a ledger stream thread failed again ({} replaced within {}); shutting this instance down",
                MAX_REPLACEMENTS, WINDOW, exception);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
}
