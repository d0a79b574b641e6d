package dev.lethe.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops the ledger's global store folder before Kafka Streams starts, so that the {@code systems}
 * table is rebuilt from its compacted topic ({@code erasure.systems}, one record a registered
 * system) on every start.
 *
 * <p>Why: a {@code kill -9} leaves that RocksDB store marked open on disk. Under exactly-once,
 * Kafka Streams (4.3) refuses such a store ("didn't find a valid state") and, unlike a task's
 * store, does not wipe and restore it: the global thread dies and the instance can never start
 * again on that state folder (found by the chaos harness, docs/reliability.md). The table is small,
 * so rebuilding it always costs a read of a few records and is simpler and safer than telling a
 * clean stop from a crash. The tasks' stores are left alone: Kafka Streams handles those itself.
 */
final class GlobalStoreReset {

    /** The folder Kafka Streams keeps global stores in, under {@code <state dir>/<application id>}. */
    static final String GLOBAL_FOLDER = "global";
    private static final Logger LOG = LoggerFactory.getLogger(GlobalStoreReset.class);

    private GlobalStoreReset() {
    }

    /** Deletes {@code <stateDir>/<applicationId>/global} if it exists; returns whether it did. */
    static boolean reset(Path stateDir, String applicationId) {
        final Path global = stateDir.resolve(applicationId).resolve(GLOBAL_FOLDER);
        if (!Files.isDirectory(global)) {
            return false;
        }
        try (Stream<Path> walk = Files.walk(global)) {
            final List<Path> paths = walk.sorted(Comparator.reverseOrder()).toList();
            for (Path path : paths) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the global store folder " + global
                    + " (the systems table is rebuilt from its topic on start)", e);
        }
        LOG.info("dropped the global store folder {}: the systems table is rebuilt from its topic", global);
        return true;
    }
}
