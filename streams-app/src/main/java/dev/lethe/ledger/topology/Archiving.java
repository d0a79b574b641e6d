package dev.lethe.ledger.topology;

import dev.lethe.ledger.archive.ArchiveView;
import java.time.Duration;
import java.util.Objects;

/**
 * How the ledger archives (issue 19): {@code view} is this instance's copy of the archive (the
 * archive follower's), and {@code releaseAfter} ({@code LETHE_ARCHIVE_RELEASE_AFTER}) how long after
 * archiving a request the ledger checks that copy and, once it holds the same state, removes the
 * request from its task stores.
 */
public record Archiving(ArchiveView view, Duration releaseAfter, int maxRecordBytes) {

    /** {@code LETHE_ARCHIVE_RELEASE_AFTER}'s default: ten minutes. */
    public static final Duration DEFAULT_RELEASE_AFTER = Duration.ofMinutes(10);
    /**
     * The largest archive record written (state and whole trail in one value): below Kafka's default
     * 1 MB record limit (the producer's {@code max.request.size}, the broker's {@code message.max.bytes}),
     * so that a request with a very long trail stays in the task stores instead of failing the task.
     */
    public static final int DEFAULT_MAX_RECORD_BYTES = 900_000;
    /** How long a task that starts here waits for this instance's copy of the archive to catch up. */
    public static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(60);

    public Archiving {
        Objects.requireNonNull(view, "view");
        if (releaseAfter.isNegative() || releaseAfter.isZero()) {
            throw new IllegalArgumentException("releaseAfter must be positive");
        }
        if (maxRecordBytes <= 0) {
            throw new IllegalArgumentException("maxRecordBytes must be positive");
        }
    }

    public Archiving(ArchiveView view, Duration releaseAfter) {
        this(view, releaseAfter, DEFAULT_MAX_RECORD_BYTES);
    }

    /** Archives, but holds no copy of the archive: nothing is ever released (tests and tools). */
    public static Archiving none() {
        return new Archiving(ArchiveView.NONE, DEFAULT_RELEASE_AFTER);
    }
}
