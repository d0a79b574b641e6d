package dev.lethe.ledger.topology;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the off-heap memory of every RocksDB store of this JVM: one shared LRU block cache of
 * {@value #MEMORY_MB_CONFIG} megabytes holds data, index and filter blocks, and one write-buffer
 * manager charges all memtables against that same cache (a quarter of it at most). Without it
 * each store (and each partition of it) gets its own cache and memtables, so resident memory
 * grows with the number of tasks and the store size.
 *
 * <p>Contract: configured through {@code rocksdb.config.setter} with the size in the streams
 * property {@value #MEMORY_MB_CONFIG}; the cache is created once per JVM (by the first store
 * that opens) and never closed, because stores of later Kafka Streams instances share it.
 */
public final class BoundedRocksDb implements RocksDBConfigSetter {

    /** The streams property with the total budget in megabytes. */
    public static final String MEMORY_MB_CONFIG = "lethe.rocksdb.memory.mb";
    private static final double WRITE_BUFFER_SHARE = 0.25;
    private static final double HIGH_PRIORITY_SHARE = 0.1;
    private static final long MEMTABLE_BYTES = 8L * 1024 * 1024;
    private static final int MEMTABLES = 2;

    private static Shared shared;

    private record Shared(long bytes, Cache cache, WriteBufferManager writeBuffers) {
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        final Shared memory = shared(megabytes(configs) * 1024 * 1024);
        // Kafka Streams hands over its own block-based table config; keep it (and its filter) when present.
        final BlockBasedTableConfig table = options.tableFormatConfig() instanceof BlockBasedTableConfig given
                ? given : new BlockBasedTableConfig();
        table.setBlockCache(memory.cache());
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(memory.writeBuffers());
        options.setWriteBufferSize(MEMTABLE_BYTES);
        options.setMaxWriteBufferNumber(MEMTABLES);
        options.setTableFormatConfig(table);
    }

    private static synchronized Shared shared(long bytes) {
        if (shared == null) {
            final Cache cache = new LRUCache(bytes, -1, false, HIGH_PRIORITY_SHARE);
            shared = new Shared(bytes, cache, new WriteBufferManager((long) (bytes * WRITE_BUFFER_SHARE), cache));
        }
        return shared;
    }

    private static long megabytes(Map<String, Object> configs) {
        final Object value = configs.get(MEMORY_MB_CONFIG);
        if (value == null) {
            throw new IllegalArgumentException(MEMORY_MB_CONFIG + " must be set when " + BoundedRocksDb.class.getName()
                    + " is the rocksdb.config.setter");
        }
        final long mb = Long.parseLong(value.toString());
        if (mb <= 0) {
            throw new IllegalArgumentException(MEMORY_MB_CONFIG + " must be positive, was " + mb);
        }
        return mb;
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and the write-buffer manager are shared by every store of the JVM: never closed here.
    }
}
