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
public record Archiving(ArchiveView view, Duration releaseAfter) {

    /** {@code LETHE_ARCHIVE_RELEASE_AFTER}'s default: ten minutes. */
    public static final Duration DEFAULT_RELEASE_AFTER = Duration.ofMinutes(10);

    public Archiving {
        Objects.requireNonNull(view, "view");
        if (releaseAfter.isNegative() || releaseAfter.isZero()) {
            throw new IllegalArgumentException("releaseAfter must be positive");
        }
    }

    /** Archives, but holds no copy of the archive: nothing is ever released (tests and tools). */
    public static Archiving none() {
        return new Archiving(ArchiveView.NONE, DEFAULT_RELEASE_AFTER);
    }
}
