package dev.lethe.standalone;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.ledger.query.KafkaAppliedCheck;
import dev.lethe.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What keeps "not found" honest: a request written to {@code erasure.requests} after the ledger's
 * committed offset may still be on its way, so it counts as pending; once the ledger has
 * committed past it (and so applied it, exactly once), it does not.
 */
@Tag("integration")
class AppliedCheckIntegrationTest {

    private static final String APPLICATION_ID = "lethe-it-applied-check";
    private static final byte[] WRITTEN = "written-id".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OTHER = "other-id".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path dir;

    private static ItCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = ItCluster.brokerOnly(dir);
        cluster.admin().createTopics(List.of(new NewTopic(Topics.REQUESTS, Optional.of(1), Optional.empty())))
                .all().get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void shouldCountARecordPastTheCommittedOffsetAsPendingUntilTheLedgerCommitsPastIt() throws Exception {
        try (KafkaAppliedCheck check = new KafkaAppliedCheck(cluster.bootstrapServers(), APPLICATION_ID)) {
            // Given a nothing-yet-applied partition: neither key is pending
            assertFalse(check.pending(0, WRITTEN));

            // When a request is written that the ledger has not committed past
            final RecordMetadata written = write(WRITTEN);

            // Then it is pending, and a key that was never written is not
            assertTrue(check.pending(0, WRITTEN));
            assertFalse(check.pending(0, OTHER));

            // When the ledger commits past it
            commit(written.offset() + 1);

            // Then it is no longer pending
            assertFalse(check.pending(0, WRITTEN));
        }
    }

    /**
     * The ledger's own re-routing writes to {@code erasure.requests} inside its transactions. While
     * one is open, a read_committed end offset (the last stable offset) stops before it, and so
     * before a request the gateway wrote and acknowledged after it: "not found" must not be
     * decided from that end, or a GET right after the 202 could answer 404.
     */
    @Test
    void shouldCountARecordBehindAnOpenTransactionAsPending() throws Exception {
        final byte[] behind = "behind-an-open-transaction".getBytes(StandardCharsets.UTF_8);
        try (KafkaAppliedCheck check = new KafkaAppliedCheck(cluster.bootstrapServers(), APPLICATION_ID);
             KafkaProducer<byte[], byte[]> ledger = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                     ProducerConfig.TRANSACTIONAL_ID_CONFIG, "lethe-it-open-transaction"),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            // Given the ledger has applied and committed everything so far
            commit(write(OTHER).offset() + 1);
            // and has a transaction open on the partition (a re-routed record, not committed yet)
            ledger.initTransactions();
            ledger.beginTransaction();
            final RecordMetadata open = ledger.send(new ProducerRecord<>(Topics.REQUESTS, 0, OTHER, new byte[] {2}))
                    .get(30, TimeUnit.SECONDS);

            // When a request is written and acknowledged after it
            final RecordMetadata written = write(behind);
            assertTrue(written.offset() > open.offset());

            // Then it may still be pending: the log cannot say yet that it is not there
            assertTrue(check.pending(0, behind));
            assertTrue(check.endOffset(0) > written.offset(), "the end covers every acknowledged record");
            ledger.abortTransaction();
        }
    }

    private static RecordMetadata write(byte[] key) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            return producer.send(new ProducerRecord<>(Topics.REQUESTS, key, new byte[] {1})).get(30, TimeUnit.SECONDS);
        }
    }

    private static void commit(long offset) {
        try (KafkaConsumer<byte[], byte[]> ledger = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, APPLICATION_ID), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            ledger.commitSync(Map.of(new TopicPartition(Topics.REQUESTS, 0), new OffsetAndMetadata(offset)));
        }
    }
}
