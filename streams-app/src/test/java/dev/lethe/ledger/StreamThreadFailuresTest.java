package dev.lethe.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

/**
 * A stream thread that dies (as one did when a broker was killed during its commit: a fatal
 * InvalidTxnStateException, docs/reliability.md) is replaced, not the instance shut down; only
 * repeated failures within the window shut the instance down.
 */
class StreamThreadFailuresTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-29T13:00:00Z"));
    private final StreamThreadFailures failures = new StreamThreadFailures(new java.time.Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    });
    private final StreamsException commitFailed = new StreamsException("Error encountered trying to commit a transaction",
            new InvalidTxnStateException("The producer attempted a transactional operation in an invalid state."));

    @Test
    void shouldReplaceAThreadWhoseCommitFailedAfterABrokerKill() {
        assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, failures.handle(commitFailed));
    }

    @Test
    void shouldShutTheInstanceDownWhenThreadsKeepFailingWithinTheWindow() {
        for (int i = 0; i < StreamThreadFailures.MAX_REPLACEMENTS; i++) {
            assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, failures.handle(commitFailed), "failure " + i);
            now.set(now.get().plusSeconds(30));
        }

        assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT, failures.handle(commitFailed));
    }

    @Test
    void shouldForgetFailuresOlderThanTheWindow() {
        for (int i = 0; i < StreamThreadFailures.MAX_REPLACEMENTS; i++) {
            failures.handle(commitFailed);
        }
        now.set(now.get().plus(StreamThreadFailures.WINDOW).plus(Duration.ofSeconds(1)));

        assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, failures.handle(commitFailed));
    }
}
