package dev.lethe.standalone;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.avro.AuditFact;
import dev.lethe.avro.CallbackOutcome;
import dev.lethe.avro.ErasureRecord;
import dev.lethe.avro.RequestStatus;
import dev.lethe.avro.SystemCallback;
import dev.lethe.avro.SystemOutcome;
import dev.lethe.avro.SystemStatus;
import dev.lethe.gateway.GatewayConfig;
import dev.lethe.gateway.GatewayServer;
import dev.lethe.ledger.LedgerApp;
import dev.lethe.ledger.LedgerConfig;
import dev.lethe.ledger.topology.AuditKeys;
import dev.lethe.ledger.topology.AuditSerde;
import dev.lethe.ledger.topology.AvroMapping;
import dev.lethe.ledger.topology.LedgerNames;
import dev.lethe.ledger.topology.StateSerde;
import dev.lethe.schemas.Topics;
import dev.lethe.standalone.ApiClient.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * The ledger stopped and started again in the middle of a request, with callbacks (one of them a
 * duplicate) arriving while it is down: the request still completes, and the output topics show
 * every step exactly once. The second test wipes the state folder before the restart, so the
 * ledger must rebuild the request from its changelog.
 *
 * <p>Both tests share one broker, registry, gateway and ledger application id: each leaves a
 * running ledger behind, so their order does not matter.
 */
@Tag("integration")
class LedgerRestartIntegrationTest {

    private static final String APPLICATION_ID = "lethe-it-ledger-restart";
    private static final List<String> ROUTED = List.of("analytics", "billing", "crm");
    private static final Set<String> INPUTS = Set.of(Topics.REQUESTS, Topics.DECISIONS, Topics.CALLBACKS);
    private static final Duration CONSUMED = Duration.ofSeconds(30);
    private static final Duration COMPLETED = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    private static ItCluster cluster;
    private static Path stateDir;
    private static Path systemsFile;
    private static int queryPort;
    private static LedgerApp ledger;
    private static GatewayServer gateway;
    private static ApiClient api;
    private static KafkaProducer<String, SystemCallback> partner;

