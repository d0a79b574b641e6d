package dev.lethe.ledger.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.schemas.LetheSerdes;
import dev.lethe.schemas.registry.InMemorySchemaRegistryClient;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.streams.state.StoreBuilder;
import org.junit.jupiter.api.Test;

/**
 * The changelogs of the ledger's task stores are created compacted soon: a released request's puts
 * and their tombstones (its state, trail, release wake, list and subject index entries) must leave
 * them within about an hour or two, or a restore after a crash replays every request ever filed.
 */
class LedgerChangelogConfigTest {

    private static final Map<String, String> SOON = Map.of(
            "segment.ms", "3600000",
            "segment.bytes", Integer.toString(64 * 1024 * 1024),
            "min.cleanable.dirty.ratio", "0.1",
            "delete.retention.ms", "3600000",
            "max.compaction.lag.ms", "86400000");

    private final LetheSerdes serdes = new LetheSerdes(new InMemorySchemaRegistryClient());

    @Test
    void shouldCreateTheLedgerChangelogCompactedSoon() {
        final StoreBuilder<?> ledger = LedgerTopology.ledgerStore(serdes,
                new Privacy(LedgerDriver.SEALING, Privacy.DEFAULT_FORGET_AFTER));
        assertTrue(ledger.loggingEnabled());
        SOON.forEach((name, value) -> assertEquals(value, ledger.logConfig().get(name), name));
    }

    @Test
    void shouldCreateTheAuditChangelogCompactedSoon() {
        final StoreBuilder<?> audit = LedgerTopology.auditStore(serdes);
        assertTrue(audit.loggingEnabled());
        SOON.forEach((name, value) -> assertEquals(value, audit.logConfig().get(name), name));
    }

    @Test
    void shouldCreateEveryTaskStoresChangelogCompactedSoon() {
        final Set<StoreBuilder<?>> stores = new HashSet<>(LedgerTopology.ledgerTaskStores(serdes,
                new Privacy(LedgerDriver.SEALING, Privacy.DEFAULT_FORGET_AFTER)));
        stores.add(LedgerTopology.subjectsStore(serdes));
        assertEquals(Set.of(LedgerNames.LEDGER_STORE, LedgerNames.AUDIT_STORE, LedgerNames.DUE_STORE,
                LedgerNames.BY_REQUESTED_STORE, LedgerNames.BY_FINISHED_STORE, LedgerNames.OPEN_BY_DEADLINE_STORE,
                LedgerNames.OWED_SINCE_STORE, LedgerNames.STATS_STORE, LedgerNames.SUBJECTS_STORE),
                stores.stream().map(StoreBuilder::name).collect(Collectors.toSet()));
        for (StoreBuilder<?> store : stores) {
            assertTrue(store.loggingEnabled(), store.name());
            SOON.forEach((name, value) -> assertEquals(value, store.logConfig().get(name), store.name() + " " + name));
        }
    }
}
