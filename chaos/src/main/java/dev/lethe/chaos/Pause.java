package dev.lethe.chaos;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** The harness's only pause: between two polls of a condition that has a deadline. */
final class Pause {

    private static final Duration POLL = Duration.ofMillis(200);

    private Pause() {
    }

    static void briefly() {
        LockSupport.parkNanos(POLL.toNanos());
    }

    static void forMillis(long millis) {
        LockSupport.parkNanos(Duration.ofMillis(millis).toNanos());
    }
}
