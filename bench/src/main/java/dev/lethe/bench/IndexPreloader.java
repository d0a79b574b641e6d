package dev.lethe.bench;

import dev.lethe.avro.RequestStatus;
import dev.lethe.avro.Scope;
import dev.lethe.avro.SubjectEntry;
import dev.lethe.ledger.topology.IndexKeys;
import dev.lethe.ledger.topology.LedgerNames;
import dev.lethe.schemas.LetheSerdes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Fills a ledger application's index changelogs with what the ledger leaves there for each request
 * it archived and released: the archive takes a request's state and trail out of the task stores,
 * but its entries in the {@code by-requested} and {@code by-finished} lists and in the
 * {@code subjects} index stay (lists and counts do not change; {@code owed-since} holds nothing of a
 * finished request: its entries are deleted as its obligations settle; the counts in {@code stats}
 * are a fixed set of keys). One record per key, as the log cleaner leaves a compacted changelog: the
 * subject entry's earlier versions (received, in progress) are compacted away, and so, within an hour
 * or two ({@code LedgerTopology.CHANGELOG_CONFIG}), are the released requests' puts and tombstones in
 * the {@code ledger} and {@code audit} changelogs, which this therefore does not write.
 *
 * <p>Keys and values as the stores write them (string keys as UTF-8, {@link IndexKeys}; the index
 * values the request id; the subject entry in the project's Avro serde), on the partition of the
 * task that keeps them: the request id's for the lists, the subject key's for {@code subjects}
 * (the ledger re-keys its status changes by subject on {@code erasure.subject-index}).
 */
final class IndexPreloader {

    /** The index stores that keep an entry per request ever filed. */
    static final List<String> STORES = List.of(LedgerNames.BY_REQUESTED_STORE, LedgerNames.BY_FINISHED_STORE,
            LedgerNames.SUBJECTS_STORE);

    private IndexPreloader() {
    }

    /** The changelog topic of {@code store} of {@code applicationId}. */
    static String changelog(String applicationId, String store) {
        return applicationId + "-" + store + "-changelog";
    }

    /**
     * Creates the three changelogs (compacted) and writes the index entries of archived requests
     * number 0 to {@code count} (excluded) ({@link ArchivePreloader}, the same {@code base}).
     */
    static void preload(BenchCluster cluster, String applicationId, long count, Instant base) throws Exception {
        final List<NewTopic> topics = new ArrayList<>();
        for (String store : STORES) {
            topics.add(new NewTopic(changelog(applicationId, store), BenchCluster.PARTITIONS, (short) 1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        }
        cluster.admin().createTopics(topics).all().get();
        try (KafkaProducer<byte[], byte[]> producer = Preloading.producer(cluster, Map.of(
                // Not idempotent: under a heavy load (31) the broker refused a retried first batch as out of
                // order (OutOfOrderSequenceException, over and over). Every key is written once, so a record
                // written twice or out of order is harmless in a compacted changelog.
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                // the broker may still be busy with the archive just written (a 30k run once timed out at 2 min)
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000))) {
            final List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (long i = 0; i < count; i++) {
                for (ProducerRecord<byte[], byte[]> record : records(cluster.serdes(), applicationId, i, base)) {
                    sent.add(producer.send(record));
                }
                if (sent.size() >= 30_000) {
                    Preloading.awaitAll(producer, sent);
                }
            }
            Preloading.awaitAll(producer, sent);
        }
    }

    /** The index records the ledger leaves for archived request number {@code i}, once compacted. */
    static List<ProducerRecord<byte[], byte[]>> records(LetheSerdes serdes, String applicationId, long i,
                                                         Instant base) {
        final String id = ArchivePreloader.id(i);
        final String subjectKey = ArchivePreloader.subjectKey(i);
        final Instant requested = ArchivePreloader.requestedAt(i, base);
        final Instant finished = ArchivePreloader.finishedAt(i, base);
        final int partition = StorePreloader.partitionOf(id);
        final byte[] value = utf8(id);
        final String subjects = changelog(applicationId, LedgerNames.SUBJECTS_STORE);
        final SubjectEntry entry = SubjectEntry.newBuilder().setSubjectKey(subjectKey).setRequestId(id)
                .setStatus(RequestStatus.COMPLETED).setRequestedAt(requested).setFinishedAt(finished)
                .setScope(new Scope(List.of(), List.of())).setSource("lethe-bench").setDuplicateOf(null).build();
        return List.of(
                new ProducerRecord<>(changelog(applicationId, LedgerNames.BY_REQUESTED_STORE), partition,
                        utf8(IndexKeys.newestFirst(requested, id)), value),
                new ProducerRecord<>(changelog(applicationId, LedgerNames.BY_FINISHED_STORE), partition,
                        utf8(IndexKeys.newestFirst(finished, id)), value),
                new ProducerRecord<>(subjects, StorePreloader.partitionOf(subjectKey),
                        utf8(IndexKeys.subject(subjectKey, id)), serdes.subjectEntry().serialize(subjects, entry)));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

}
