package dev.lethe.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrashedTaskStoresTest {

    @TempDir
    Path stateDir;

    @Test
    void shouldEmptyATaskFolderLeftWithoutACheckpoint() throws Exception {
        final Path task = stateDir.resolve("lethe-ledger").resolve("0_1");
        final Path store = task.resolve("rocksdb").resolve("ledger");
        Files.createDirectories(store);
        Files.writeString(store.resolve("000001.sst"), "sst");

        assertEquals(List.of("0_1"), CrashedTaskStores.empty(stateDir, "lethe-ledger"));

        assertTrue(Files.isDirectory(task), "the task folder itself stays");
        try (var left = Files.list(task)) {
            assertEquals(0, left.count(), "nothing that Kafka Streams would open and then wipe");
        }
    }

    @Test
    void shouldKeepTheStoresOfACleanStop() throws Exception {
        final Path task = stateDir.resolve("lethe-ledger").resolve("1_2");
        final Path sst = task.resolve("rocksdb").resolve("subjects").resolve("000001.sst");
        Files.createDirectories(sst.getParent());
        Files.writeString(sst, "sst");
        Files.writeString(task.resolve(CrashedTaskStores.CHECKPOINT), "0\n1\n");

        assertEquals(List.of(), CrashedTaskStores.empty(stateDir, "lethe-ledger"));

        assertTrue(Files.exists(sst));
    }

    @Test
    void shouldKeepTheStoresOfAStopMarkedCleanAndForgetTheMarkForTheNextStart() throws Exception {
        // Kafka Streams 4.3 keeps a clean stop's changelog offsets inside RocksDB, not in a
        // .checkpoint file: a task folder after a clean stop looks like one after a crash.
        final Path task = stateDir.resolve("lethe-ledger").resolve("0_0");
        final Path sst = task.resolve("rocksdb").resolve("ledger").resolve("000001.sst");
        Files.createDirectories(sst.getParent());
        Files.writeString(sst, "sst");

        CrashedTaskStores.markCleanStop(stateDir, "lethe-ledger");

        assertEquals(List.of(), CrashedTaskStores.empty(stateDir, "lethe-ledger"));
        assertTrue(Files.exists(sst), "the stores of a clean stop are kept");
        assertEquals(List.of("0_0"), CrashedTaskStores.empty(stateDir, "lethe-ledger"),
                "the mark holds for one start only: a crash after it leaves stores to empty");
    }

    @Test
    void shouldLeaveWhatIsNotATaskFolderAlone() throws Exception {
        final Path app = stateDir.resolve("lethe-ledger");
        final Path global = app.resolve("global").resolve("rocksdb").resolve("systems");
        Files.createDirectories(global);
        Files.writeString(global.resolve("000001.log"), "wal");
        Files.writeString(app.resolve("kafka-streams-process-metadata"), "{}");
        Files.createDirectories(app.resolve("2_0"));

        assertEquals(List.of(), CrashedTaskStores.empty(stateDir, "lethe-ledger"), "an empty task folder is left as is");

        assertTrue(Files.exists(global.resolve("000001.log")));
        assertTrue(Files.exists(app.resolve("kafka-streams-process-metadata")));
    }

    @Test
    void shouldLeaveTheStoresOfAStateFolderInUse() throws Exception {
        final Path app = stateDir.resolve("lethe-ledger");
        final Path sst = app.resolve("0_0").resolve("rocksdb").resolve("ledger").resolve("000001.sst");
        Files.createDirectories(sst.getParent());
        Files.writeString(sst, "sst");

        try (FileChannel channel = FileChannel.open(app.resolve(CrashedTaskStores.LOCK), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = channel.lock()) {
            assertEquals(List.of(), CrashedTaskStores.empty(stateDir, "lethe-ledger"));
        }

        assertTrue(Files.exists(sst), "a running client's stores are its own");
    }

    /**
     * POSIX record locks belong to the process: closing any channel on the lock file would drop the
     * lock a client in this JVM holds, and another process could then take the folder it uses.
     */
    @Test
    void shouldNotDropTheLockAClientInThisProcessHolds() throws Exception {
        final Path app = stateDir.resolve("lethe-ledger");
        Files.createDirectories(app.resolve("0_0"));
        final Path lockFile = app.resolve(CrashedTaskStores.LOCK);
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = channel.lock()) {
            assertEquals(List.of(), CrashedTaskStores.empty(stateDir, "lethe-ledger"));

            assertEquals("held", lockSeenByAnotherProcess(lockFile), "the client's lock is still in force");
        }
    }

    /** Asks a second JVM whether it can lock {@code file}: "held" or "free". */
    private String lockSeenByAnotherProcess(Path file) throws Exception {
        final Path source = stateDir.resolve("TryLock.java");
        Files.writeString(source, """
                import java.nio.channels.FileChannel;
                import java.nio.channels.FileLock;
                import java.nio.file.Path;
                import java.nio.file.StandardOpenOption;
                public class TryLock {
                    public static void main(String[] args) throws Exception {
                        try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE);
                             FileLock lock = channel.tryLock()) {
                            System.out.print(lock == null ? "held" : "free");
                        }
                    }
                }
                """);
        final String launcher = ProcessHandle.current().info().command().orElse("java");
        final Process process = new ProcessBuilder(launcher, source.toString(), file.toString())
                .redirectErrorStream(true).start();
        assertTrue(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "the second JVM answers");
        return new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
    }

    @Test
    void shouldDoNothingOnAFirstStart() {
        assertEquals(List.of(), CrashedTaskStores.empty(stateDir, "lethe-ledger"));
    }
}
