package dev.lethe.standalone.scan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * Opens each RocksDB store under a state directory read-only with RocksDB itself and searches every
 * key and value of every column family. The raw bytes of its files are searched as well
 * ({@link FileScan}), but that alone is not enough: RocksDB may compress data blocks (Kafka Streams
 * leaves compression off by default, a {@code RocksDBConfigSetter} can turn it on) and it always
 * delta-encodes the keys of a block, keeping only the part of a key that differs from the one
 * before, so a value inside a key can be split on disk. A read-only open takes no lock: it works
 * on the stores of a running instance too, and sees them as of the moment it opens them (what is
 * still only in a running instance's memtable is not on disk; its changelog topic holds it).
 */
final class RocksDbScan {

    static {
        RocksDB.loadLibrary();
    }

    private RocksDbScan() {
    }

    /** True for a folder that holds a RocksDB database (a {@code CURRENT} file next to a {@code MANIFEST-*}). */
    static boolean isStore(Path dir) {
        if (!Files.isRegularFile(dir.resolve("CURRENT"))) {
            return false;
        }
        try (var files = Files.list(dir)) {
            return files.anyMatch(file -> file.getFileName().toString().startsWith("MANIFEST-"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /**
     * Searches every entry of the store in {@code dir}.
     *
     * @return how many entries were read
     * @throws RocksDBException when RocksDB cannot open or read it
     */
    static long scan(Path dir, ByteMatcher matcher, HitCollector hits) throws RocksDBException {
        final String path = dir.toString();
        final List<byte[]> names;
        try (Options options = new Options()) {
            names = RocksDB.listColumnFamilies(options, path);
        }
        final List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        names.forEach(name -> descriptors.add(new ColumnFamilyDescriptor(name)));
        final List<ColumnFamilyHandle> handles = new ArrayList<>();
        long entries = 0;
        try (DBOptions options = new DBOptions();
             RocksDB db = RocksDB.openReadOnly(options, path, descriptors, handles)) {
            try {
                for (ColumnFamilyHandle handle : handles) {
                    entries += scan(db, handle, path, matcher, hits);
                }
            } finally {
                handles.forEach(ColumnFamilyHandle::close);
            }
        }
        return entries;
    }

    private static long scan(RocksDB db, ColumnFamilyHandle handle, String path, ByteMatcher matcher,
                             HitCollector hits) throws RocksDBException {
        final String family = new String(handle.getName(), java.nio.charset.StandardCharsets.UTF_8);
        long entry = 0;
        try (RocksIterator it = db.newIterator(handle)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                final String place = "column family " + family + " entry " + entry++;
                matcher.search(it.key(), (value, pattern, offset) ->
                        hits.add(value, pattern, Hit.Source.STATE_STORE, path, place + " key"));
                matcher.search(it.value(), (value, pattern, offset) ->
                        hits.add(value, pattern, Hit.Source.STATE_STORE, path, place + " value"));
            }
            it.status();
        }
        return entry;
    }
}
