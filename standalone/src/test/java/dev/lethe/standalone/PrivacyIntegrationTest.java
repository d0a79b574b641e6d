package dev.lethe.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.avro.DeadLetter;
import dev.lethe.avro.ErasureEvent;
import dev.lethe.avro.ErasureRequested;
import dev.lethe.avro.Identifier;
import dev.lethe.gateway.GatewayConfig;
import dev.lethe.gateway.GatewayServer;
import dev.lethe.ledger.LedgerApp;
import dev.lethe.ledger.LedgerConfig;
import dev.lethe.schemas.Topics;
import dev.lethe.schemas.crypto.KeyRing;
import dev.lethe.schemas.crypto.LocalKeyWrapper;
import dev.lethe.standalone.ApiClient.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 end to end, byte by byte: after a full flow (a request filed over HTTP and sealed by
 * the gateway, one a third-party producer wrote in the clear, one the ledger refused), every topic
 * Lethe wrote, read from the earliest offset with read_uncommitted (changelogs and internal topics
 * included), holds none of the raw values in UTF-8; {@code erasure.requests} is trimmed past what
 * the ledger committed; {@code LETHE_FORGET_AFTER} after the requests finished, their data keys
 * (and the dead letter's) are tombstoned; the audit trail and the certificate still verify.
 */
@Tag("integration")
class PrivacyIntegrationTest {

    private static final String APPLICATION_ID = "lethe-it-privacy";
    private static final String KEK = "it-kek-0123456789abcdef-0123456789abcdef-0123";
    private static final Duration FORGET_AFTER = Duration.ofSeconds(6);
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    static Path dir;

    private static ItCluster cluster;
    private static LedgerApp ledger;
    private static GatewayServer gateway;
    private static ApiClient api;

    @BeforeAll
    static void start() {
        cluster = ItCluster.withRegistry(dir);
        final Map<String, String> ledgerEnv = new HashMap<>(LetheEnv.ledger(cluster, APPLICATION_ID,
                dir.resolve("streams"), LetheEnv.freePort(), LetheEnv.systemsFile(dir)));
        ledgerEnv.put("LETHE_KEK", KEK);
        ledgerEnv.put("LETHE_FORGET_AFTER", FORGET_AFTER.toString());
        ledgerEnv.put("LETHE_REQUESTS_TRIM_INTERVAL", "PT1S");
        ledger = LedgerApp.start(LedgerConfig.fromEnvironment(ledgerEnv));
        final Map<String, String> gatewayEnv = new HashMap<>(LetheEnv.gateway(cluster, ledger.queryPort()));
        gatewayEnv.put("LETHE_KEK", KEK);
        gateway = new GatewayServer(GatewayConfig.fromEnvironment(gatewayEnv)).start();
        api = new ApiClient(gateway.port(), LetheEnv.ADMIN_TOKEN);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (ledger != null) {
            ledger.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldLeaveNoRawIdentifierOnAnyTopicAndDestroyTheDataKeysWhileTheCertificateStillVerifies() {
        final String userId = "u-sealed-" + UUID.randomUUID();
        final String email = "sealed." + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        final String plainUser = "u-plain-" + UUID.randomUUID();
        final String refusedUser = "u-refused-" + UUID.randomUUID();
        final List<String> raw = List.of(userId, email, plainUser, refusedUser);

        // Given a request filed over HTTP (the gateway seals it) ...
        final Response filed = api.post("/v1/erasures", FullFlowIntegrationTest.requestBody(userId, email, "GDPR"));
        assertEquals(202, filed.status(), filed.body());
        final String id = filed.json().path("id").asText();
        // ... one a third-party producer writes in the clear, and one the ledger refuses (blank reason)
        final String plainId = UUID.randomUUID().toString();
        final String refusedId = UUID.randomUUID().toString();
        produce(plainRequest(plainId, plainUser, "account_deleted"), plainRequest(refusedId, refusedUser, " "));
        final JsonNode sealedView = api.awaitStatus(id, "IN_PROGRESS");
        final JsonNode plainView = api.awaitStatus(plainId, "IN_PROGRESS");

        // When a partner opens the identifiers of its event through the gateway
        // (the status shows IN_PROGRESS a moment before the ledger's transaction with the event commits)
        final ErasureEvent event = await("the event of " + id).atMost(WAIT).until(() -> TopicReader.readAll(
                        cluster.bootstrapServers(), Topics.EVENTS, cluster.serdes().key().deserializer(),
                        cluster.serdes().event().deserializer()).stream()
                .map(ConsumerRecord::value).filter(e -> e.getRequestId().equals(id)).findFirst(),
                java.util.Optional::isPresent).orElseThrow();
        assertNotNull(event.getSealed());
        assertEquals("", event.getSubject().getValue());
        final Response opened = api.post("/v1/erasures/" + id + "/systems/billing/identifiers", ApiClient.json(
                Map.of("sealed", Base64.getEncoder().encodeToString(
                        dev.lethe.schemas.crypto.Sealing.bytes(event.getSealed())))));
        assertEquals(200, opened.status(), opened.body());
        assertEquals(userId, opened.json().path("subject").path("value").asText());
        assertEquals(email, opened.json().path("identifiers").get(0).path("value").asText());

        // And every routed system answers
        // a partner quoting the subject in its callback text: the gateway seals it under the request's data key
        answerAll(id, sealedView, "deleted the rows of " + email);
        answerAll(plainId, plainView, "deleted the rows of " + plainUser);
        api.awaitStatus(id, "COMPLETED");
        api.awaitStatus(plainId, "COMPLETED");
        final Instant finished = Instant.now();

        // Then erasure.requests no longer holds any of them: trimmed once the ledger committed past them
        await("erasure.requests trimmed").atMost(WAIT).untilAsserted(() -> assertTrue(
                raw(Topics.REQUESTS).stream().noneMatch(r -> Set.of(id, plainId, refusedId).contains(key(r))),
                "records still on " + Topics.REQUESTS));

        // And LETHE_FORGET_AFTER after they finished, every data key is destroyed (the dead letter's too)
        final List<String> deadLetterKeys = TopicReader.readAll(cluster.bootstrapServers(), Topics.DLQ,
                new ByteArrayDeserializer(), cluster.serdes().deadLetter().deserializer()).stream()
                .map(ConsumerRecord::value).map(DeadLetter::getSealedUnder).toList();
        assertFalse(deadLetterKeys.isEmpty(), "the refused request reached the DLQ");
        final List<String> keyIds = new ArrayList<>(List.of(id, plainId));
        keyIds.addAll(deadLetterKeys);
        await("data keys destroyed").atMost(WAIT).untilAsserted(() -> {
            final Map<String, Boolean> alive = latestKeys();
            keyIds.forEach(keyId -> assertEquals(Boolean.FALSE, alive.get(keyId), keyId + " in " + alive));
        });
        assertTrue(Duration.between(finished, Instant.now()).compareTo(FORGET_AFTER.minusSeconds(1)) >= 0,
                "destroyed no sooner than LETHE_FORGET_AFTER after the requests finished");
        try (KeyRing ring = KeyRing.start(cluster.bootstrapServers(), cluster.serdes(), LocalKeyWrapper.of(
                KEK.getBytes(StandardCharsets.UTF_8)))) {
            keyIds.forEach(keyId -> assertTrue(ring.find(keyId, Duration.ofSeconds(10)).isEmpty(), keyId));
        }

        // And no topic holds a raw value in any byte: changelogs, repartition and internal topics included
        final Set<String> topics = names();
        assertTrue(topics.containsAll(List.of(Topics.EVENTS, Topics.DLQ, Topics.KEYS,
                APPLICATION_ID + "-ledger-changelog")), topics.toString());
        for (String topic : topics) {
            for (ConsumerRecord<byte[], byte[]> record : raw(topic)) {
                assertNoRaw(topic, record, raw);
            }
        }

        // And the audit chain and the certificate still verify, with no identifier in them
        final Response certificate = api.get("/v1/erasures/" + id + "/certificate");
        assertEquals(200, certificate.status(), certificate.body());
        assertTrue(certificate.json().path("audit").path("verified").asBoolean(), certificate.body());
        assertEquals("COMPLETED", certificate.json().path("status").asText());
        final Response trail = api.get("/v1/erasures/" + id + "/audit");
        assertEquals(200, trail.status(), trail.body());
        raw.forEach(value -> assertFalse(certificate.body().contains(value) || trail.body().contains(value), value));
        // and the obligation is closed: the gateway serves the identifiers no more
        assertEquals(409, api.post("/v1/erasures/" + id + "/systems/billing/identifiers", ApiClient.json(
                Map.of("sealed", Base64.getEncoder().encodeToString(
                        dev.lethe.schemas.crypto.Sealing.bytes(event.getSealed()))))).status());
    }

    private static void answerAll(String id, JsonNode view, String detail) {
        for (String system : FullFlowIntegrationTest.names(view)) {
            final Response callback = api.post("/v1/erasures/" + id + "/systems/" + system + "/callback",
                    ApiClient.json(Map.of("outcome", "DONE", "itemsErased", 1, "detail", detail)));
            assertEquals(202, callback.status(), callback.body());
        }
    }

    private static ErasureRequested plainRequest(String id, String userId, String reason) {
        return ErasureRequested.newBuilder().setRequestId(id).setSubject(new Identifier("user_id", userId))
                .setJurisdiction("GDPR").setReason(reason).setSource("third-party")
                .setRequestedAt(Instant.now()).build();
    }

    /** Writes {@code requests} in the clear, as a third-party producer does (plain-text keys). */
    private static void produce(ErasureRequested... requests) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ErasureRequested request : requests) {
                producer.send(new ProducerRecord<>(Topics.REQUESTS,
                        request.getRequestId().getBytes(StandardCharsets.UTF_8),
                        cluster.serdes().request().serialize(Topics.REQUESTS, request)));
            }
            producer.flush();
        }
    }

    /** Whether each key id's latest record on erasure.keys is a key (true) or a tombstone (false). */
    private static Map<String, Boolean> latestKeys() {
        final Map<String, Boolean> alive = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : raw(Topics.KEYS)) {
            alive.put(key(record), record.value() != null);
        }
        return alive;
    }

    private static String key(ConsumerRecord<byte[], byte[]> record) {
        return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    }

    private static Set<String> names() {
        try {
            return cluster.admin().listTopics(new ListTopicsOptions().listInternal(true)).names().get().stream()
                    .collect(Collectors.toCollection(java.util.TreeSet::new));
        } catch (Exception e) {
            throw new AssertionError("cannot list the topics", e);
        }
    }

    /** Every record physically on {@code topic}, aborted transactions' included, from the earliest offset. */
    private static List<ConsumerRecord<byte[], byte[]>> raw(String topic) {
        final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_UNCOMMITTED.toString(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            await("read " + topic).atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                return ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
            });
        }
        return records;
    }

    private static void assertNoRaw(String topic, ConsumerRecord<byte[], byte[]> record, List<String> raw) {
        final List<byte[]> parts = new ArrayList<>();
        parts.add(record.key());
        parts.add(record.value());
        for (Header header : record.headers()) {
            parts.add(header.value());
        }
        for (byte[] part : parts) {
            if (part == null) {
                continue;
            }
            final String text = new String(part, StandardCharsets.UTF_8);
            for (String value : raw) {
                assertFalse(text.contains(value), () -> topic + "-" + record.partition() + "@" + record.offset()
                        + " holds the raw value " + value);
            }
        }
    }
}
