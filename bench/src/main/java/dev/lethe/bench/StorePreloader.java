package dev.lethe.bench;

import dev.lethe.avro.RequestState;
import dev.lethe.avro.RequestStatus;
import dev.lethe.avro.SystemState;
import dev.lethe.avro.SystemStatus;
import dev.lethe.ledger.topology.AvroMapping;
import dev.lethe.ledger.topology.LedgerNames;
import dev.lethe.ledger.topology.StateSerde;
import dev.lethe.schemas.LetheSerdes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Fills a ledger application's {@code ledger} store fast, without running the ledger: writes
 * finished requests (10 systems DONE, identifiers dropped, as the ledger leaves them) straight
 * to the store's changelog topic, keyed and serialized as the store does, so the application
 * restores them on start. Far faster than folding millions of requests through the topology.
 */
public final class StorePreloader {

    private StorePreloader() {
    }

    /** The changelog topic of the ledger store of {@code applicationId}. */
    public static String changelog(String applicationId) {
        return applicationId + "-" + LedgerNames.LEDGER_STORE + "-changelog";
    }

    /**
     * Creates the changelog (compacted) and writes {@code count} finished requests to it; returns
     * the id of the last one.
     */
    public static String preload(BenchCluster cluster, String applicationId, long count) throws Exception {
        final String topic = changelog(applicationId);
        cluster.admin().createTopics(List.of(new NewTopic(topic, BenchCluster.PARTITIONS, (short) 1)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                .all().get();
        final LetheSerdes serdes = cluster.serdes();
        final Instant now = Instant.now();
        final List<SystemState> systems = new ArrayList<>();
        for (int s = 0; s < BenchCluster.SYSTEMS; s++) {
            systems.add(SystemState.newBuilder().setName(BenchCluster.system(s)).setStatus(SystemStatus.DONE)
                    .setAttempts(1).setUpdatedAt(now).setItemsErased(1L).build());
        }
        final String hash = HexFormat.of().formatHex(new byte[32]);
        final Serializer<dev.lethe.ledger.domain.RequestState> stored = new StateSerde(serdes.state()).serializer();
        String last = null;
        try (KafkaProducer<byte[], byte[]> producer = Preloading.producer(cluster, Map.of())) {
            final List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (long i = 0; i < count; i++) {
                final String id = UUID.randomUUID().toString();
                last = id;
                final RequestState state = RequestState.newBuilder().setRequestId(id)
                        .setStatus(RequestStatus.COMPLETED).setSubjectKey(hash).setNamespaces(List.of("user_id"))
                        .setJurisdiction("GDPR").setReason("account_deleted").setSource("lethe-bench")
                        .setRequestedAt(now).setDeadline(now.plus(Duration.ofDays(30))).setFinishedAt(now)
                        .setUpdatedAt(now).setSystems(systems).setAuditSeq(BenchCluster.SYSTEMS + 2)
                        .setAuditHead(hash).build();
                // The partition the ledger keeps the id in: the input topics are keyed by the id as text, so
                // a read finds it where the default partitioner puts the UTF-8 id, not the Avro store key.
                // The value in the store's own (compact) format, as the ledger writes it.
                sent.add(producer.send(new ProducerRecord<>(topic, partitionOf(id),
                        serdes.storeKey().serialize(topic, id), stored.serialize(topic, AvroMapping.state(state)))));
                if (sent.size() == 100_000) {
                    Preloading.awaitAll(producer, sent);
                }
            }
            Preloading.awaitAll(producer, sent);
        }
        return last;
    }

    /** The partition of {@code erasure.requests} (and so of the ledger's task) that holds {@code id}. */
    static int partitionOf(String id) {
        return Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % BenchCluster.PARTITIONS;
    }

}
