package dev.lethe.ledger.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.ledger.LedgerConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.rocksdb.Options;

class BoundedRocksDbTest {

    private static final Map<String, String> ENV = Map.of(
            "LETHE_BOOTSTRAP_SERVERS", "localhost:9092",
            "LETHE_SCHEMA_REGISTRY_URL", "http://localhost:8081",
            "LETHE_PSEUDONYM_SECRET", "test-pseudonym-secret-0123456789abcdef",
            "LETHE_INTERNAL_TOKEN", "test-internal-token-0123456789abcdef");

    @Test
    void shouldLeaveRocksDbAloneUnlessAMemoryBudgetIsSet() {
        final Properties props = LedgerConfig.fromEnvironment(ENV).streamsProperties();

        assertFalse(props.containsKey(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG));
    }

    @Test
    void shouldBoundRocksDbWhenTheEnvironmentGivesABudget() {
        final Map<String, String> env = new HashMap<>(ENV);
        env.put("LETHE_ROCKSDB_MEMORY_MB", "64");

        final Properties props = LedgerConfig.fromEnvironment(env).streamsProperties();

        assertEquals(BoundedRocksDb.class, props.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG));
        assertEquals(64, props.get(BoundedRocksDb.MEMORY_MB_CONFIG));
    }

    @Test
    void shouldShareOneWriteBufferManagerAndBoundTheMemtables() {
        try (Options options = new Options()) {
            new BoundedRocksDb().setConfig("ledger", options, Map.of(BoundedRocksDb.MEMORY_MB_CONFIG, 16));

            assertEquals(8L * 1024 * 1024, options.writeBufferSize());
            assertEquals(2, options.maxWriteBufferNumber());
            assertTrue(options.tableFormatConfig() instanceof org.rocksdb.BlockBasedTableConfig);
        }
    }

    @Test
    void shouldRefuseAMissingOrNonPositiveBudget() {
        try (Options options = new Options()) {
            assertThrows(IllegalArgumentException.class,
                    () -> new BoundedRocksDb().setConfig("ledger", options, Map.of()));
            final Map<String, Object> zero = Map.of(BoundedRocksDb.MEMORY_MB_CONFIG, 0);
            assertThrows(IllegalArgumentException.class, () -> new BoundedRocksDb().setConfig("ledger", options, zero));
        }
    }
}
