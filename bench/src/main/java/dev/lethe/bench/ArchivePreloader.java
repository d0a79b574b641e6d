package dev.lethe.bench;

import dev.lethe.avro.AuditFact;
import dev.lethe.ledger.archive.ArchiveView.Archived;
import dev.lethe.ledger.domain.RequestState;
import dev.lethe.ledger.domain.RequestStatus;
import dev.lethe.ledger.domain.Scope;
import dev.lethe.ledger.domain.SystemStatus;
import dev.lethe.ledger.domain.SystemTarget;
import dev.lethe.ledger.topology.ArchiveSerde;
import dev.lethe.ledger.topology.AuditChain;
import dev.lethe.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Fills the ledger's archive ({@code erasure.archive}) fast, without running the ledger: writes
 * finished and forgotten requests as the ledger archives them (10 systems DONE, no identifier, no
 * data key) with a realistic 23-fact audit trail each (received, approved, ten dispatches, ten
 * answers, completed; a valid hash chain), in the archive's own format ({@link ArchiveSerde}),
 * keyed by the request id as UTF-8 text.
 */
final class ArchivePreloader {

    private ArchivePreloader() {
    }

    /** Writes {@code count} archived requests to {@code erasure.archive}. */
    static void preload(BenchCluster cluster, long count) throws Exception {
        final Serializer<Archived> serde = new ArchiveSerde().serializer();
        final Instant now = Instant.now();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 256L * 1024 * 1024),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            final List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (long i = 0; i < count; i++) {
                final String id = UUID.randomUUID().toString();
                sent.add(producer.send(new ProducerRecord<>(Topics.ARCHIVE, id.getBytes(StandardCharsets.UTF_8),
                        serde.serialize(Topics.ARCHIVE, archived(id, now)))));
                if (sent.size() == 50_000) {
                    awaitAll(producer, sent);
                }
            }
            awaitAll(producer, sent);
        }
    }

    /** Request {@code id} as the ledger archives it once finished and forgotten. */
    static Archived archived(String id, Instant at) {
        final String subjectKey = HexFormat.of().formatHex(new byte[32]);
        final List<AuditFact> trail = new ArrayList<>();
        fact(trail, id, at, "RECEIVED", "lethe-bench", null,
                "jurisdiction GDPR, reason account_deleted, source lethe-bench", subjectKey, "RECEIVED");
        fact(trail, id, at, "APPROVED", "policy:auto", null, null, null, "IN_PROGRESS");
        final List<SystemTarget> systems = new ArrayList<>();
        for (int s = 0; s < BenchCluster.SYSTEMS; s++) {
            fact(trail, id, at, "DISPATCHED", "ledger", BenchCluster.system(s), "holds user_id", null, null);
        }
        for (int s = 0; s < BenchCluster.SYSTEMS; s++) {
            final String system = BenchCluster.system(s);
            fact(trail, id, at, "SYSTEM_DONE", "partner:" + system, system, "1 items erased", null, null);
            systems.add(new SystemTarget(system, SystemStatus.DONE, 1, at, 1L, "rows deleted", null,
                    at.plus(Duration.ofDays(30)), null, 1, 24, 5, false, false, List.of()));
        }
        fact(trail, id, at, "COMPLETED", "ledger", null, null, null, "COMPLETED");
        final RequestState state = new RequestState(id, RequestStatus.COMPLETED, subjectKey, null, List.of(),
                List.of(), List.of("user_id"), "GDPR", "account_deleted", "lethe-bench", Scope.ALL, 0, at,
                at.plus(Duration.ofDays(30)), at, at, systems, List.of(), trail.size(), null,
                trail.get(trail.size() - 1).getHash(), at.plus(Duration.ofDays(30)), 0, false, List.of(), null);
        return new Archived(state, trail);
    }

    private static void fact(List<AuditFact> trail, String id, Instant at, String type, String actor, String system,
                             String detail, String subjectKey, String status) {
        final AuditFact fact = AuditFact.newBuilder().setRequestId(id).setSeq(trail.size() + 1).setAt(at)
                .setType(type).setActor(actor).setSystem(system).setDetail(detail).setSubjectKey(subjectKey)
                .setStatus(status == null ? null : dev.lethe.avro.RequestStatus.valueOf(status)).build();
        trail.add(AuditChain.link(fact, trail.isEmpty() ? null : trail.get(trail.size() - 1).getHash()));
    }

    private static void awaitAll(KafkaProducer<byte[], byte[]> producer, List<Future<RecordMetadata>> sent)
            throws Exception {
        producer.flush();
        for (Future<RecordMetadata> future : sent) {
            future.get();
        }
        sent.clear();
    }
}
