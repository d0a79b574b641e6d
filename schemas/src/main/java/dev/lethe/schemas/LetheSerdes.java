package dev.lethe.schemas;

import dev.lethe.avro.Admission;
import dev.lethe.avro.AuditFact;
import dev.lethe.avro.DeadLetter;
import dev.lethe.avro.Decision;
import dev.lethe.avro.ErasureEvent;
import dev.lethe.avro.ErasureRecord;
import dev.lethe.avro.ErasureRequested;
import dev.lethe.avro.Notification;
import dev.lethe.avro.RequestState;
import dev.lethe.avro.SubjectEntry;
import dev.lethe.avro.SystemCallback;
import dev.lethe.avro.SystemRegistration;
import dev.lethe.schemas.registry.SchemaRegistryClient;
import dev.lethe.schemas.serde.AvroCodec;
import dev.lethe.schemas.serde.ConfluentAvroSerde;
import dev.lethe.schemas.serde.KeySerde;
import org.apache.avro.specific.SpecificRecord;

/**
 * The one typed registry of Lethe's serdes, built once from a schema registry client and
 * immutable. Every topic key is the id as UTF-8 text ({@link KeySerde}, which also reads
 * Confluent-Avro string keys); every value a generated Avro record in the Confluent wire format.
 * The keys of the ledger's own state stores stay Avro strings ({@link #storeKey()}), so stores
 * and changelogs written before keys became text stay readable.
 */
public final class LetheSerdes {

    private final KeySerde key;
    private final ConfluentAvroSerde<String> storeKey;
    private final ConfluentAvroSerde<ErasureRequested> request;
    private final ConfluentAvroSerde<Decision> decision;
    private final ConfluentAvroSerde<SystemCallback> callback;
    private final ConfluentAvroSerde<SystemRegistration> system;
    private final ConfluentAvroSerde<ErasureEvent> event;
    private final ConfluentAvroSerde<AuditFact> audit;
    private final ConfluentAvroSerde<ErasureRecord> record;
    private final ConfluentAvroSerde<RequestState> state;
    private final ConfluentAvroSerde<DeadLetter> deadLetter;
    private final ConfluentAvroSerde<SubjectEntry> subjectEntry;
    private final ConfluentAvroSerde<Notification> notification;
    private final ConfluentAvroSerde<Admission> admission;
    private final ConfluentAvroSerde<dev.lethe.avro.DataKey> dataKey;

    public LetheSerdes(SchemaRegistryClient registry) {
        this.key = new KeySerde(registry);
        this.storeKey = new ConfluentAvroSerde<>(registry, AvroCodec.string(), true);
        this.request = value(registry, ErasureRequested.class);
        this.decision = value(registry, Decision.class);
        this.callback = value(registry, SystemCallback.class);
        this.system = value(registry, SystemRegistration.class);
        this.event = value(registry, ErasureEvent.class);
        this.audit = value(registry, AuditFact.class);
        this.record = value(registry, ErasureRecord.class);
        this.state = value(registry, RequestState.class);
        this.deadLetter = value(registry, DeadLetter.class);
        this.subjectEntry = value(registry, SubjectEntry.class);
        this.notification = value(registry, Notification.class);
        this.admission = value(registry, Admission.class);
        this.dataKey = value(registry, dev.lethe.avro.DataKey.class);
    }

    private static <T extends SpecificRecord> ConfluentAvroSerde<T> value(SchemaRegistryClient registry, Class<T> type) {
        return new ConfluentAvroSerde<>(registry, AvroCodec.specific(type), false);
    }

    /** The key of every topic: a request id, a subject key or a system name, as UTF-8 text. */
    public KeySerde key() {
        return key;
    }

    /**
     * The key of the {@code ledger} and {@code systems} stores: an Avro string, as it always was
     * (changing a store's key serde would make its existing RocksDB data and changelog unreadable).
     * Never a topic key, and never used to pick a partition.
     */
    public ConfluentAvroSerde<String> storeKey() {
        return storeKey;
    }

    public ConfluentAvroSerde<ErasureRequested> request() {
        return request;
    }

    public ConfluentAvroSerde<Decision> decision() {
        return decision;
    }

    public ConfluentAvroSerde<SystemCallback> callback() {
        return callback;
    }

    public ConfluentAvroSerde<SystemRegistration> system() {
        return system;
    }

    public ConfluentAvroSerde<ErasureEvent> event() {
        return event;
    }

    public ConfluentAvroSerde<AuditFact> audit() {
        return audit;
    }

    public ConfluentAvroSerde<ErasureRecord> record() {
        return record;
    }

    public ConfluentAvroSerde<RequestState> state() {
        return state;
    }

    public ConfluentAvroSerde<DeadLetter> deadLetter() {
        return deadLetter;
    }

    public ConfluentAvroSerde<SubjectEntry> subjectEntry() {
        return subjectEntry;
    }

    public ConfluentAvroSerde<Notification> notification() {
        return notification;
    }

    public ConfluentAvroSerde<Admission> admission() {
        return admission;
    }

    /** Values of {@code erasure.keys}. */
    public ConfluentAvroSerde<dev.lethe.avro.DataKey> dataKey() {
        return dataKey;
    }
}
