package dev.lethe.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lethe.schemas.TopicProvisioner;
import dev.lethe.schemas.TopicSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guard against KAFKA-15591: an idempotent producer can silently lose records it sends to a
 * topic right after the topic was created. {@link TopicProvisioner} returns only once every
 * partition answers {@code listOffsets}; this test writes to brand-new topics the moment it
 * returns, round after round, and counts what arrived.
 */
@Tag("integration")
class TopicReadinessIntegrationTest {

    private static final int ROUNDS = 5;
    private static final int TOPICS_PER_ROUND = 3;
    private static final int PARTITIONS = 6;
    private static final int RECORDS_PER_ROUND = 2_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    private static ItCluster cluster;

    @BeforeAll
    static void start() {
        cluster = ItCluster.brokerOnly(dir);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldDeliverEveryRecordSentRightAfterProvisioningExactlyOnce() throws Exception {
        final TopicProvisioner provisioner = new TopicProvisioner(cluster.admin(), TIMEOUT);
        try (KafkaProducer<String, String> producer = idempotentProducer()) {
            for (int round = 0; round < ROUNDS; round++) {
                writeToNewTopics(provisioner, producer, round);
            }
        }
    }

    private static void writeToNewTopics(TopicProvisioner provisioner, KafkaProducer<String, String> producer,
                                         int round) throws Exception {
        // Given brand-new topics, provisioned
        final List<String> topics = IntStream.range(0, TOPICS_PER_ROUND)
                .mapToObj(t -> "readiness-" + round + "-" + t).toList();
        provisioner.ensure(topics.stream().map(TopicReadinessIntegrationTest::spec).toList());

        // When records are written to them at once, every send acknowledged
        final Map<String, Set<String>> sent = sendAll(producer, round, topics);

        // Then each topic holds exactly those records, once each, on every partition
        for (String topic : topics) {
            assertHoldsExactly(topic, sent.get(topic));
        }
    }

    private static TopicSpec spec(String topic) {
        return new TopicSpec(topic, PARTITIONS, (short) 1,
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE));
    }

    /**
     * One producer for every round, as a service would keep one. Without the readiness wait, a
     * batch for a just-created partition can also hang unsent until the delivery timeout (seen on
     * this broker: 120 s by default), so the timeout is cut to fail such a run fast.
     */
    private static KafkaProducer<String, String> idempotentProducer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000),
                new StringSerializer(), new StringSerializer());
    }

    /** Sends the round's records round-robin over {@code topics}; returns what was sent, by topic. */
    private static Map<String, Set<String>> sendAll(KafkaProducer<String, String> producer, int round,
                                                    List<String> topics) throws Exception {
        final Map<String, Set<String>> sent = new HashMap<>();
        final List<Future<RecordMetadata>> acks = new ArrayList<>(RECORDS_PER_ROUND);
        for (int i = 0; i < RECORDS_PER_ROUND; i++) {
            final String topic = topics.get(i % topics.size());
            final String value = "round-" + round + "-record-" + i;
            sent.computeIfAbsent(topic, t -> new HashSet<>()).add(value);
            acks.add(producer.send(new ProducerRecord<>(topic, "key-" + i, value)));
        }
        producer.flush();
        for (Future<RecordMetadata> ack : acks) {
            ack.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        return sent;
    }

    private static void assertHoldsExactly(String topic, Set<String> sent) {
        final List<ConsumerRecord<String, String>> records = TopicReader.readAll(cluster.bootstrapServers(), topic,
                new StringDeserializer(), new StringDeserializer());
        final List<String> values = records.stream().map(ConsumerRecord::value).toList();
        assertEquals(sent.size(), values.size(), topic + ": records lost or duplicated");
        assertEquals(sent, Set.copyOf(values), topic + ": other records than those sent");
        final Set<Integer> partitions = records.stream().map(ConsumerRecord::partition).collect(Collectors.toSet());
        assertEquals(PARTITIONS, partitions.size(), topic + " got records on partitions " + partitions);
    }
}
