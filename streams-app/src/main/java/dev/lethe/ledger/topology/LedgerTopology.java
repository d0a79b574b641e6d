package dev.lethe.ledger.topology;

import dev.lethe.ledger.domain.LedgerPolicy;
import dev.lethe.schemas.LetheSerdes;
import dev.lethe.schemas.SubjectKeys;
import dev.lethe.schemas.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds (never runs) the ledger topology: the three co-partitioned input topics, read as raw
 * bytes so that undecodable input reaches the dead-letter topic instead of stopping the app,
 * folded by one processor into the {@code ledger} store (and each request's audit trail into the
 * {@code audit} store, and the times requests asked to be woken at into the {@code due} index);
 * the system registry as a global store;
 * sinks for partner events, audit facts, the erasure dataset, notifications, the DLQ and the archive
 * ({@code erasure.archive}, finished and forgotten requests: {@link ArchiveKeeper}), and one per
 * input topic for records re-routed to their canonical partition. Every topic key is written as
 * UTF-8 text ({@code LetheSerdes#key}). The processor also keeps
 * the list and overdue indexes and counts ({@link Indexes}) and feeds status changes, re-keyed by
 * subject key, to a second sub-topology that keeps the subject index. That sub-topology is also the
 * subject gate ({@link SubjectsProcessor}): its verdicts on new requests, keyed by request id on
 * {@code erasure.admissions}, are the ledger processor's fourth input.
 *
 * <p>The ledger's own stores whose keys are written again and again (the requests, the due index,
 * the list indexes and, above all, the counts) are cached: a key written many times between two
 * commits reaches RocksDB and its changelog once per commit. The audit store is not (its keys are
 * written once). Reads, queries included, go through the cache, so they see every write.
 */
public final class LedgerTopology {

    /**
     * The topic configs of the changelogs of every task store of the ledger ({@code ledger},
     * {@code audit}, {@code due}, the indexes, {@code stats}, {@code subjects}), which take the puts
     * and the release tombstones of every request ever filed: compacted soon, so that a released
     * request's records and their tombstones leave them within about an hour or two and a restore
     * replays what the stores hold now, not their history. A segment rolls every hour (or at 64 MB),
     * the cleaner takes a log once a tenth of it is dirty and at the latest a day after a write (as
     * {@code erasure.keys}: {@link Topics.Settings#KEYS_COMPACTION_LAG}), a tombstone is dropped an
     * hour after compaction (as {@code erasure.keys}). Kafka Streams applies these only when it
     * creates the changelog (docs/operations.md: how to set them on an existing one).
     */
    public static final Map<String, String> CHANGELOG_CONFIG = Map.of(
            TopicConfig.SEGMENT_MS_CONFIG, Long.toString(Duration.ofHours(1).toMillis()),
            TopicConfig.SEGMENT_BYTES_CONFIG, Integer.toString(64 * 1024 * 1024),
            TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.1",
            TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG, Long.toString(Topics.Settings.KEYS_COMPACTION_LAG.toMillis()),
            TopicConfig.DELETE_RETENTION_MS_CONFIG, Long.toString(Duration.ofHours(1).toMillis()));

    private LedgerTopology() {
    }

    /**
     * The topology, recording what it applies into {@code applied} (read by this instance's
     * queries). {@code partitions} is the partition count of the input topics (provisioned and
     * checked before the topology starts): the ledger re-routes an input record that is not on its
     * request id's canonical partition ({@link Placement}).
     */
    public static Topology buildTopology(LetheSerdes serdes, SubjectKeys subjectKeys, LedgerPolicy policy,
                                         AppliedOffsets applied, int partitions, Privacy privacy) {
        return buildTopology(serdes, subjectKeys, policy, applied, partitions, privacy, Archiving.none());
    }

    /**
     * The topology, archiving finished and forgotten requests on {@code erasure.archive} and
     * releasing them from its task stores once {@code archiving}'s view (this instance's copy of the
     * archive) holds them.
     */
    public static Topology buildTopology(LetheSerdes serdes, SubjectKeys subjectKeys, LedgerPolicy policy,
                                         AppliedOffsets applied, int partitions, Privacy privacy,
                                         Archiving archiving) {
        final Deserializer<byte[]> bytes = Serdes.ByteArray().deserializer();
        final Topology topology = new Topology();
        topology.addSource(LedgerNames.REQUESTS_SOURCE, bytes, bytes, Topics.REQUESTS);
        topology.addSource(LedgerNames.DECISIONS_SOURCE, bytes, bytes, Topics.DECISIONS);
        topology.addSource(LedgerNames.CALLBACKS_SOURCE, bytes, bytes, Topics.CALLBACKS);
        topology.addSource(LedgerNames.ADMISSIONS_SOURCE, bytes, bytes, Topics.ADMISSIONS);
        topology.addProcessor(LedgerNames.LEDGER_PROCESSOR,
                new LedgerSupplier(serdes, subjectKeys, policy, applied, partitions, privacy, archiving),
                LedgerNames.REQUESTS_SOURCE, LedgerNames.DECISIONS_SOURCE, LedgerNames.CALLBACKS_SOURCE,
                LedgerNames.ADMISSIONS_SOURCE);
        topology.addSink(LedgerNames.REQUESTS_REROUTE_SINK, Topics.REQUESTS, serdes.key().serializer(),
                Serdes.ByteArray().serializer(), new CanonicalPartitioner(), LedgerNames.LEDGER_PROCESSOR);
        topology.addSink(LedgerNames.DECISIONS_REROUTE_SINK, Topics.DECISIONS, serdes.key().serializer(),
                Serdes.ByteArray().serializer(), new CanonicalPartitioner(), LedgerNames.LEDGER_PROCESSOR);
        topology.addSink(LedgerNames.CALLBACKS_REROUTE_SINK, Topics.CALLBACKS, serdes.key().serializer(),
                Serdes.ByteArray().serializer(), new CanonicalPartitioner(), LedgerNames.LEDGER_PROCESSOR);
        topology.addSink(LedgerNames.VERDICTS_SINK, Topics.ADMISSIONS, serdes.key().serializer(),
                serdes.admission().serializer(), LedgerNames.LEDGER_PROCESSOR);
        topology.addSink(LedgerNames.EVENTS_SINK, Topics.EVENTS, serdes.key().serializer(),
                serdes.event().serializer(), LedgerNames.LEDGER_PROCESSOR);
        topology.addSink(LedgerNames.AUDIT_SINK, Topics.AUDIT, serdes.key().serializer(),
                new AuditFactWriter(serdes.audit()), LedgerNames.LEDGER_PROCESSOR);
        topology.addSink(LedgerNames.DATASET_SINK, Topics.DATASET, serdes.key().serializer(),
                serdes.record().serializer(), LedgerNames.LEDGER_PROCESSOR);
        topology.addSink(LedgerNames.NOTIFICATIONS_SINK, Topics.NOTIFICATIONS, serdes.key().serializer(),
                serdes.notification().serializer(), LedgerNames.LEDGER_PROCESSOR);
        topology.addSink(LedgerNames.DLQ_SINK, Topics.DLQ, Serdes.ByteArray().serializer(),
                serdes.deadLetter().serializer(), LedgerNames.LEDGER_PROCESSOR);
        topology.addSink(LedgerNames.KEYS_SINK, Topics.KEYS, serdes.key().serializer(),
                serdes.dataKey().serializer(), LedgerNames.LEDGER_PROCESSOR);
        topology.addSink(LedgerNames.ARCHIVE_SINK, Topics.ARCHIVE, serdes.key().serializer(),
                new ArchiveSerde().serializer(), LedgerNames.LEDGER_PROCESSOR);
        topology.addSink(LedgerNames.SUBJECT_INDEX_SINK, Topics.SUBJECT_INDEX, serdes.key().serializer(),
                serdes.subjectEntry().serializer(), LedgerNames.LEDGER_PROCESSOR);
        topology.addSource(LedgerNames.SUBJECT_INDEX_SOURCE, serdes.key().deserializer(),
                serdes.subjectEntry().deserializer(), Topics.SUBJECT_INDEX);
        topology.addProcessor(LedgerNames.SUBJECTS_PROCESSOR, new SubjectsSupplier(serdes),
                LedgerNames.SUBJECT_INDEX_SOURCE);
        topology.addSink(LedgerNames.ADMISSIONS_SINK, Topics.ADMISSIONS, serdes.key().serializer(),
                serdes.admission().serializer(), LedgerNames.SUBJECTS_PROCESSOR);
        topology.addGlobalStore(systemsStore(serdes), LedgerNames.SYSTEMS_SOURCE, bytes, bytes, Topics.SYSTEMS,
                LedgerNames.SYSTEMS_PROCESSOR, () -> new SystemsUpdater(serdes));
        return topology;
    }

    static StoreBuilder<KeyValueStore<String, dev.lethe.ledger.domain.RequestState>> ledgerStore(LetheSerdes serdes,
                                                                                              Privacy privacy) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LedgerNames.LEDGER_STORE),
                serdes.storeKey(), new RememberedStates(new StateSerde(serdes.state(), privacy.sealing())))
                .withCachingEnabled().withLoggingEnabled(CHANGELOG_CONFIG);
    }

    static StoreBuilder<KeyValueStore<String, java.util.List<dev.lethe.avro.AuditFact>>> auditStore(LetheSerdes serdes) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LedgerNames.AUDIT_STORE),
                Serdes.String(), new AuditSerde(serdes.audit())).withLoggingEnabled(CHANGELOG_CONFIG);
    }

    /** The stores of the ledger processor's tasks. */
    static Set<StoreBuilder<?>> ledgerTaskStores(LetheSerdes serdes, Privacy privacy) {
        return Set.of(ledgerStore(serdes, privacy), auditStore(serdes), dueStore(),
                indexStore(LedgerNames.BY_REQUESTED_STORE), indexStore(LedgerNames.BY_FINISHED_STORE),
                indexStore(LedgerNames.OPEN_BY_DEADLINE_STORE), indexStore(LedgerNames.OWED_SINCE_STORE),
                statsStore());
    }

    /** The store of the subject index's tasks. */
    static StoreBuilder<KeyValueStore<String, dev.lethe.avro.SubjectEntry>> subjectsStore(LetheSerdes serdes) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LedgerNames.SUBJECTS_STORE),
                Serdes.String(), serdes.subjectEntry()).withLoggingEnabled(CHANGELOG_CONFIG);
    }

    static StoreBuilder<KeyValueStore<String, String>> dueStore() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LedgerNames.DUE_STORE),
                Serdes.String(), Serdes.String()).withCachingEnabled().withLoggingEnabled(CHANGELOG_CONFIG);
    }

    private static StoreBuilder<KeyValueStore<String, String>> indexStore(String name) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.String())
                .withCachingEnabled().withLoggingEnabled(CHANGELOG_CONFIG);
    }

    static StoreBuilder<KeyValueStore<String, Long>> statsStore() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LedgerNames.STATS_STORE),
                Serdes.String(), Serdes.Long()).withCachingEnabled().withLoggingEnabled(CHANGELOG_CONFIG);
    }

    private static StoreBuilder<KeyValueStore<String, byte[]>> systemsStore(LetheSerdes serdes) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(LedgerNames.SYSTEMS_STORE),
                serdes.storeKey(), Serdes.ByteArray()).withLoggingDisabled();
    }

    /** Supplies a new processor per task and declares the store it owns. */
    private record LedgerSupplier(LetheSerdes serdes, SubjectKeys subjectKeys, LedgerPolicy policy,
                                  AppliedOffsets applied, int partitions, Privacy privacy, Archiving archiving)
            implements ProcessorSupplier<byte[], byte[], Object, Object> {

        @Override
        public Processor<byte[], byte[], Object, Object> get() {
            return new LedgerProcessor(serdes, new InputDecoder(serdes, subjectKeys, privacy.sealing()), policy, applied,
                    partitions, privacy, archiving);
        }

        @Override
        public Set<StoreBuilder<?>> stores() {
            return ledgerTaskStores(serdes, privacy);
        }
    }

    /** Supplies the subject-index processor and declares its store. */
    private record SubjectsSupplier(LetheSerdes serdes)
            implements ProcessorSupplier<String, dev.lethe.avro.SubjectEntry, String, dev.lethe.avro.Admission> {

        @Override
        public Processor<String, dev.lethe.avro.SubjectEntry, String, dev.lethe.avro.Admission> get() {
            return new SubjectsProcessor();
        }

        @Override
        public Set<StoreBuilder<?>> stores() {
            return Set.of(subjectsStore(serdes));
        }
    }
}
