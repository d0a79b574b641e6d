package dev.lethe.ledger;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GlobalStoreResetTest {

    @TempDir
    Path stateDir;

    @Test
    void shouldDropTheGlobalStoreFolderAndLeaveTheTasksStoresAlone() throws Exception {
        final Path app = stateDir.resolve("lethe-ledger");
        final Path global = app.resolve("global");
        Files.createDirectories(global.resolve("rocksdb").resolve("systems"));
        Files.writeString(global.resolve("rocksdb").resolve("systems").resolve("000001.log"), "wal");
        Files.writeString(global.resolve(".checkpoint"), "0");
        final Path task = app.resolve("0_1").resolve("rocksdb").resolve("ledger");
        Files.createDirectories(task);
        Files.writeString(task.resolve("000001.sst"), "sst");

        assertTrue(GlobalStoreReset.reset(stateDir, "lethe-ledger"));

        assertFalse(Files.exists(global), "the global store is rebuilt from its topic");
        assertTrue(Files.exists(task.resolve("000001.sst")), "a task's store is Kafka Streams' to keep or wipe");
    }

    @Test
    void shouldDoNothingOnAFirstStart() {
        assertFalse(GlobalStoreReset.reset(stateDir, "lethe-ledger"));
        assertFalse(Files.exists(stateDir.resolve("lethe-ledger")));
    }
}
