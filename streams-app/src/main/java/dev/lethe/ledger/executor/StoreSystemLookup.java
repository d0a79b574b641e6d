package dev.lethe.ledger.executor;

import dev.lethe.avro.SystemRegistration;
import dev.lethe.ledger.topology.LedgerNames;
import dev.lethe.schemas.LetheSerdes;
import dev.lethe.schemas.Topics;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads registrations from the ledger's global {@code systems} store through interactive
 * queries on the running streams client: every instance holds the whole registry, so the answer
 * is always local.
 */
public final class StoreSystemLookup implements SystemLookup {

    private final KafkaStreams streams;
    private final LetheSerdes serdes;

    public StoreSystemLookup(KafkaStreams streams, LetheSerdes serdes) {
        this.streams = streams;
        this.serdes = serdes;
    }

    @Override
    public Optional<SystemRegistration> find(String name) {
        final ReadOnlyKeyValueStore<String, byte[]> store = streams.store(StoreQueryParameters
                .fromNameAndType(LedgerNames.SYSTEMS_STORE, QueryableStoreTypes.<String, byte[]>keyValueStore()));
        final byte[] raw = store.get(name);
        return raw == null ? Optional.empty() : Optional.ofNullable(serdes.system().deserialize(Topics.SYSTEMS, raw));
    }
}
