package dev.lethe.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.avro.CallbackOutcome;
import dev.lethe.avro.ErasureRequested;
import dev.lethe.avro.Identifier;
import dev.lethe.avro.SystemCallback;
import dev.lethe.gateway.GatewayConfig;
import dev.lethe.gateway.GatewayServer;
import dev.lethe.ledger.LedgerApp;
import dev.lethe.ledger.LedgerConfig;
import dev.lethe.schemas.SubjectKeys;
import dev.lethe.schemas.Topics;
import dev.lethe.schemas.registry.RestSchemaRegistryClient;
import dev.lethe.schemas.serde.AvroCodec;
import dev.lethe.schemas.serde.CanonicalPartition;
import dev.lethe.schemas.serde.ConfluentAvroSerde;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plain Kafka producers, as partners write them, on topics of {@value #PARTITIONS} partitions: a
 * Java {@code KafkaProducer} with {@code StringSerializer} keys, one whose records land where
 * librdkafka's default partitioner (CRC32) puts them, and one with Confluent-Avro string keys.
 * Every request completes, each callback applied exactly once wherever it landed, and a plain
 * {@code StringDeserializer} reads the keys of {@code erasure.events} as the subject key.
 */
@Tag("integration")
class AnyProducerKeysIntegrationTest {

    private static final String APPLICATION_ID = "lethe-it-any-producer-keys";
    private static final int PARTITIONS = 4;
    private static final List<String> ROUTED = List.of("analytics", "billing", "crm");
    private static final Duration COMPLETED = Duration.ofSeconds(90);

    @TempDir
    static Path dir;

    private static ItCluster cluster;
    private static LedgerApp ledger;
    private static GatewayServer gateway;
    private static ApiClient api;
    private static KafkaProducer<String, byte[]> textKeys;
    private static KafkaProducer<byte[], byte[]> rawKeys;
    private static ConfluentAvroSerde<String> avroKeys;

    @BeforeAll
    static void start() {
        cluster = ItCluster.withRegistry(dir);
        final int queryPort = LetheEnv.freePort();
        final Map<String, String> env = new HashMap<>(LetheEnv.ledger(cluster, APPLICATION_ID, dir.resolve("streams"),
                queryPort, LetheEnv.systemsFile(dir)));
        env.put("LETHE_PARTITIONS", Integer.toString(PARTITIONS));
        ledger = LedgerApp.start(LedgerConfig.fromEnvironment(env));
        gateway = new GatewayServer(GatewayConfig.fromEnvironment(LetheEnv.gateway(cluster, queryPort))).start();
        api = new ApiClient(gateway.port(), LetheEnv.ADMIN_TOKEN);
        final Map<String, Object> producer = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        textKeys = new KafkaProducer<>(producer, new StringSerializer(), new ByteArraySerializer());
        rawKeys = new KafkaProducer<>(producer, new ByteArraySerializer(), new ByteArraySerializer());
        avroKeys = new ConfluentAvroSerde<>(new RestSchemaRegistryClient(cluster.registryUrl()), AvroCodec.string(),
                true);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable component : new AutoCloseable[] {textKeys, rawKeys, gateway, ledger, cluster}) {
            if (component != null) {
                try {
                    component.close();
                } catch (Exception e) {
                    throw new IllegalStateException("cannot stop " + component.getClass().getSimpleName(), e);
                }
            }
        }
    }

    @Test
    void shouldCompleteRequestsFiledAndAnsweredWithEitherKeyWhereverTheyLand() throws Exception {
        // Given a request filed with a text key on its default partition, and one filed where librdkafka puts it
        final String onDefault = misplacedId();
        final String onCrc32 = misplacedId();
        send(Topics.REQUESTS, onDefault, null, request(onDefault, "u-keys-1"));
        send(Topics.REQUESTS, onCrc32, crc32Partition(onCrc32), request(onCrc32, "u-keys-2"));

        // When each system answers in another way: an Avro key, a text key placed by CRC32, a text key
        for (String id : List.of(onDefault, onCrc32)) {
            sendAvroKeyed(Topics.CALLBACKS, id, callback(id, "billing", 12L));
            send(Topics.CALLBACKS, id, crc32Partition(id), callback(id, "crm", 7L));
            send(Topics.CALLBACKS, id, null, callback(id, "analytics", 0L));
        }

        // Then both complete, the status found where the gateway looks for it
        for (String id : List.of(onDefault, onCrc32)) {
            final JsonNode completed = api.awaitStatus(id, "COMPLETED", COMPLETED);
            assertEquals(ROUTED, FullFlowIntegrationTest.names(completed));
            completed.path("systems").forEach(system -> assertEquals("DONE", system.path("status").asText()));
        }
        TopicReader.awaitConsumed(cluster.admin(), APPLICATION_ID,
                Set.of(Topics.REQUESTS, Topics.DECISIONS, Topics.CALLBACKS), COMPLETED);
        for (String id : List.of(onDefault, onCrc32)) {
            // And each callback was applied once: one answer per system, one dispatch, one dataset record
            final LedgerOutputs outputs = LedgerOutputs.of(cluster, id);
            outputs.assertAuditSeqsGapless();
            assertEquals(1, outputs.events().size(), "dispatch events: " + outputs.events());
            assertEquals(1, outputs.dataset().size(), "dataset records: " + outputs.dataset());
            assertEquals(ROUTED, outputs.facts().stream().filter(f -> f.getType().equals("SYSTEM_DONE"))
                    .map(f -> f.getSystem()).sorted().toList(), "answers: " + outputs.auditTypes());
        }
        // And the misplaced records were re-routed, keyed by the request id as text, on their canonical partition
        assertEquals(1, rerouted(Topics.REQUESTS).size(), "re-routed requests");
        assertEquals(4, rerouted(Topics.CALLBACKS).size(), "re-routed callbacks");
        assertTrue(TopicReader.readAll(cluster.bootstrapServers(), Topics.DLQ, new ByteArrayDeserializer(),
                new ByteArrayDeserializer()).isEmpty(), "nothing refused");
    }

    @Test
    void shouldLetAStringDeserializerReadEventKeysAsTheSubjectKey() throws Exception {
        final String id = misplacedId();
        send(Topics.REQUESTS, id, null, request(id, "u-keys-3"));
        final String subjectKey = SubjectKeys.ofSecret(LetheEnv.PSEUDONYM_SECRET.getBytes(StandardCharsets.UTF_8))
                .of("user_id", "u-keys-3");

        await("the dispatch of " + id).atMost(COMPLETED).pollInterval(Duration.ofMillis(200)).until(() ->
                TopicReader.readAll(cluster.bootstrapServers(), Topics.EVENTS, new StringDeserializer(),
                        cluster.serdes().event().deserializer()).stream()
                        .anyMatch(r -> r.value().getRequestId().equals(id)));

        final List<ConsumerRecord<String, dev.lethe.avro.ErasureEvent>> events = TopicReader.readAll(
                        cluster.bootstrapServers(), Topics.EVENTS, new StringDeserializer(),
                        cluster.serdes().event().deserializer()).stream()
                .filter(r -> r.value().getRequestId().equals(id)).toList();
        assertEquals(1, events.size());
        assertEquals(subjectKey, events.get(0).key());
        assertFalse(events.get(0).key().isEmpty());
    }

    /** The re-routed records on {@code topic}, after checking each is on its text key's canonical partition. */
    private static List<ConsumerRecord<byte[], byte[]>> rerouted(String topic) {
        final List<ConsumerRecord<byte[], byte[]>> rerouted = TopicReader.readAll(cluster.bootstrapServers(), topic,
                        new ByteArrayDeserializer(), new ByteArrayDeserializer()).stream()
                .filter(r -> r.headers().lastHeader("lethe-rerouted-from") != null).toList();
        rerouted.forEach(r -> assertEquals(CanonicalPartition.of(new String(r.key(), StandardCharsets.UTF_8),
                PARTITIONS), r.partition(), "re-routed to its canonical partition"));
        return rerouted;
    }

    /** A fresh id whose Avro key bytes and CRC32 both place it off its canonical partition. */
    private static String misplacedId() {
        while (true) {
            final String id = UUID.randomUUID().toString();
            final int canonical = CanonicalPartition.of(id, PARTITIONS);
            final int avro = Utils.toPositive(Utils.murmur2(avroKeys.serialize(Topics.CALLBACKS, id))) % PARTITIONS;
            if (crc32Partition(id) != canonical && avro != canonical) {
                return id;
            }
        }
    }

    /** Where librdkafka's default partitioner ({@code consistent_random}: CRC32 of the key) puts {@code id}. */
    private static int crc32Partition(String id) {
        final CRC32 crc = new CRC32();
        crc.update(id.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % PARTITIONS);
    }

    private static void send(String topic, String key, Integer partition, byte[] value) throws Exception {
        textKeys.send(new ProducerRecord<>(topic, partition, key, value)).get(30, TimeUnit.SECONDS);
    }

    private static void sendAvroKeyed(String topic, String id, byte[] value) throws Exception {
        rawKeys.send(new ProducerRecord<>(topic, avroKeys.serialize(topic, id), value)).get(30, TimeUnit.SECONDS);
    }

    private static byte[] request(String id, String userId) {
        return cluster.serdes().request().serialize(Topics.REQUESTS, ErasureRequested.newBuilder().setRequestId(id)
                .setSubject(new Identifier("user_id", userId))
                .setIdentifiers(List.of(new Identifier("email", userId + "@example.com")))
                .setJurisdiction("GDPR").setReason("account_deleted").setSource("kafka-partner")
                .setRequestedAt(Instant.now()).build());
    }

    private static byte[] callback(String id, String system, Long items) {
        return cluster.serdes().callback().serialize(Topics.CALLBACKS, new SystemCallback(
                UUID.randomUUID().toString(), id, system, Instant.now(), "partner:" + system, CallbackOutcome.DONE,
                items, "erased by " + system, null, null));
    }
}
