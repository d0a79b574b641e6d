package dev.lethe.ledger.query;

import dev.lethe.ledger.archive.ArchiveView;
import dev.lethe.ledger.topology.AppliedOffsets;
import dev.lethe.schemas.LetheSerdes;
import dev.lethe.schemas.SubjectKeys;
import dev.lethe.schemas.registry.RestSchemaRegistryClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The query side of a ledger that never reaches a broker, for tests of what it answers from its
 * Kafka Streams client alone (stopped, or with given metadata): nothing is ever pending.
 */
final class OfflineQueries {

    private OfflineQueries() {
    }

    /** The settings of a client that is never started, its state under {@code state}. */
    static Properties props(String applicationId, Path state) {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        return props;
    }

    /** A topology with one pass-through, for a client that is never started. */
    static StreamsBuilder passThrough() {
        final StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in").to("out");
        return builder;
    }

    static LedgerQueries over(KafkaStreams streams, HostInfo self, int partitions) {
        return new LedgerQueries(streams, new LetheSerdes(new RestSchemaRegistryClient("http://127.0.0.1:1")), self,
                partitions, new AppliedCheck() {
                    @Override
                    public long endOffset(int partition) {
                        return 0;
                    }

                    @Override
                    public boolean pending(int partition, byte[] key) {
                        return false;
                    }
                }, new AppliedOffsets(),
                SubjectKeys.ofSecret("pseudonym-secret-0123456789abcdef-0123".getBytes(StandardCharsets.UTF_8)),
                ArchiveView.NONE);
    }
}
