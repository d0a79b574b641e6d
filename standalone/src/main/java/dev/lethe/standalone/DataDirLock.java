package dev.lethe.standalone;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Holds an exclusive lock on {@code <data>/.lock} while Lethe runs, so that a second standalone
 * started on the same data folder stops at once with a clear message instead of writing into
 * the first one's broker log.
 */
final class DataDirLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DataDirLock acquire(Path dataDir) {
        final Path file = dataDir.resolve(".lock");
        try {
            Files.createDirectories(dataDir);
            final FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            final FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                channel.close();
                throw inUse(dataDir);
            }
            if (lock == null) {
                channel.close();
                throw inUse(dataDir);
            }
            return new DataDirLock(channel, lock);
        } catch (IOException e) {
            throw new IllegalStateException("cannot lock the data folder " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private static IllegalStateException inUse(Path dataDir) {
        return new IllegalStateException("another Lethe is already running on the data folder " + dataDir
                + "; stop it first or set LETHE_DATA_DIR to another folder");
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
