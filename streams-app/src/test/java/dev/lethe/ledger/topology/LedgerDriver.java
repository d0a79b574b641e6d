package dev.lethe.ledger.topology;

import dev.lethe.avro.AuditFact;
import dev.lethe.avro.CallbackOutcome;
import dev.lethe.avro.DeadLetter;
import dev.lethe.avro.ErasureEvent;
import dev.lethe.avro.ErasureRecord;
import dev.lethe.avro.ErasureRequested;
import dev.lethe.avro.Identifier;
import dev.lethe.avro.Notification;
import dev.lethe.avro.RequestState;
import dev.lethe.avro.SystemCallback;
import dev.lethe.avro.SystemMode;
import dev.lethe.avro.SystemRegistration;
import dev.lethe.ledger.domain.LedgerPolicy;
import dev.lethe.schemas.LetheSerdes;
import dev.lethe.schemas.SubjectKeys;
import dev.lethe.schemas.Topics;
import dev.lethe.schemas.registry.InMemorySchemaRegistryClient;
import dev.lethe.schemas.serde.AvroCodec;
import dev.lethe.schemas.serde.ConfluentAvroSerde;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

/** A TopologyTestDriver around the real ledger topology, with helpers to feed and read it. */
final class LedgerDriver implements AutoCloseable {

    static final Instant START = Instant.parse("2026-03-01T09:00:00Z");
    static final String SECRET = "a-test-secret-of-at-least-thirty-two-bytes";
    static final dev.lethe.schemas.crypto.Sealing SEALING = new dev.lethe.schemas.crypto.Sealing(
            dev.lethe.schemas.crypto.LocalKeyWrapper.of("a-test-kek-of-at-least-thirty-two-bytes".getBytes(
                    StandardCharsets.UTF_8)));

    final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    final LetheSerdes serdes = new LetheSerdes(registry);
    /** Keys as Confluent's Avro serializers (and Lethe before keys became text) write them. */
    final ConfluentAvroSerde<String> avroKeys = new ConfluentAvroSerde<>(registry, AvroCodec.string(), true);
    final SubjectKeys subjectKeys = SubjectKeys.ofSecret(SECRET.getBytes(StandardCharsets.UTF_8));
    final TopologyTestDriver driver;
    final TestInputTopic<String, ErasureRequested> requests;
    final TestInputTopic<String, SystemCallback> callbacks;
    final TestInputTopic<String, dev.lethe.avro.Decision> decisions;
    final TestInputTopic<String, SystemRegistration> systems;
    final TestInputTopic<byte[], byte[]> rawRequests;
    final TestInputTopic<byte[], byte[]> rawCallbacks;
    final TestInputTopic<String, ErasureRequested> textKeyedRequests;
    final TestInputTopic<String, ErasureRequested> avroKeyedRequests;
    final TestInputTopic<String, SystemCallback> avroKeyedCallbacks;
    final TestOutputTopic<String, ErasureEvent> events;
    final TestOutputTopic<String, AuditFact> audit;
    final TestOutputTopic<String, ErasureRecord> dataset;
    final TestOutputTopic<byte[], DeadLetter> dlq;
    final TestOutputTopic<String, Notification> notifications;
    final TestOutputTopic<String, dev.lethe.avro.DataKey> keys;
    final TestOutputTopic<String, dev.lethe.ledger.archive.ArchiveView.Archived> archive;
    /** The value bytes of every event read from {@link #events}, as the ledger wrote them (sealed). */
    final List<byte[]> eventBytes = new ArrayList<>();
    /** Every data key record read so far, tombstones (null) included, in order. */
    final List<org.apache.kafka.streams.test.TestRecord<String, dev.lethe.avro.DataKey>> keyRecords = new ArrayList<>();
    private final Map<String, byte[]> openKeys = new HashMap<>();
    private final dev.lethe.schemas.crypto.Sealing sealing;
    private int callbackSeq;

    LedgerDriver() {
        this(LedgerPolicy.defaults());
    }

    LedgerDriver(LedgerPolicy policy) {
        this(policy, new AppliedOffsets());
    }

    LedgerDriver(LedgerPolicy policy, AppliedOffsets applied) {
        this(policy, applied, 1);
    }

