package dev.lethe.ledger.topology;

import dev.lethe.avro.DeadLetter;
import dev.lethe.avro.SubjectEntry;
import dev.lethe.ledger.archive.ArchiveView;
import dev.lethe.ledger.domain.Identifier;
import dev.lethe.ledger.domain.Ledger;
import dev.lethe.ledger.domain.LedgerContext;
import dev.lethe.ledger.domain.LedgerEvent;
import dev.lethe.ledger.domain.LedgerOutput;
import dev.lethe.ledger.domain.LedgerOutput.Notify;
import dev.lethe.ledger.domain.LedgerPolicy;
import dev.lethe.ledger.domain.RequestState;
import dev.lethe.ledger.domain.SystemInfo;
import dev.lethe.ledger.domain.WrappedKey;
import dev.lethe.schemas.Topics;
import dev.lethe.schemas.crypto.Aead;
import dev.lethe.schemas.crypto.KeyWrapper;
import dev.lethe.schemas.crypto.Sealing;
import dev.lethe.schemas.serde.CanonicalPartition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin adapter around {@link Ledger}: decode the input, load the request's state, apply the
 * pure fold, store the new state and forward its outputs to the sinks. Input that cannot be
 * decoded or applied goes to the dead-letter sink with the reason; the ledger keeps running.
 *
 * <p>Time-driven work (the end of a grace period, reminders and escalations, deadlines) runs from
 * the {@code due} index: a wall-clock punctuator range-scans it up to now, never the whole
 * ledger, and wakes at most {@link #MAX_WAKES} requests per punctuation.
 *
 * <p>Every record about a request is applied on its request id's canonical partition, where its
 * state lives; one that landed on another partition is re-routed there in the same transaction
 * and applied nothing where it landed ({@link Placement}).
 *
 * <p>A finished and forgotten request is archived and, once this instance's copy of the archive
 * holds it, released from the task stores; an event about it brings it back ({@link ArchiveKeeper}).
 *
 * <p>After each input record it notes the record's offset in {@link AppliedOffsets}, once the
 * store holds its effect (or the record was re-routed or refused), so the gateway can read its
 * own writes.
 */
final class LedgerProcessor extends ContextualProcessor<byte[], byte[], Object, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerProcessor.class);
    static final Duration DUE_SCAN_INTERVAL = Duration.ofSeconds(5);
    /** How often a key rotation's re-wrap pass goes on (only while a previous KEK is configured). */
    static final Duration REWRAP_INTERVAL = Duration.ofSeconds(30);
    static final int MAX_WAKES = 500;
    /** The ids of the data keys dead letters are sealed under (never a request id, which is a UUID). */
    static final String DEAD_LETTER_KEY_PREFIX = "dlq-";
    /** How many requests' latest states each task keeps decoded ({@link RecentStates}). */
    static final int RECENT_STATES = 4_096;
    /**
     * Overdue requests, escalated systems and systems past their own deadline are counted as
     * {@code overdue-total}, {@code escalated-total} and {@code system_overdue-total} in this scope.
     */
    static final String METRICS_SCOPE = "lethe";

    private final InputDecoder decoder;
    private final dev.lethe.schemas.LetheSerdes serdes;
    private final LedgerPolicy policy;
    private final AppliedOffsets applied;
    private final int partitions;
    private final Privacy privacy;
    private final Archiving archiving;
    private final RecentStates recent = new RecentStates(RECENT_STATES);
    private int taskPartition;
    /** Where the re-wrap pass resumes (null: from the start). */
    private String rewrapCursor;
    private int rewrapped;
    private boolean rewrapDoneLogged;
    private KeyValueStore<String, RequestState> ledger;
    private KeyValueStore<String, List<dev.lethe.avro.AuditFact>> audit;
    private KeyValueStore<String, String> dueIndex;
    private SystemDirectory systems;
    private Indexes indexes;
    private ArchiveKeeper archive;
    private Sensor overdueSensor;
    private Sensor escalatedSensor;
    private Sensor systemOverdueSensor;

    /** @param partitions the partition count of the input topics, which places every request */
    LedgerProcessor(dev.lethe.schemas.LetheSerdes serdes, InputDecoder decoder, LedgerPolicy policy,
                    AppliedOffsets applied, int partitions, Privacy privacy, Archiving archiving) {
        this.privacy = privacy;
        this.archiving = archiving;
        this.serdes = serdes;
        this.decoder = decoder;
        this.policy = policy;
        this.applied = applied;
        this.partitions = partitions;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        super.init(context);
        // a re-initialised task may have had its store rolled back
        recent.clear();
        taskPartition = context.taskId().partition();
        applied.forget(taskPartition);
        ledger = context.getStateStore(LedgerNames.LEDGER_STORE);
        audit = context.getStateStore(LedgerNames.AUDIT_STORE);
        dueIndex = context.getStateStore(LedgerNames.DUE_STORE);
        indexes = new Indexes(context.getStateStore(LedgerNames.BY_REQUESTED_STORE),
                context.getStateStore(LedgerNames.BY_FINISHED_STORE),
                context.getStateStore(LedgerNames.OPEN_BY_DEADLINE_STORE),
                context.getStateStore(LedgerNames.STATS_STORE),
                context.getStateStore(LedgerNames.OWED_SINCE_STORE));
        // The task's previous owner may have released requests only its own copy of the archive had seen:
        // this instance's copy catches up with everything committed before this task starts here.
        archiving.view().awaitCaughtUp(Archiving.CATCH_UP_TIMEOUT);
        archive = new ArchiveKeeper(archiving, ledger, audit, dueIndex, recent, indexes, new ArchiveKeeper.Sink() {
            @Override
            public void archive(String requestId, ArchiveView.Archived archived, Instant at) {
                context.forward(new Record<>(requestId, archived, at.toEpochMilli()), LedgerNames.ARCHIVE_SINK);
            }

            @Override
            public void unarchive(String requestId, Instant at) {
                context.forward(new Record<>(requestId, null, at.toEpochMilli()), LedgerNames.ARCHIVE_SINK);
            }

            @Override
            public void subjectEntry(SubjectEntry entry, Instant at) {
                forwardSubjectEntry(entry, at);
            }
        });
        context.schedule(DUE_SCAN_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::wakeDue);
        context.schedule(REWRAP_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::rewrapPass);
        final ReadOnlyKeyValueStore<String, byte[]> registry = context.getStateStore(LedgerNames.SYSTEMS_STORE);
        systems = new SystemDirectory(registry, serdes);
        overdueSensor = context.metrics().addRateTotalSensor(METRICS_SCOPE, LedgerNames.LEDGER_PROCESSOR,
                Notify.OVERDUE.toLowerCase(Locale.ROOT), Sensor.RecordingLevel.INFO);
        escalatedSensor = context.metrics().addRateTotalSensor(METRICS_SCOPE, LedgerNames.LEDGER_PROCESSOR,
                Notify.ESCALATED.toLowerCase(Locale.ROOT), Sensor.RecordingLevel.INFO);
        systemOverdueSensor = context.metrics().addRateTotalSensor(METRICS_SCOPE, LedgerNames.LEDGER_PROCESSOR,
                Notify.SYSTEM_OVERDUE.toLowerCase(Locale.ROOT), Sensor.RecordingLevel.INFO);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        final RecordMetadata source = context().recordMetadata().orElseThrow();
        final LedgerEvent event;
        try {
            event = decoder.decode(source.topic(), record.key(), record.value(), this::plainDataKey);
        } catch (SerializationException | InvalidInputException e) {
            deadLetter(record, source, e.getMessage());
            applied.record(source.topic(), source.partition(), source.offset());
            return;
        }
        // The subject gate writes admissions on their canonical partition itself: one elsewhere is never re-routed.
        final boolean rerouted = record.headers().lastHeader(LedgerNames.REROUTED_FROM_HEADER) != null
                || Topics.ADMISSIONS.equals(source.topic());
        switch (Placement.of(source.partition(), event.requestId(), partitions, rerouted)) {
            case HERE -> apply(event, reason -> deadLetter(record, source, reason));
            case REROUTE -> reroute(record, source, event.requestId());
            case LOOP -> deadLetter(record, source, "re-routed once already (or written by the ledger itself), yet on"
                    + " partition " + source.partition()
                    + ", not on request " + event.requestId() + "'s canonical partition "
                    + CanonicalPartition.of(event.requestId(), partitions) + " of " + partitions);
        }
        applied.record(source.topic(), source.partition(), source.offset());
    }

    /**
     * Puts a record that landed on another partition than its request id's canonical one back on
     * the same topic with the canonical key (UTF-8 text) and its original value bytes, in this
     * transaction; it is applied when it arrives there, never here.
     */
    private void reroute(Record<byte[], byte[]> record, RecordMetadata source, String requestId) {
        final Headers headers = new RecordHeaders(record.headers().toArray());
        headers.add(LedgerNames.REROUTED_FROM_HEADER,
                Integer.toString(source.partition()).getBytes(StandardCharsets.UTF_8));
        LOG.debug("re-routing {}-{}@{} to request {}'s canonical partition", source.topic(), source.partition(),
                source.offset(), requestId);
        context().forward(new Record<Object, Object>(requestId, record.value(), record.timestamp(), headers),
                rerouteSink(source.topic()));
    }

    private static String rerouteSink(String topic) {
        return switch (topic) {
            case Topics.REQUESTS -> LedgerNames.REQUESTS_REROUTE_SINK;
            case Topics.DECISIONS -> LedgerNames.DECISIONS_REROUTE_SINK;
            case Topics.CALLBACKS -> LedgerNames.CALLBACKS_REROUTE_SINK;
            default -> throw new IllegalStateException("the ledger does not read topic " + topic);
        };
    }

    /**
     * Wakes the requests whose due time has passed: one range scan of the due index up to now,
     * at most {@link #MAX_WAKES} entries per punctuation so one commit never grows unbounded.
     */
    private void wakeDue(long wallClockMs) {
        final List<KeyValue<String, String>> due = new ArrayList<>();
        try (KeyValueIterator<String, String> it = dueIndex.range(DueKeys.first(),
                DueKeys.through(Instant.ofEpochMilli(wallClockMs)))) {
            while (it.hasNext() && due.size() < MAX_WAKES) {
                due.add(it.next());
            }
        }
        for (KeyValue<String, String> entry : due) {
            dueIndex.delete(entry.key);
            if (ArchiveKeeper.isRelease(entry.value)) {
                archive.release(entry.value, Instant.ofEpochMilli(wallClockMs));
                continue;
            }
            if (entry.value.startsWith(DEAD_LETTER_KEY_PREFIX)) {
                destroyKey(entry.value, Instant.ofEpochMilli(wallClockMs));
                continue;
            }
            apply(new LedgerEvent.Woken(entry.value),
                    reason -> LOG.warn("waking request {} was refused: {}", entry.value, reason));
        }
    }

    private void apply(LedgerEvent event, Consumer<String> refuse) {
        final Instant now = Instant.ofEpochMilli(context().currentSystemTimeMs());
        final RequestState stored = stored(event.requestId());
        final Ledger.Transition transition = Ledger.apply(stored, event,
                new LedgerContext(now, this::registeredSystems, policy));
        final Map<LedgerOutput, dev.lethe.avro.AuditFact> chained = new IdentityHashMap<>();
        final Map<String, List<dev.lethe.avro.AuditFact>> trailPieces = new LinkedHashMap<>(2);
        String head = stored == null ? null : stored.auditHead();
        for (LedgerOutput output : transition.outputs()) {
            if (output instanceof LedgerOutput.Audit fact) {
                final dev.lethe.avro.AuditFact linked = AuditChain.link(AvroMapping.audit(fact), head);
                chained.put(output, linked);
                trailPieces.computeIfAbsent(fact.requestId(), id -> new ArrayList<>()).add(linked);
                head = linked.getHash();
            }
        }
        // one store write (one changelog record) for all the facts this event audited, under the first one's key
        trailPieces.forEach((requestId, piece) -> audit.put(AuditKeys.of(requestId, piece.get(0).getSeq()), piece));
        final RequestState next = keyed(stored, transition.state().withAuditHead(head), now);
        // Only a changed state is written: a replayed or refused event costs no store write and no changelog record.
        if ((stored != null || next.received() || !next.earlyCallbacks().isEmpty()) && !next.equals(stored)) {
            archive.restore(event.requestId(), now);
            ledger.put(event.requestId(), next);
            recent.put(event.requestId(), next);
            indexes.update(stored, next, entry -> forwardSubjectEntry(entry, now));
            archive.archiveIfDone(next, now);
        }
        final DataKey key = new DataKey(next);
        transition.outputs().forEach(output -> forward(output, chained.get(output), refuse, now, key));
    }

    /** A request's entry on {@code erasure.subject-index}, keyed by its subject key. */
    private void forwardSubjectEntry(SubjectEntry entry, Instant at) {
        context().forward(new Record<>(entry.getSubjectKey(), entry, at.toEpochMilli()),
                LedgerNames.SUBJECT_INDEX_SINK);
    }

    /**
     * Crypto-shredding (issue 12), around the pure fold: a state that holds identifiers and has no
     * data key yet gets one (issued on {@code erasure.keys}); a request that just finished is
     * woken again {@code LETHE_FORGET_AFTER} later, and once that time has passed its data key
     * is destroyed (tombstoned on {@code erasure.keys} and dropped from the state, with the intake
     * fingerprint), after which no sealed copy of its identifiers can be opened.
     */
    private RequestState keyed(RequestState stored, RequestState next, Instant now) {
        if (next.holdsIdentifiers() && next.dataKey() == null) {
            final KeyWrapper.Wrapped wrapped = issueKey(next.requestId(), now).wrapped();
            return next.withDataKey(new WrappedKey(wrapped.kekId(), wrapped.bytes()));
        }
        if (next.dataKey() != null && !next.dataKey().kekId().equals(privacy.sealing().wrapper().currentKekId())) {
            return keyed(stored, rewrapped(next, now), now);
        }
        if (next.dataKey() == null || !next.received() || !next.status().finished() || next.finishedAt() == null) {
            return next;
        }
        final Instant forgetAt = next.finishedAt().plus(privacy.forgetAfter());
        if (now.isBefore(forgetAt)) {
            if (stored == null || !stored.received() || !stored.status().finished()) {
                dueIndex.put(DueKeys.of(forgetAt, next.requestId()), next.requestId());
            }
            return next;
        }
        destroyKey(next.requestId(), now);
        LOG.debug("destroyed the data key of request {}", next.requestId());
        return next.forgotten();
    }

    /** The data key of a request stored here, in the clear (null: not here, or no key); opens sealed callback text. */
    private byte[] plainDataKey(String requestId) {
        final RequestState state = stored(requestId);
        final WrappedKey key = state == null ? null : state.dataKey();
        return key == null ? null : privacy.sealing().unwrap(new KeyWrapper.Wrapped(key.kekId(), key.wrapped()));
    }

    /**
     * The request's stored state: from {@link RecentStates} when this task touched it lately, else
     * the store, else the archive (a finished request released from the task stores, handled as if
     * it were still there: {@link ArchiveKeeper}).
     */
    private RequestState stored(String requestId) {
        final RequestState recentState = recent.get(requestId);
        if (recentState != null) {
            return recentState;
        }
        final RequestState stored = ledger.get(requestId);
        if (stored != null) {
            recent.put(requestId, stored);
            return stored;
        }
        return archive.rehydrate(requestId);
    }

    @Override
    public void close() {
        recent.clear();
        applied.forget(taskPartition);
    }

    private List<SystemInfo> registeredSystems() {
        return systems.all().stream().map(AvroMapping::system).toList();
    }

    /** Forwards one output; {@code chainedFact} is an audit output's fact, already linked into the hash chain. */
    private void forward(LedgerOutput output, dev.lethe.avro.AuditFact chainedFact, Consumer<String> refuse,
                         Instant now, DataKey key) {
        final long timestamp = now.toEpochMilli();
        if (output instanceof LedgerOutput.Dispatch dispatch) {
            context().forward(new Record<>(dispatch.subjectKey(), sealed(AvroMapping.event(dispatch), key),
                    timestamp), LedgerNames.EVENTS_SINK);
        } else if (output instanceof LedgerOutput.Audit fact) {
            context().forward(new Record<>(fact.requestId(), chainedFact, timestamp), LedgerNames.AUDIT_SINK);
        } else if (output instanceof LedgerOutput.Finished finished) {
            context().forward(new Record<>(finished.subjectKey(), AvroMapping.record(finished), timestamp),
                    LedgerNames.DATASET_SINK);
        } else if (output instanceof LedgerOutput.Wake wake) {
            dueIndex.put(DueKeys.of(wake.at(), wake.requestId()), wake.requestId());
        } else if (output instanceof LedgerOutput.Notify notify) {
            if (Notify.OVERDUE.equals(notify.type())) {
                overdueSensor.record();
            } else if (Notify.ESCALATED.equals(notify.type())) {
                escalatedSensor.record();
            } else if (Notify.SYSTEM_OVERDUE.equals(notify.type())) {
                systemOverdueSensor.record();
            }
            context().forward(new Record<>(notify.requestId(), AvroMapping.notification(notify), timestamp),
                    LedgerNames.NOTIFICATIONS_SINK);
        } else if (output instanceof LedgerOutput.Refused refused) {
            refuse.accept(refused.reason());
        } else if (output instanceof LedgerOutput.Judged judged) {
            context().forward(new Record<>(judged.requestId(), AvroMapping.admission(judged, now), timestamp),
                    LedgerNames.VERDICTS_SINK);
        } else {
            throw new IllegalStateException("the ledger does not know how to forward " + output);
        }
    }

    /**
     * The event with its identifier values sealed under the request's data key. An event for a
     * finished request (replayed, covered) names its subject by the subject key, a pseudonym, and
     * carries no identifier: it goes as it is, so a partner matches it without opening anything,
     * and whether or not the data key is destroyed yet.
     */
    private dev.lethe.avro.ErasureEvent sealed(dev.lethe.avro.ErasureEvent event, DataKey key) {
        final RequestState state = key.state;
        if (Identifier.SUBJECT_KEY.equals(event.getSubject().getNamespace())
                && event.getIdentifiers().isEmpty() && event.getObjects().isEmpty()) {
            return event;
        }
        if (state.dataKey() == null || !state.requestId().equals(event.getRequestId())) {
            throw new IllegalStateException("request " + event.getRequestId() + " dispatches without its data key");
        }
        return Sealing.sealEvent(event, key.plain());
    }

    /**
     * The data key of the state one event left, unwrapped at most once for all the erasure events
     * that event dispatches (it was unwrapped once per system), and forgotten with the event.
     */
    private final class DataKey {

        private final RequestState state;
        private byte[] plain;

        DataKey(RequestState state) {
            this.state = state;
        }

        byte[] plain() {
            if (plain == null) {
                final WrappedKey wrapped = state.dataKey();
                plain = privacy.sealing().unwrap(new KeyWrapper.Wrapped(wrapped.kekId(), wrapped.wrapped()));
            }
            return plain;
        }
    }

    /**
     * Refused input goes to the DLQ sealed (issue 12): its key and value bytes may hold raw
     * identifiers (a third party's plaintext request, a partner's text), so they are sealed under
     * a data key of their own, issued on {@code erasure.keys} under {@code dlq-<uuid>} and
     * destroyed {@code LETHE_FORGET_AFTER} later through the due index.
     */
    private void deadLetter(Record<byte[], byte[]> record, RecordMetadata source, String reason) {
        LOG.warn("refused {}-{}@{}: {}", source.topic(), source.partition(), source.offset(), reason);
        final Instant now = Instant.ofEpochMilli(context().currentSystemTimeMs());
        final String keyId = DEAD_LETTER_KEY_PREFIX + UUID.randomUUID();
        final Sealing.DataKey key = issueKey(keyId, now);
        dueIndex.put(DueKeys.of(now.plus(privacy.forgetAfter()), keyId), keyId);
        final DeadLetter letter = DeadLetter.newBuilder()
                .setSourceTopic(source.topic()).setPartition(source.partition()).setOffset(source.offset())
                .setReason(reason)
                .setKey(record.key() == null ? null
                        : ByteBuffer.wrap(Aead.seal(key.plain(), keyId + ":key", record.key())))
                .setValue(record.value() == null ? null
                        : ByteBuffer.wrap(Aead.seal(key.plain(), keyId + ":value", record.value())))
                .setAt(now)
                .setSealedUnder(keyId)
                .build();
        context().forward(new Record<>(keyId.getBytes(StandardCharsets.UTF_8), letter, record.timestamp()),
                LedgerNames.DLQ_SINK);
    }

    /**
     * Key rotation (issue 12, point 6): {@code state} with its data key re-wrapped under the current
     * KEK, re-issued on {@code erasure.keys} (the data key itself is unchanged, so every sealed copy
     * still opens).
     */
    private RequestState rewrapped(RequestState state, Instant now) {
        final WrappedKey old = state.dataKey();
        final KeyWrapper.Wrapped wrapped = privacy.sealing().rewrap(new KeyWrapper.Wrapped(old.kekId(), old.wrapped()));
        context().forward(new Record<Object, Object>(state.requestId(), dev.lethe.avro.DataKey.newBuilder()
                .setRequestId(state.requestId()).setKekId(wrapped.kekId())
                .setWrapped(ByteBuffer.wrap(wrapped.bytes())).setIssuedAt(now).build(), now.toEpochMilli()),
                LedgerNames.KEYS_SINK);
        return state.withDataKey(new WrappedKey(wrapped.kekId(), wrapped.bytes()));
    }

    /**
     * While a rotation is under way (a previous KEK is configured), re-wraps up to
     * {@link #MAX_WAKES} stored data keys still under a previous KEK per punctuation, resuming
     * where the last one stopped; a full pass that finds none says so once in the log, the sign
     * that this task no longer needs the previous KEK.
     */
    private void rewrapPass(long wallClockMs) {
        if (!privacy.sealing().wrapper().rotating()) {
            return;
        }
        final String current = privacy.sealing().wrapper().currentKekId();
        final Instant now = Instant.ofEpochMilli(wallClockMs);
        final List<RequestState> stale = new ArrayList<>();
        boolean exhausted = true;
        try (KeyValueIterator<String, RequestState> it = rewrapCursor == null ? ledger.all()
                : ledger.range(rewrapCursor, null)) {
            while (it.hasNext()) {
                final KeyValue<String, RequestState> entry = it.next();
                if (stale.size() >= MAX_WAKES) {
                    rewrapCursor = entry.key;
                    exhausted = false;
                    break;
                }
                if (entry.value.dataKey() != null && !entry.value.dataKey().kekId().equals(current)) {
                    stale.add(entry.value);
                }
            }
        }
        for (RequestState state : stale) {
            final RequestState next = rewrapped(state, now);
            ledger.put(state.requestId(), next);
            recent.put(state.requestId(), next);
        }
        rewrapped += stale.size();
        if (exhausted) {
            rewrapCursor = null;
            if (rewrapped == 0 && !rewrapDoneLogged) {
                LOG.info("task {}: no data key under a previous key-encryption key remains", taskPartition);
                rewrapDoneLogged = true;
            } else if (rewrapped > 0) {
                LOG.info("task {}: re-wrapped {} data keys under key-encryption key {}", taskPartition, rewrapped,
                        current);
            }
            rewrapped = 0;
        }
    }

    /** A new data key, issued (wrapped) on {@code erasure.keys} under {@code keyId}. */
    private Sealing.DataKey issueKey(String keyId, Instant now) {
        final Sealing.DataKey key = privacy.sealing().newDataKey();
        final KeyWrapper.Wrapped wrapped = key.wrapped();
        context().forward(new Record<Object, Object>(keyId, dev.lethe.avro.DataKey.newBuilder()
                .setRequestId(keyId).setKekId(wrapped.kekId())
                .setWrapped(ByteBuffer.wrap(wrapped.bytes())).setIssuedAt(now).build(), now.toEpochMilli()),
                LedgerNames.KEYS_SINK);
        return key;
    }

    /** Destroys the data key {@code keyId} on {@code erasure.keys} (a tombstone). */
    private void destroyKey(String keyId, Instant now) {
        context().forward(new Record<Object, Object>(keyId, null, now.toEpochMilli()), LedgerNames.KEYS_SINK);
    }
}
