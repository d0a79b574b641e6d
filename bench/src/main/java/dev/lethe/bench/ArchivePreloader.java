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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Fills the ledger's archive ({@code erasure.archive}) fast, without running the ledger: writes
 * finished and forgotten requests as the ledger archives them (10 systems DONE, no identifier, no
 * data key) with a realistic 23-fact audit trail each (received, approved, ten dispatches, ten
 * answers, completed; a valid hash chain), in the archive's own format ({@link ArchiveSerde}),
 * keyed by the request id as UTF-8 text.
 *
 * <p>Request number {@code i} is the same every time it is asked for (its id, its subject, its
 * times: {@link #id}, {@link #subjectKey}, {@link #finishedAt}), so one archive serves every size
 * of a stage (each size adds the requests it lacks).
 */
final class ArchivePreloader {

    private ArchivePreloader() {
    }

    /** Writes archived requests number {@code from} (included) to {@code to} (excluded) to {@code erasure.archive}. */
    static void preload(BenchCluster cluster, long from, long to, Instant base) throws Exception {
        final Serializer<Archived> serde = new ArchiveSerde().serializer();
        try (KafkaProducer<byte[], byte[]> producer = Preloading.producer(cluster, Map.of())) {
            final List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (long i = from; i < to; i++) {
                final String id = id(i);
                sent.add(producer.send(new ProducerRecord<>(Topics.ARCHIVE, id.getBytes(StandardCharsets.UTF_8),
                        serde.serialize(Topics.ARCHIVE, archived(i, base)))));
                if (sent.size() == 50_000) {
                    Preloading.awaitAll(producer, sent);
                }
            }
            Preloading.awaitAll(producer, sent);
        }
    }

    /** The id of archived request number {@code i}. */
    static String id(long i) {
        return UUID.nameUUIDFromBytes(("lethe-bench-archived-" + i).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The subject key (a 64-hex-digit pseudonym) of archived request number {@code i}: one subject each. */
    static String subjectKey(long i) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(("lethe-bench-subject-" + i).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** When archived request number {@code i} finished: one a second, going back from {@code base}. */
    static Instant finishedAt(long i, Instant base) {
        return base.minusSeconds(i);
    }

    /** When archived request number {@code i} was filed: an hour before it finished. */
    static Instant requestedAt(long i, Instant base) {
        return finishedAt(i, base).minus(Duration.ofHours(1));
    }

    /** Archived request number {@code i} as the ledger archives it once finished and forgotten. */
    static Archived archived(long i, Instant base) {
        final String id = id(i);
        final String subjectKey = subjectKey(i);
        final Instant requested = requestedAt(i, base);
        final Instant at = finishedAt(i, base);
        final List<AuditFact> trail = new ArrayList<>();
        fact(trail, id, requested, "RECEIVED", "lethe-bench", null,
                "jurisdiction GDPR, reason account_deleted, source lethe-bench", subjectKey, "RECEIVED");
        fact(trail, id, requested, "APPROVED", "policy:auto", null, null, null, "IN_PROGRESS");
        final List<SystemTarget> systems = new ArrayList<>();
        for (int s = 0; s < BenchCluster.SYSTEMS; s++) {
            fact(trail, id, requested, "DISPATCHED", "ledger", BenchCluster.system(s), "holds user_id", null, null);
        }
        for (int s = 0; s < BenchCluster.SYSTEMS; s++) {
            final String system = BenchCluster.system(s);
            fact(trail, id, at, "SYSTEM_DONE", "partner:" + system, system, "1 items erased", null, null);
            systems.add(new SystemTarget(system, SystemStatus.DONE, 1, at, 1L, "rows deleted", null,
                    requested.plus(Duration.ofDays(30)), null, 1, 24, 5, false, false, List.of()));
        }
        fact(trail, id, at, "COMPLETED", "ledger", null, null, null, "COMPLETED");
        final RequestState state = new RequestState(id, RequestStatus.COMPLETED, subjectKey, null, List.of(),
                List.of(), List.of("user_id"), "GDPR", "account_deleted", "lethe-bench", Scope.ALL, 0, requested,
                requested.plus(Duration.ofDays(30)), at, at, systems, List.of(), trail.size(), null,
                trail.get(trail.size() - 1).getHash(), requested.plus(Duration.ofDays(30)), 0, false, List.of(), null);
        return new Archived(state, trail);
    }

    private static void fact(List<AuditFact> trail, String id, Instant at, String type, String actor, String system,
                             String detail, String subjectKey, String status) {
        final AuditFact fact = AuditFact.newBuilder().setRequestId(id).setSeq(trail.size() + 1).setAt(at)
                .setType(type).setActor(actor).setSystem(system).setDetail(detail).setSubjectKey(subjectKey)
                .setStatus(status == null ? null : dev.lethe.avro.RequestStatus.valueOf(status)).build();
        trail.add(AuditChain.link(fact, trail.isEmpty() ? null : trail.get(trail.size() - 1).getHash()));
    }

}
