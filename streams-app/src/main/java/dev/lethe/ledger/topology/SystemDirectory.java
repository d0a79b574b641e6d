package dev.lethe.ledger.topology;

import dev.lethe.avro.SystemRegistration;
import dev.lethe.schemas.LetheSerdes;
import dev.lethe.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the system registry from the global {@code systems} store. The store keeps the topic's
 * raw value bytes (a restore copies them unchanged), so a registration that cannot be decoded
 * is skipped with a warning instead of stopping the ledger.
 */
public final class SystemDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(SystemDirectory.class);

    private final ReadOnlyKeyValueStore<String, byte[]> store;
    private final LetheSerdes serdes;

    public SystemDirectory(ReadOnlyKeyValueStore<String, byte[]> store, LetheSerdes serdes) {
        this.store = store;
        this.serdes = serdes;
    }

    /** Every registered system, in name order. */
    public List<SystemRegistration> all() {
        final List<SystemRegistration> systems = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            while (it.hasNext()) {
                final KeyValue<String, byte[]> entry = it.next();
                try {
                    final SystemRegistration registration = serdes.system().deserialize(Topics.SYSTEMS, entry.value);
                    if (registration != null) {
                        systems.add(registration);
                    }
                } catch (SerializationException e) {
                    LOG.warn("skipping system registration {} that cannot be read: {}", entry.key, e.getMessage());
                }
            }
        }
        return systems;
    }
}
