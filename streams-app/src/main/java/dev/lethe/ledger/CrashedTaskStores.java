package dev.lethe.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Empties, before Kafka Streams starts, every task folder that holds stores but no checkpoint: the
 * folders a {@code kill -9} leaves under exactly-once.
 *
 * <p>Why it is safe: under exactly-once, Kafka Streams (4.3) drops a task's committed changelog
 * offsets once the task runs and writes them again only on a clean stop, because RocksDB may hold
 * writes of a transaction that was never committed. On a start it finds such a folder twice (the start-up
 * tasks, then the assigned task), logs "did not find checkpoint offsets while stores are not
 * empty", throws {@code TaskCorruptedException}, wipes the stores and restores them from their
 * changelogs. Emptying the folder first is that same decision, taken earlier: Kafka Streams then
 * sees an empty task folder and restores from the changelog at once, without opening the stale
 * RocksDB stores two times only to throw them away. A folder after a clean stop is left alone
 * (see the mark below, and a {@code .checkpoint} file, which other versions write), and nothing uncommitted can ever be read: the stores are rebuilt from committed
 * changelog records only, as before. It holds Kafka Streams' own lock on the application's state
 * folder while it works, and does nothing if another process (or client) holds it.
 *
 * <p>A clean stop is told apart by a mark of Lethe's own ({@link #markCleanStop}), written once
 * the streams client closed within its timeout and removed again by the next start: Kafka Streams
 * 4.3 keeps a clean stop's changelog offsets inside each RocksDB store, not in a {@code .checkpoint}
 * file, so without the mark a folder after a clean stop looks like one after a crash and would be
 * restored from its changelog for nothing. The mark only ever spares folders: Kafka Streams still
 * checks every store it opens and wipes one without committed offsets itself.
 */
final class CrashedTaskStores {

    /** The checkpoint file Kafka Streams writes in a task folder on a clean stop. */
    static final String CHECKPOINT = ".checkpoint";
    /** Lethe's mark of a clean stop, in {@code <state dir>/<application id>}; good for one start. */
    static final String CLEAN_STOP = ".lethe-clean-stop";
    /** The file Kafka Streams locks in {@code <state dir>/<application id>} while a client uses it. */
    static final String LOCK = ".lock";
    /** Kafka Streams' task folders: {@code <subtopology>_<partition>}. */
    private static final Pattern TASK_FOLDER = Pattern.compile("\\d+_\\d+");
    private static final Logger LOG = LoggerFactory.getLogger(CrashedTaskStores.class);

    private CrashedTaskStores() {
    }

    /**
     * Deletes the content of each task folder under {@code <stateDir>/<applicationId>} that has no
     * checkpoint, unless the last stop was marked clean ({@link #markCleanStop}; the mark is removed);
     * returns the names of the folders emptied.
     */
    static List<String> empty(Path stateDir, String applicationId) {
        final Path app = stateDir.resolve(applicationId);
        if (!Files.isDirectory(app)) {
            return List.of();
        }
        final List<String> emptied = new ArrayList<>();
        try {
            final FileChannel channel = FileChannel.open(app.resolve(LOCK), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            final FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                // Another client in this JVM holds the lock. POSIX record locks belong to the process:
                // closing this channel would drop that client's lock too, so it is left open.
                LOG.warn("the state folder {} is in use by another client in this process: its task folders are"
                        + " left to it", app);
                return List.of();
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            try (channel; lock) {
                if (lock == null) {
                    LOG.warn("the state folder {} is in use by another client: its task folders are left to it", app);
                    return List.of();
                }
                emptyTaskFolders(app, emptied);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot empty the task folders of " + app
                    + " (their stores are restored from the changelogs on start)", e);
        }
        if (!emptied.isEmpty()) {
            LOG.info("emptied {} task folders without a checkpoint (an unclean stop under exactly-once): their stores"
                    + " are restored from the changelogs", emptied.size());
        }
        return emptied;
    }

    /** Under the lock: adds to {@code emptied} each task folder it empties, unless the last stop was marked clean. */
    private static void emptyTaskFolders(Path app, List<String> emptied) throws IOException {
        if (Files.deleteIfExists(app.resolve(CLEAN_STOP))) {
            return;
        }
        try (Stream<Path> folders = Files.list(app)) {
            for (Path task : folders.filter(CrashedTaskStores::isTaskFolder).sorted().toList()) {
                if (!Files.exists(task.resolve(CHECKPOINT)) && deleteContent(task)) {
                    emptied.add(task.getFileName().toString());
                }
            }
        }
    }

    /**
     * Marks the stores under {@code <stateDir>/<applicationId>} as left by a clean stop, so that the
     * next start keeps them. Call only once the streams client has closed cleanly. A mark that
     * cannot be written costs the next start a restore, nothing else, so it is only logged.
     */
    static void markCleanStop(Path stateDir, String applicationId) {
        final Path app = stateDir.resolve(applicationId);
        try {
            if (Files.isDirectory(app)) {
                Files.write(app.resolve(CLEAN_STOP), new byte[0]);
            }
        } catch (IOException e) {
            LOG.warn("cannot mark the stop of {} clean ({}): the next start restores its stores from the changelogs",
                    app, e.toString());
        }
    }

    private static boolean isTaskFolder(Path path) {
        return Files.isDirectory(path) && TASK_FOLDER.matcher(path.getFileName().toString()).matches();
    }

    /** Deletes everything in {@code task}, keeping the folder; returns whether there was anything. */
    private static boolean deleteContent(Path task) throws IOException {
        final List<Path> paths;
        try (Stream<Path> walk = Files.walk(task)) {
            paths = walk.filter(path -> !path.equals(task)).sorted(Comparator.reverseOrder()).toList();
        }
        for (Path path : paths) {
            Files.delete(path);
        }
        return !paths.isEmpty();
    }
}
