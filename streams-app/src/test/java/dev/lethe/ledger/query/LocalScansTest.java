package dev.lethe.ledger.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lethe.ledger.topology.IndexKeys;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** The scans of the stats: each system's oldest open obligation, per partition and merged. */
class LocalScansTest {

    private static final Instant MARCH = Instant.parse("2026-03-01T09:00:00Z");

    @Test
    void shouldFindEachSystemsOldestOpenObligationWithOneScanPerSystem() {
        final KeyValueStore<String, String> owed = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore("owed-since"), Serdes.String(), Serdes.String())
                .withLoggingDisabled().build();
        owed.init(new MockProcessorContext<>().getStateStoreContext(), owed);
        owed.put(IndexKeys.owed("billing", MARCH.plusSeconds(60), "r-2"), "r-2");
        owed.put(IndexKeys.owed("billing", MARCH, "r-1"), "r-1");
        owed.put(IndexKeys.owed("billing-eu", MARCH.minusSeconds(60), "r-0"), "r-0");
        owed.put(IndexKeys.owed("crm", MARCH.plusSeconds(3600), "r-3"), "r-3");
        owed.put("obligation|r-1|billing", IndexKeys.owed("billing", MARCH, "r-1"));

        final Map<String, OldestObligation> oldest = LocalScans.oldestOwed(owed);

        assertEquals(Map.of("billing", new OldestObligation(MARCH, "r-1"),
                "billing-eu", new OldestObligation(MARCH.minusSeconds(60), "r-0"),
                "crm", new OldestObligation(MARCH.plusSeconds(3600), "r-3")), oldest);
        owed.close();
    }

    @Test
    void shouldMergeInstancesByKeepingEachSystemsEarliestObligation() {
        final Map<String, OldestObligation> merged = new TreeMap<>();
        OldestObligation.mergeInto(merged, Map.of("billing", new OldestObligation(MARCH.plusSeconds(60), "r-2"),
                "crm", new OldestObligation(MARCH, "r-3")));
        final Map<String, OldestObligation> second = new LinkedHashMap<>();
        second.put("billing", new OldestObligation(MARCH, "r-1"));
        second.put("crm", new OldestObligation(MARCH.plusSeconds(1), "r-4"));
        OldestObligation.mergeInto(merged, second);
        OldestObligation.mergeInto(merged, null); // an instance that does not keep the index yet

        assertEquals(Map.of("billing", new OldestObligation(MARCH, "r-1"), "crm", new OldestObligation(MARCH, "r-3")),
                merged);
    }
}
