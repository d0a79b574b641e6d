package dev.lethe.ledger.topology;

import dev.lethe.schemas.LetheSerdes;
import dev.lethe.schemas.Topics;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global {@code systems} store in step with the compacted {@code erasure.systems}
 * topic: a registration is stored as its raw bytes, a tombstone retires the system. A record
 * that cannot be decoded, or that fails the {@link RegistrationCheck}, is logged with the reason
 * and skipped, never stored (a global store's processor cannot forward to the dead-letter topic);
 * a system's previous valid registration, if any, stays in force.
 */
final class SystemsUpdater extends ContextualProcessor<byte[], byte[], Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(SystemsUpdater.class);

    private final LetheSerdes serdes;
    private KeyValueStore<String, byte[]> store;

    SystemsUpdater(LetheSerdes serdes) {
        this.serdes = serdes;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        super.init(context);
        store = context.getStateStore(LedgerNames.SYSTEMS_STORE);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        try {
            final String name = serdes.key().deserialize(Topics.SYSTEMS, record.key());
            if (name == null) {
                LOG.warn("skipping a system registration without a key");
                return;
            }
            if (record.value() == null) {
                store.delete(name);
                return;
            }
            final List<String> problems = RegistrationCheck.problems(name,
                    serdes.system().deserialize(Topics.SYSTEMS, record.value()));
            if (!problems.isEmpty()) {
                LOG.warn("refusing the registration of system {}: {}", name, String.join("; ", problems));
                return;
            }
            store.put(name, record.value());
        } catch (SerializationException e) {
            LOG.warn("skipping a system registration that cannot be read: {}", e.getMessage());
        }
    }
}