    @BeforeAll
    static void start() {
        cluster = ItCluster.withRegistry(dir);
        stateDir = dir.resolve("streams");
        systemsFile = LetheEnv.systemsFile(dir);
        queryPort = LetheEnv.freePort();
        ledger = startLedger();
        gateway = new GatewayServer(GatewayConfig.fromEnvironment(LetheEnv.gateway(cluster, queryPort))).start();
        api = new ApiClient(gateway.port(), LetheEnv.ADMIN_TOKEN);
        partner = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all"),
                cluster.serdes().key().serializer(), cluster.serdes().callback().serializer());
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable component : new AutoCloseable[] {partner, gateway, ledger, cluster}) {
            if (component != null) {
                try {
                    component.close();
                } catch (Exception e) {
                    throw new IllegalStateException("cannot stop " + component.getClass().getSimpleName(), e);
                }
            }
        }
    }

    /** The same application id, state folder and query port every time, so the gateway finds it again. */
    private static LedgerApp startLedger() {
        return LedgerApp.start(LedgerConfig.fromEnvironment(
                LetheEnv.ledger(cluster, APPLICATION_ID, stateDir, queryPort, systemsFile)));
    }

    /**
     * A deliberate stop: {@link LedgerApp#close()} leaves the consumer group, so the restart gets
     * its tasks at once rather than after {@code session.timeout.ms}.
     */
    private static void stopLedger() {
        ledger.close();
        ledger = null;
    }

    @Test
    void shouldLoseAndDuplicateNothingWhenRestartedInTheMiddleOfARequest() throws Exception {
        restartInTheMiddleOfARequest(false);
    }

    @Test
    void shouldRestoreFromTheChangelogWhenRestartedOnAWipedStateFolder() throws Exception {
        restartInTheMiddleOfARequest(true);
    }

    /**
     * A {@code kill -9} can leave the global store ({@code systems}, over {@code erasure.systems})
     * marked open on disk (Kafka Streams keeps a {@code status} entry in each RocksDB store's
     * {@code offsets} column family: 1 while open, 0 once closed, persisted at each flush). Under
     * exactly-once Kafka Streams then refuses the store ("Invalid state during store open") and,
     * unlike a task's store, does not wipe it: the global thread dies and the instance cannot start
     * again until someone deletes the folder. Found by the chaos harness (docs/reliability.md), at
     * the second kill of an instance. Here the stopped ledger's store is marked open as the crash
     * leaves it.
     */
    @Test
    void shouldStartAgainOnAGlobalStoreThatACrashLeftOpen() throws Exception {
        final String id = file("u-" + UUID.randomUUID(), "park+" + UUID.randomUUID() + "@example.com");
        final Path store = stateDir.resolve(APPLICATION_ID).resolve("global").resolve("rocksdb").resolve("systems");

        stopLedger();
        markOpen(store);
        ledger = startLedger();

        final Response status = api.get("/v1/erasures/" + id);
        assertEquals(200, status.status(), status.body());
        assertEquals(ROUTED, FullFlowIntegrationTest.names(status.json()));
    }

    /**
     * The changelogs as the previous version wrote them (the request's state as one Avro
     * {@code RequestState}, its audit trail as one Avro {@code AuditFact} per key) and an empty state
     * folder: the ledger restores them, answers for the request, finishes it, and its audit trail and
     * certificate hold across the two formats.
     */
    @Test
    void shouldRestoreFromChangelogsInThePreviousVersionsFormat() throws Exception {
        final String id = file("u-" + UUID.randomUUID(), "ode+" + UUID.randomUUID() + "@example.com");
        TopicReader.awaitConsumed(cluster.admin(), APPLICATION_ID, INPUTS, CONSUMED);
        stopLedger();
        wipe(stateDir);
        rewriteInThePreviousFormat(id);
        ledger = startLedger();

        final Response restored = api.get("/v1/erasures/" + id);
        assertEquals(200, restored.status(), restored.body());
        assertEquals("IN_PROGRESS", restored.json().path("status").asText());
        send(List.of(callback(id, "billing", 1L), callback(id, "crm", 2L), callback(id, "analytics", 3L)));
        api.awaitStatus(id, "COMPLETED", COMPLETED);

        final Response trail = api.get("/v1/erasures/" + id + "/audit");
        assertEquals(200, trail.status(), trail.body());
        final List<String> expected = new ArrayList<>(List.of("RECEIVED", "APPROVED"));
        ROUTED.forEach(system -> expected.add("DISPATCHED"));
        expected.addAll(List.of("SYSTEM_DONE", "SYSTEM_DONE", "SYSTEM_DONE", "COMPLETED"));
        final List<String> types = new ArrayList<>();
        trail.json().path("facts").forEach(fact -> types.add(fact.path("type").asText()));
        if (types.isEmpty()) {
            trail.json().forEach(fact -> types.add(fact.path("type").asText()));
        }
        assertEquals(expected, types, trail.body());
        final Response certificate = api.get("/v1/erasures/" + id + "/certificate");
        assertEquals(200, certificate.status(), certificate.body());
        assertTrue(certificate.json().path("audit").path("verified").asBoolean(), certificate.body());
        assertEquals(expected.size(), certificate.json().path("audit").path("facts").asInt(), certificate.body());
        LedgerOutputs.of(cluster, id).assertAuditSeqsGapless();
    }

    /**
     * Puts the request's latest state and audit facts back on the ledger's changelogs in the
     * previous version's format (the new-format audit entries deleted), on the partitions they were on.
     */
    private static void rewriteInThePreviousFormat(String id) throws Exception {
        final var serdes = cluster.serdes();
        final String ledgerLog = APPLICATION_ID + "-" + LedgerNames.LEDGER_STORE + "-changelog";
        final String auditLog = APPLICATION_ID + "-" + LedgerNames.AUDIT_STORE + "-changelog";
        // the ledger's states are sealed (issue 12): reading one needs its key-encryption key
        final StateSerde states = new StateSerde(serdes.state(),
                new dev.lethe.schemas.crypto.Sealing(LetheEnv.kek()));
        final AuditSerde audits = new AuditSerde(serdes.audit());
        final byte[] key = serdes.storeKey().serialize(ledgerLog, id);
        final List<ConsumerRecord<byte[], byte[]>> stateRecords = TopicReader.readAll(cluster.bootstrapServers(),
                ledgerLog, new ByteArrayDeserializer(), new ByteArrayDeserializer()).stream()
                .filter(r -> java.util.Arrays.equals(key, r.key())).toList();
        assertTrue(!stateRecords.isEmpty(), "the ledger changelog holds the request");
        final ConsumerRecord<byte[], byte[]> latest = stateRecords.get(stateRecords.size() - 1);
        final dev.lethe.ledger.domain.RequestState state = states.deserializer().deserialize(ledgerLog, latest.value());
        final List<ConsumerRecord<byte[], byte[]>> auditRecords = TopicReader.readAll(cluster.bootstrapServers(),
                auditLog, new ByteArrayDeserializer(), new ByteArrayDeserializer()).stream()
                .filter(r -> new String(r.key(), StandardCharsets.UTF_8).startsWith(id + "/")).toList();
        assertTrue(!auditRecords.isEmpty(), "the audit changelog holds the request's trail");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            final List<Future<RecordMetadata>> sent = new ArrayList<>();
            sent.add(producer.send(new ProducerRecord<>(ledgerLog, latest.partition(), key,
                    serdes.state().serialize(ledgerLog, AvroMapping.state(state)))));
            for (ConsumerRecord<byte[], byte[]> piece : auditRecords) {
                sent.add(producer.send(new ProducerRecord<>(auditLog, piece.partition(), piece.key(), null)));
                for (AuditFact fact : audits.deserializer().deserialize(auditLog, piece.value())) {
                    sent.add(producer.send(new ProducerRecord<>(auditLog, piece.partition(),
                            AuditKeys.of(id, fact.getSeq()).getBytes(StandardCharsets.UTF_8),
                            serdes.audit().serialize(auditLog, fact))));
                }
            }
            producer.flush();
            for (Future<RecordMetadata> future : sent) {
                future.get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Sets the store's {@code status} to open (1), as a process killed while it had the store open leaves it. */
    private static void markOpen(Path store) throws RocksDBException {
        assertTrue(Files.isDirectory(store), "the ledger keeps its global store under " + store);
        RocksDB.loadLibrary();
        final List<byte[]> names;
        try (Options options = new Options()) {
            names = RocksDB.listColumnFamilies(options, store.toString());
        }
        final int offsetsFamily = names.stream().map(name -> new String(name, StandardCharsets.UTF_8)).toList()
                .indexOf("offsets");
        assertTrue(offsetsFamily >= 0, "the store keeps its status in an offsets column family");
        final List<ColumnFamilyDescriptor> families = names.stream().map(ColumnFamilyDescriptor::new).toList();
        final List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions();
             RocksDB db = RocksDB.open(options, store.toString(), families, handles);
             FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            final ColumnFamilyHandle offsets = handles.get(offsetsFamily);
            db.put(offsets, "status".getBytes(StandardCharsets.UTF_8),
                    ByteBuffer.allocate(Long.BYTES).putLong(1L).array());
            db.flush(flush, offsets);
            handles.forEach(ColumnFamilyHandle::close);
        }
    }

    private void restartInTheMiddleOfARequest(boolean wipeState) throws Exception {
        // Given a request for three systems, one of which has called back through the gateway
        final String id = file("u-" + UUID.randomUUID(), "lee+" + UUID.randomUUID() + "@example.com");
        final Response first = api.post("/v1/erasures/" + id + "/systems/billing/callback",
                ApiClient.json(Map.of("outcome", "DONE", "itemsErased", 12)));
        assertEquals(202, first.status(), first.body());
        final SystemCallback written = callbacksOf(id).get(0);

        // When the ledger stops, the other two systems and a repeat of the first answer meanwhile,
        stopLedger();
        // (a deliberate stop is marked clean, so that the restart keeps the stores: Kafka Streams
        // 4.3 writes no .checkpoint file that would tell it from a crash)
        assertTrue(Files.exists(stateDir.resolve(APPLICATION_ID).resolve(".lethe-clean-stop")),
                "the deliberate stop is marked clean");
        if (wipeState) {
            wipe(stateDir);
        }
        send(List.of(written,
                callback(id, "crm", 7L),
                callback(id, "analytics", 0L)));
        // and the ledger starts again on the same application id and state folder
        ledger = startLedger();

        // Then the request completes
        final JsonNode completed = api.awaitStatus(id, "COMPLETED", COMPLETED);
        assertEquals(ROUTED, FullFlowIntegrationTest.names(completed));
        completed.path("systems").forEach(system -> assertEquals("DONE", system.path("status").asText()));

        // and every output about it appears exactly once, the audit trail numbered without a gap or repeat
        TopicReader.awaitConsumed(cluster.admin(), APPLICATION_ID, INPUTS, CONSUMED);
        final LedgerOutputs outputs = LedgerOutputs.of(cluster, id);
        assertEquals(1, outputs.events().size(), "dispatch events: " + outputs.events());
        assertEquals(ROUTED, outputs.events().get(0).value().getSystems());
        assertOneCompletedRecord(outputs, Map.of("analytics", 0L, "billing", 12L, "crm", 7L));
        outputs.assertAuditSeqsGapless();
        final List<String> expected = new ArrayList<>(List.of("RECEIVED", "APPROVED"));
        ROUTED.forEach(system -> expected.add("DISPATCHED"));
        expected.addAll(List.of("SYSTEM_DONE", "SYSTEM_DONE", "SYSTEM_DONE", "COMPLETED"));
        assertEquals(expected, outputs.auditTypes());
        assertEquals(Set.copyOf(ROUTED), Set.copyOf(outputs.facts().stream()
                .filter(fact -> fact.getType().equals("SYSTEM_DONE")).map(fact -> fact.getSystem()).toList()));
    }

    private static String file(String userId, String email) {
        final Response filed = api.post("/v1/erasures", FullFlowIntegrationTest.requestBody(userId, email, "GDPR"));
        assertEquals(202, filed.status(), filed.body());
        final String id = filed.json().path("id").asText();
        final Response status = api.get("/v1/erasures/" + id);
        assertEquals(200, status.status(), status.body());
        assertEquals(ROUTED, FullFlowIntegrationTest.names(api.awaitStatus(id, "IN_PROGRESS")));
        return id;
    }

    /** The callbacks about {@code requestId} on {@code erasure.callbacks}, as written. */
    private static List<SystemCallback> callbacksOf(String requestId) {
        return TopicReader.readAll(cluster.bootstrapServers(), Topics.CALLBACKS,
                        cluster.serdes().key().deserializer(), cluster.serdes().callback().deserializer())
                .stream().map(ConsumerRecord::value).filter(c -> c.getRequestId().equals(requestId)).toList();
    }

    private static SystemCallback callback(String requestId, String system, Long itemsErased) {
        return new SystemCallback(UUID.randomUUID().toString(), requestId, system, Instant.now(),
                "partner:" + system, CallbackOutcome.DONE, itemsErased, "erased by " + system, null, null);
    }

    /** Sends every callback keyed by its request id, then checks that each was acknowledged. */
    private static void send(List<SystemCallback> callbacks) throws Exception {
        final List<Future<RecordMetadata>> sent = callbacks.stream()
                .map(c -> partner.send(new ProducerRecord<>(Topics.CALLBACKS, c.getRequestId(), c)))
                .toList();
        partner.flush();
        for (Future<RecordMetadata> future : sent) {
            future.get(30, TimeUnit.SECONDS);
        }
    }


    private static void assertOneCompletedRecord(LedgerOutputs outputs, Map<String, Long> items) {
        assertEquals(1, outputs.dataset().size(), "dataset records: " + outputs.dataset());
        final ErasureRecord record = outputs.dataset().get(0).value();
        assertAll(
                () -> assertEquals(RequestStatus.COMPLETED, record.getStatus()),
                () -> assertEquals(outputs.events().get(0).key(), outputs.dataset().get(0).key()),
                () -> assertEquals(ROUTED, record.getSystems().stream().map(SystemOutcome::getName).toList()),
                () -> record.getSystems().forEach(system -> {
                    assertEquals(SystemStatus.DONE, system.getStatus());
                    assertEquals(items.get(system.getName()), system.getItemsErased(), system.getName());
                }));
    }

    private static void wipe(Path folder) throws IOException {
        assertTrue(Files.isDirectory(folder.resolve(APPLICATION_ID)), "the ledger kept state under " + folder);
        delete(folder);
    }

    private static void delete(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
