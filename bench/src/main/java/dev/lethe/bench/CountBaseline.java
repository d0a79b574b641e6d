package dev.lethe.bench;

import dev.lethe.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The baseline the ledger is compared with: a bare Kafka Streams topology over the same three
 * input topics that only counts records per key into a persistent (RocksDB, changelogged) store,
 * with the ledger's own streams settings (exactly_once_v2, commit interval) and no output.
 */
public final class CountBaseline {

    static final String STORE = "counts";
    private static final String PROCESSOR = "count";

    private CountBaseline() {
    }

    public static Topology topology() {
        final Deserializer<byte[]> bytes = Serdes.ByteArray().deserializer();
        final Topology topology = new Topology();
        topology.addSource("requests", bytes, bytes, Topics.REQUESTS);
        topology.addSource("decisions", bytes, bytes, Topics.DECISIONS);
        topology.addSource("callbacks", bytes, bytes, Topics.CALLBACKS);
        topology.addProcessor(PROCESSOR, new CountSupplier(), "requests", "decisions", "callbacks");
        return topology;
    }

    /** The ledger's properties under another application id and state folder. */
    public static Properties properties(Properties ledger, String applicationId, Path stateDir) {
        final Properties props = new Properties();
        props.putAll(ledger);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        props.remove(StreamsConfig.APPLICATION_SERVER_CONFIG);
        return props;
    }

    /** Starts the baseline and returns once it is RUNNING. */
    public static KafkaStreams start(Properties props, Duration timeout) {
        final KafkaStreams streams = new KafkaStreams(topology(), props);
        Running.start(streams, timeout);
        return streams;
    }

    private static final class CountSupplier implements ProcessorSupplier<byte[], byte[], Void, Void> {

        @Override
        public Processor<byte[], byte[], Void, Void> get() {
            return new Counter();
        }

        @Override
        public Set<StoreBuilder<?>> stores() {
            return Set.of(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE),
                    Serdes.Bytes(), Serdes.Long()));
        }
    }

    private static final class Counter extends ContextualProcessor<byte[], byte[], Void, Void> {

        private KeyValueStore<Bytes, Long> counts;

        @Override
        public void init(org.apache.kafka.streams.processor.api.ProcessorContext<Void, Void> context) {
            super.init(context);
            counts = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            final Bytes key = Bytes.wrap(record.key());
            final Long count = counts.get(key);
            counts.put(key, count == null ? 1L : count + 1);
        }
    }
}