    /**
     * A driver whose ledger believes the input topics have {@code partitions} partitions; the
     * driver itself feeds every record on partition 0, so with more than one partition a record
     * whose request id's canonical partition is not 0 is re-routed.
     */
    LedgerDriver(LedgerPolicy policy, AppliedOffsets applied, int partitions) {
        this(policy, applied, partitions, Privacy.DEFAULT_FORGET_AFTER);
    }

    /** A driver whose ledger destroys data keys {@code forgetAfter} after a request finished. */
    LedgerDriver(LedgerPolicy policy, AppliedOffsets applied, int partitions, Duration forgetAfter) {
        this(policy, applied, partitions, new Privacy(SEALING, forgetAfter));
    }

    /** A driver whose ledger seals with {@code privacy} (its KEKs) and keeps data keys as it says. */
    LedgerDriver(LedgerPolicy policy, AppliedOffsets applied, int partitions, Privacy privacy) {
        this(policy, applied, partitions, privacy, Archiving.none());
    }

    /** A driver whose ledger archives with {@code archiving} (its view of the archive, its release delay). */
    LedgerDriver(LedgerPolicy policy, AppliedOffsets applied, int partitions, Privacy privacy, Archiving archiving) {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "ledger-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        // A state folder of its own: drivers in other JVMs on the machine use the same application id.
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir().toString());
        driver = new TopologyTestDriver(LedgerTopology.buildTopology(serdes, subjectKeys, policy, applied,
                partitions, privacy, archiving), props, START);
        this.sealing = privacy.sealing();
        final var key = serdes.key().serializer();
        requests = driver.createInputTopic(Topics.REQUESTS, key, serdes.request().serializer(), START, Duration.ZERO);
        callbacks = driver.createInputTopic(Topics.CALLBACKS, key, serdes.callback().serializer());
        decisions = driver.createInputTopic(Topics.DECISIONS, key, serdes.decision().serializer());
        systems = driver.createInputTopic(Topics.SYSTEMS, key, serdes.system().serializer());
        rawRequests = driver.createInputTopic(Topics.REQUESTS, Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer());
        rawCallbacks = driver.createInputTopic(Topics.CALLBACKS, Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer());
        textKeyedRequests = driver.createInputTopic(Topics.REQUESTS, new StringSerializer(),
                serdes.request().serializer(), START, Duration.ZERO);
        avroKeyedRequests = driver.createInputTopic(Topics.REQUESTS, avroKeys.serializer(),
                serdes.request().serializer(), START, Duration.ZERO);
        avroKeyedCallbacks = driver.createInputTopic(Topics.CALLBACKS, avroKeys.serializer(),
                serdes.callback().serializer());
        final var keyIn = serdes.key().deserializer();
        keys = driver.createOutputTopic(Topics.KEYS, keyIn, serdes.dataKey().deserializer());
        events = driver.createOutputTopic(Topics.EVENTS, keyIn, this::openedEvent);
        audit = driver.createOutputTopic(Topics.AUDIT, keyIn, serdes.audit().deserializer());
        dataset = driver.createOutputTopic(Topics.DATASET, keyIn, serdes.record().deserializer());
        dlq = driver.createOutputTopic(Topics.DLQ, Serdes.ByteArray().deserializer(), serdes.deadLetter().deserializer());
        archive = driver.createOutputTopic(Topics.ARCHIVE, keyIn, new ArchiveSerde().deserializer());
        notifications = driver.createOutputTopic(Topics.NOTIFICATIONS, keyIn, serdes.notification().deserializer());
    }

    private static Path stateDir() {
        try {
            final Path dir = Files.createTempDirectory("ledger-driver");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void register(String name, String... namespaces) {
        systems.pipeInput(name, registration(name, namespaces).build());
    }

    /** An event-mode registration with the schema's defaults, to adjust before {@code build()}. */
    static SystemRegistration.Builder registration(String name, String... namespaces) {
        return SystemRegistration.newBuilder().setName(name).setOwner(name + "-team")
                .setContact(name + "@example.com").setMode(SystemMode.EVENT).setNamespaces(List.of(namespaces));
    }

    void register(SystemRegistration registration) {
        systems.pipeInput(registration.getName(), registration);
    }

    /** A decision about request {@code id} by an approver. */
    void decide(String id, Object action) {
        decisions.pipeInput(id, dev.lethe.avro.Decision.newBuilder().setEventId("d-" + (++callbackSeq))
                .setRequestId(id).setAt(START).setActor("approver:alice").setAction(action).build());
    }

    /** A GDPR request for subject user_id=u-1842 with the e-mail kim@example.com. */
    static ErasureRequested request(String id) {
        return ErasureRequested.newBuilder().setRequestId(id)
                .setSubject(new Identifier("user_id", "u-1842"))
                .setIdentifiers(List.of(new Identifier("email", "kim@example.com")))
                .setJurisdiction("GDPR").setReason("account_deleted").setSource("accounts-service")
                .setObjects(List.of("s3://media-prod/u-1842/avatar.png"))
                .setRequestedAt(START).build();
    }

    void file(String id) {
        requests.pipeInput(id, request(id));
    }

    /** The same request for another subject, user_id={@code userId}: the subject gate judges each subject alone. */
    static ErasureRequested request(String id, String userId) {
        return ErasureRequested.newBuilder(request(id)).setSubject(new Identifier("user_id", userId)).build();
    }

    void file(String id, String userId) {
        requests.pipeInput(id, request(id, userId));
    }

    SystemCallback callback(String id, String system, CallbackOutcome outcome, Long items) {
        return SystemCallback.newBuilder().setEventId("cb-" + (++callbackSeq)).setRequestId(id).setSystem(system)
                .setAt(START).setActor("partner:" + system).setOutcome(outcome).setItemsErased(items)
                .setDetail(outcome == CallbackOutcome.RETAINED ? "kept invoices" : "rows deleted")
                .setLegalBasis(outcome == CallbackOutcome.RETAINED ? "tax law, 10 years" : null).build();
    }

    void callBack(SystemCallback callback) {
        callbacks.pipeInput(callback.getRequestId(), callback);
    }

    /** The stored state of request {@code id}, in the Avro shape the tests were written against (null if none). */
    RequestState state(String id) {
        final dev.lethe.ledger.domain.RequestState stored = domainState(id);
        return stored == null ? null : AvroMapping.state(stored);
    }

    /** The stored state of request {@code id} as the ledger keeps it (null if none). */
    dev.lethe.ledger.domain.RequestState domainState(String id) {
        final KeyValueStore<String, dev.lethe.ledger.domain.RequestState> store =
                driver.getKeyValueStore(LedgerNames.LEDGER_STORE);
        return store.get(id);
    }

    /**
     * Reads {@code erasure.keys} so far into {@link #keyRecords}; a tombstone forgets the key (so
     * an event of a request whose key was destroyed no longer opens).
     */
    void readKeys() {
        while (!keys.isEmpty()) {
            final var record = keys.readRecord();
            keyRecords.add(record);
            if (record.value() == null) {
                openKeys.remove(record.key());
            } else {
                openKeys.put(record.key(), sealing.unwrap(new dev.lethe.schemas.crypto.KeyWrapper.Wrapped(
                        record.value().getKekId(), dev.lethe.schemas.crypto.Sealing.bytes(record.value().getWrapped()))));
            }
        }
    }

    /** The plain data key of request {@code id} as read from {@code erasure.keys} by {@link #readKeys()} (null if none). */
    byte[] openKey(String id) {
        return openKeys.get(id);
    }

    /** The value bytes a dead letter holds, opened with its data key (sealed under it by the ledger). */
    byte[] openedValue(DeadLetter letter) {
        readKeys();
        final byte[] key = openKeys.get(letter.getSealedUnder());
        return dev.lethe.schemas.crypto.Aead.open(key, letter.getSealedUnder() + ":value",
                dev.lethe.schemas.crypto.Sealing.bytes(letter.getValue()));
    }

    /** An event as the ledger wrote it, its sealed identifiers opened as a partner would (the raw bytes kept). */
    private ErasureEvent openedEvent(String topic, byte[] bytes) {
        eventBytes.add(bytes);
        final ErasureEvent event = serdes.event().deserializer().deserialize(topic, bytes);
        if (event.getSealed() == null) {
            return event;
        }
        readKeys();
        final byte[] key = openKeys.get(event.getRequestId());
        return key == null ? event : dev.lethe.schemas.crypto.Sealing.openEvent(event, key);
    }

    String subjectKey() {
        return subjectKeys.of("user_id", "u-1842");
    }

    @Override
    public void close() {
        driver.close();
    }
}
