package dev.lethe.standalone.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteOptions;

/**
 * Why the scan opens RocksDB stores rather than only searching their files: a value in a
 * compressed block, or in a key whose first bytes are shared with the key before it, is not in the
 * files' bytes; opened read-only, the store gives it back.
 */
class RocksDbScanTest {

    private static final String IN_VALUE = "u-planted-in-a-compressed-value";
    private static final String IN_KEY = "sk-planted-in-a-delta-encoded-key";

    @TempDir
    Path dir;

    @Test
    void shouldFindValuesThatTheFilesBytesHideByOpeningTheStoreReadOnly() throws Exception {
        final Path store = dir.resolve("streams/lethe/0_0/rocksdb/ledger");
        plant(store);

        final ScanReport report = PiiScanner.builder().values(List.of(IN_VALUE, IN_KEY)).stateDir(dir.resolve("streams"))
                .build().scan();

        assertEquals(List.of(), report.problems());
        assertEquals(List.of(Hit.Source.STATE_STORE), sources(report, 1), report.human());
        assertEquals(List.of(Hit.Source.STATE_STORE), sources(report, 2), report.human());
        assertTrue(report.hitsOf(2).get(0).examples().get(0).endsWith(" key"), report.human());
        assertTrue(report.read().stream().anyMatch(line -> line.startsWith("RocksDB store " + store + ": ")),
                report.read().toString());
    }

    private static List<Hit.Source> sources(ScanReport report, int value) {
        return report.hitsOf(value).stream().map(Hit::source).distinct().toList();
    }

    /** A store as Kafka Streams leaves it (no write-ahead log), with zstd-compressed blocks. */
    private static void plant(Path store) throws Exception {
        java.nio.file.Files.createDirectories(store);
        try (Options options = new Options().setCreateIfMissing(true).setCompressionType(CompressionType.ZSTD_COMPRESSION);
             RocksDB db = RocksDB.open(options, store.toString());
             WriteOptions write = new WriteOptions().setDisableWAL(true);
             FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            final String filler = "{\"status\":\"COMPLETED\",\"systems\":[\"billing\",\"crm\",\"analytics\"]}".repeat(20);
            db.put(write, bytes("req-0001"), bytes(filler + "{\"subject\":\"" + IN_VALUE + "\"}" + filler));
            // the key before shares every byte of IN_KEY but its last: the block keeps only the differing suffix
            db.put(write, bytes(IN_KEY.substring(0, IN_KEY.length() - 1) + "!"), bytes("x"));
            db.put(write, bytes(IN_KEY), bytes("y"));
            // and a key after it: the first and last keys of a file are kept whole (index, MANIFEST)
            db.put(write, bytes("zz-last"), bytes("z"));
            db.flush(flush);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
