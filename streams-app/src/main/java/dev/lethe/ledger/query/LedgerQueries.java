package dev.lethe.ledger.query;

import dev.lethe.avro.AuditFact;
import dev.lethe.avro.SubjectEntry;
import dev.lethe.avro.SystemRegistration;
import dev.lethe.ledger.archive.ArchiveView;
import dev.lethe.ledger.domain.RequestState;
import dev.lethe.ledger.topology.AppliedOffsets;
import dev.lethe.ledger.topology.AuditKeys;
import dev.lethe.ledger.topology.LedgerNames;
import dev.lethe.ledger.topology.SystemDirectory;
import dev.lethe.schemas.LetheSerdes;
import dev.lethe.schemas.SubjectKeys;
import dev.lethe.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntFunction;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.LagInfo;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Interactive queries over this instance's ledger stores. A key owned by another instance is
 * reported as {@link Lookup.Elsewhere} (the HTTP layer forwards it); while the store is
 * migrating, or a request may be written but not yet applied, the answer is
 * {@link Lookup.Unavailable}, never a wrong "not found".
 *
 * <p><b>Archived requests.</b> A request finished and forgotten is moved out of the task stores
 * into the ledger's archive, of which every instance keeps a whole copy ({@link ArchiveView}).
 * When the owner's task store does not hold a request (its state, for a view, a list entry, an
 * audit trail or a certificate), the archive is asked, and a request found there is answered as
 * it was while it was in the task store: the archived state, and its whole trail with it. The task
 * store wins whenever it holds the request: a request brought back from the archive and changed
 * lives there again, with its whole trail. Only the key's owner, or a standby copy of its partition
 * ({@link #findStandby}), asks the archive; an instance without a copy of the partition does not
 * (it could not tell an archived request from one brought back and changed since).
 */
public final class LedgerQueries {

    private static final Duration POLL = Duration.ofMillis(5);

    private final KafkaStreams streams;
    private final LetheSerdes serdes;
    private final HostInfo self;
    private final int partitions;
    private final AppliedOffsets applied;
    private final Arrivals arrivals;
    private final SubjectKeys subjectKeys;
    private final LocalScans scans;
    private final ArchiveView archive;
    /** How far (changelog records) a standby copy may lag for the archive to answer what it does not hold. */
    public static final long STANDBY_ARCHIVE_MAX_LAG = 1_000;
    private final Serializer<String> keySerializer;
    private final Serializer<String> subjectKeySerializer;

    /**
     * @param partitions the partition count of the input topics (every one must have an owner)
     * @param pending    tells a true "not found" from "not applied yet"
     * @param applied    what this instance's ledger processor has applied (read-your-writes)
     * @param archive    this instance's copy of the ledger's archive (finished requests moved out of the task
     *                   stores), asked for a request the task store does not hold
     */
    public LedgerQueries(KafkaStreams streams, LetheSerdes serdes, HostInfo self, int partitions,
                         AppliedCheck pending, AppliedOffsets applied, SubjectKeys subjectKeys, ArchiveView archive) {
        this.streams = streams;
        this.serdes = serdes;
        this.self = self;
        this.partitions = partitions;
        this.applied = applied;
        this.arrivals = new Arrivals(pending, partition -> applied.last(Topics.REQUESTS, partition), Arrivals.WAIT);
        this.subjectKeys = subjectKeys;
        this.archive = archive;
        this.scans = new LocalScans(streams, archive);
        // The owner of a key is found with the bytes the input topics are partitioned by: the id as UTF-8
        // text (the canonical key), so the partition matches where the ledger keeps the request.
        this.keySerializer = (topic, key) -> serdes.key().serialize(Topics.REQUESTS, key);
        this.subjectKeySerializer = (topic, key) -> serdes.key().serialize(Topics.SUBJECT_INDEX, key);
    }

    public HostInfo self() {
        return self;
    }

    public boolean running() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** A record the caller wrote and wants to see applied before it reads. */
    public record Written(String topic, int partition, long offset) {
    }

    /**
     * Looks {@code requestId} up. With {@code wait}, a request not (yet) in the store, or one whose
     * {@code written} record this instance has not yet applied, is looked for again until it is or
     * the wait is over: the gateway's read-your-writes. (An instance that took the partition over
     * after the record was applied elsewhere answers when the wait is over, with the restored state.)
     * A request the store does not hold is looked for as {@link Arrivals} says: the gateway answers
     * 202 once the request is durable, so a GET after it waits (bounded) until the ledger has applied
     * what was written before it, and never answers "not found" for an accepted id.
     *
     * <p>Reads go through the classic store handles, never IQv2: in Kafka Streams 4.3.1 an IQv2
     * query holds the store's position lock while it waits for the store lock, and a concurrent
     * put takes them the other way round (KAFKA-19629, a deadlock seen here under load).
     */
    public Lookup<RequestState> find(String requestId, Written written, Duration wait) {
        return owned(requestId, partition -> {
            final Instant deadline = Instant.now().plus(wait);
            while (true) {
                final boolean behind = written != null
                        && !applied.reached(written.topic(), written.partition(), written.offset());
                final Lookup<Held> answer = readLocal(requestId, partition);
                if (behind && !Instant.now().isAfter(deadline)) {
                    pause();
                    continue;
                }
                if (!(answer instanceof Lookup.NotFound<Held>)) {
                    return stateOf(answer);
                }
                if (!Instant.now().isBefore(deadline)) {
                    return stateOf(arrived(requestId, partition));
                }
                pause();
            }
        });
    }

    /**
     * The request from the task store, or the archive; one in neither is waited for as {@link Arrivals}
     * says (the same bounded wait as before there was an archive, then "not found").
     */
    private Lookup<Held> arrived(String requestId, int partition) {
        final Lookup<Held> answer = readLocal(requestId, partition);
        if (!(answer instanceof Lookup.NotFound<Held>)) {
            return answer;
        }
        return arrivals.await(partition, keySerializer.serialize(Topics.REQUESTS, requestId),
                () -> readLocal(requestId, partition));
    }

    /**
     * A request this instance answers for: {@code state} from its task store ({@code archived} null),
     * or the archive's record of it when the task store does not hold it.
     */
    private record Held(RequestState state, ArchiveView.Archived archived) {
    }

    /** The request as the task store holds it; when the store does not hold it, as the archive does. */
    private Lookup<Held> readLocal(String requestId, int partition) {
        final Lookup<RequestState> stored = queryLocal(requestId, partition);
        if (stored instanceof Lookup.Found<RequestState> found) {
            return new Lookup.Found<>(new Held(found.value(), null));
        }
        if (!(stored instanceof Lookup.NotFound<RequestState>)) {
            // not queryable now: the store may hold the request brought back and changed, so no archive answer
            return retype(stored);
        }
        final ArchiveView.Archived archived = archive.get(requestId);
        return archived == null ? retype(stored) : new Lookup.Found<>(new Held(archived.state(), archived));
    }

    private static Lookup<RequestState> stateOf(Lookup<Held> held) {
        return held instanceof Lookup.Found<Held> found ? new Lookup.Found<>(found.value().state()) : retype(held);
    }

    /**
     * The request as this instance's copy of its partition holds it when the key's active owner
     * cannot answer (dead, unreachable, restoring): a standby replica kept here. Such a copy is the owner's store as of its last commit that reached this
     * instance, so it may lag the owner by a commit or two: a request found there is a state the
     * ledger really had (statuses only move forward), but a request it does not hold may simply not
     * have arrived yet, so that is {@link Lookup.Unavailable}, never "not found". Without a copy
     * here, unavailable too; and when the copy here is this instance's own active task (restoring
     * after a restart, replaying its changelog from the start), unavailable as well.
     *
     * <p>A request the copy does not hold is looked up in this instance's archive. An archived
     * request is final: it changes only once the owner brings it back into its task store (a late
     * callback, an officer's action), and that put reaches this copy a commit or two later, after
     * which the copy's version wins. So the archive's answer lags the owner by no more than the copy
     * itself does, and it is marked stale like any answer from a copy. Without a copy of the partition
     * here the archive is not asked: nothing here would show that the owner brought the request back
     * and changed it (reopened by a retry, it is archived again only once finished again).
     */
    public Lookup<RequestState> findStandby(String requestId) {
        final int partition = partitionOf(requestId);
        if (ownedHere(requestId)) {
            // this instance's copy is the active task itself, restoring: it replays the changelog from
            // its start and may hold a far older state than the ledger has; a standby elsewhere is asked
            return new Lookup.Unavailable<>("this instance owns the key and is still restoring it");
        }
        final RequestState stored;
        try {
            stored = streams.store(StoreQueryParameters.fromNameAndType(LedgerNames.LEDGER_STORE,
                    QueryableStoreTypes.<String, RequestState>keyValueStore())
                    .withPartition(partition).enableStaleStores()).get(requestId);
        } catch (InvalidStateStoreException e) {
            return new Lookup.Unavailable<>("the owner of this key cannot answer and no copy of it is here");
        }
        if (stored == null || !stored.received()) {
            final ArchiveView.Archived archived = copyCloseBehind(partition) ? archive.get(requestId) : null;
            if (archived != null) {
                return new Lookup.Found<>(archived.state());
            }
            return new Lookup.Unavailable<>("the owner of this key cannot answer and the copy here does not hold "
                    + "the request (it may lag the owner)");
        }
        return new Lookup.Found<>(stored);
    }

    /**
     * Whether this instance's standby copy of {@code partition} of the ledger store is within
     * {@link #STANDBY_ARCHIVE_MAX_LAG} records of its changelog's end. Only such a copy lets the archive
     * answer for a request it does not hold: a copy far behind (restoring from scratch) may miss a request
     * the owner brought back from the archive and reopened long ago, and the archive would then answer its
     * older, finished version.
     */
    private boolean copyCloseBehind(int partition) {
        final Map<Integer, LagInfo> lags;
        try {
            lags = streams.allLocalStorePartitionLags().get(LedgerNames.LEDGER_STORE);
        } catch (StreamsException e) {
            return false;
        }
        final LagInfo lag = lags == null ? null : lags.get(partition);
        return lag != null && lag.offsetLag() <= STANDBY_ARCHIVE_MAX_LAG;
    }

    /** Whether this instance is the active owner of {@code requestId}'s partition (false when unknown). */
    private boolean ownedHere(String requestId) {
        try {
            final KeyQueryMetadata metadata = streams.queryMetadataForKey(LedgerNames.LEDGER_STORE, requestId,
                    keySerializer);
            return metadata != null && self.equals(metadata.activeHost());
        } catch (StreamsException e) {
            return false;
        }
    }

    /** The other instances that keep a standby copy of {@code requestId}'s partition (none while rebalancing). */
    public List<HostInfo> standbysOf(String requestId) {
        final KeyQueryMetadata metadata;
        try {
            metadata = streams.queryMetadataForKey(LedgerNames.LEDGER_STORE, requestId, keySerializer);
        } catch (StreamsException e) {
            return List.of();
        }
        if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)) {
            return List.of();
        }
        return metadata.standbyHosts().stream().filter(host -> !self.equals(host)).toList();
    }

    /** The partition of {@code erasure.requests} (and of the ledger store) that holds {@code requestId}. */
    private int partitionOf(String requestId) {
        final byte[] key = keySerializer.serialize(Topics.REQUESTS, requestId);
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }

    /** The audit trail of {@code requestId} (once applied: see {@link #find}), oldest first. */
    public Lookup<List<AuditFact>> audit(String requestId) {
        return owned(requestId, partition -> {
            final Lookup<Held> request = arrived(requestId, partition);
            if (!(request instanceof Lookup.Found<Held> found)) {
                return retype(request);
            }
            return new Lookup.Found<>(evidenceOf(requestId, partition, found.value()).trail());
        });
    }

    /** Runs {@code local} on the partition of {@code requestId} if this instance owns it. */
    private <T> Lookup<T> owned(String requestId, IntFunction<Lookup<T>> local) {
        final KeyQueryMetadata metadata;
        try {
            metadata = streams.queryMetadataForKey(LedgerNames.LEDGER_STORE, requestId, keySerializer);
        } catch (StreamsException e) {
            return new Lookup.Unavailable<>("the ledger is not running: " + e.getMessage());
        }
        if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)) {
            return new Lookup.Unavailable<>("the ledger is rebalancing");
        }
        if (!self.equals(metadata.activeHost())) {
            return new Lookup.Elsewhere<>(metadata.activeHost());
        }
        return local.apply(metadata.partition());
    }

    private Lookup<RequestState> queryLocal(String requestId, int partition) {
        final RequestState stored;
        try {
            stored = scans.<String, RequestState>store(LedgerNames.LEDGER_STORE, partition).get(requestId);
        } catch (InvalidStateStoreException e) {
            return new Lookup.Unavailable<>("the ledger store is not queryable here now: " + e.getMessage());
        }
        if (stored == null || !stored.received()) {
            return new Lookup.NotFound<>();
        }
        return new Lookup.Found<>(stored);
    }

    private List<AuditFact> auditLocal(String requestId, int partition) {
        final List<AuditFact> facts = new ArrayList<>();
        // each entry holds the facts one event added, under the first one's sequence number
        try (KeyValueIterator<String, List<AuditFact>> it = scans.<String, List<AuditFact>>store(
                LedgerNames.AUDIT_STORE, partition).range(AuditKeys.first(requestId), AuditKeys.last(requestId))) {
            it.forEachRemaining(entry -> facts.addAll(entry.value));
        }
        return facts;
    }

    /** A finished request with its whole audit trail: what a certificate is made from. */
    public record Evidence(RequestState state, List<AuditFact> trail) {
    }

    /** The request and its audit trail, for a certificate. */
    public Lookup<Evidence> evidence(String requestId) {
        return owned(requestId, partition -> {
            final Lookup<Held> request = arrived(requestId, partition);
            if (!(request instanceof Lookup.Found<Held> found)) {
                return retype(request);
            }
            return new Lookup.Found<>(evidenceOf(requestId, partition, found.value()));
        });
    }

    /**
     * {@code held}'s state with its whole trail, read together: the archive's record of it, or the
     * state from the task store with the trail from the task store. A store trail found empty means
     * the release moved the request to the archive between the two reads; the archive's record
     * (state and trail, one value) is answered then.
     */
    private Evidence evidenceOf(String requestId, int partition, Held held) {
        if (held.archived() != null) {
            return new Evidence(held.archived().state(), held.archived().trail());
        }
        final List<AuditFact> trail = auditLocal(requestId, partition);
        if (trail.isEmpty()) {
            final ArchiveView.Archived archived = archive.get(requestId);
            if (archived != null) {
                return new Evidence(archived.state(), archived.trail());
            }
        }
        return new Evidence(held.state(), trail);
    }

    /**
     * Which instance owns which partitions of the input topics, if every partition has exactly one
     * active owner; otherwise (rebalancing) unavailable. Lists and counts fan out along it.
     */
    public Lookup<Map<HostInfo, Set<Integer>>> owners() {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return new Lookup.Unavailable<>("the ledger is " + streams.state());
        }
        final Map<HostInfo, Set<Integer>> owners = new HashMap<>();
        final Set<Integer> covered = new HashSet<>();
        for (StreamsMetadata metadata : streams.metadataForAllStreamsClients()) {
            for (TopicPartition tp : metadata.topicPartitions()) {
                if (!tp.topic().equals(Topics.REQUESTS)) {
                    continue;
                }
                if (!covered.add(tp.partition())) {
                    return new Lookup.Unavailable<>("partition " + tp.partition() + " has two owners (rebalancing)");
                }
                owners.computeIfAbsent(metadata.hostInfo(), host -> new TreeSet<>()).add(tp.partition());
            }
        }
        if (covered.size() != partitions) {
            return new Lookup.Unavailable<>("only " + covered.size() + " of " + partitions
                    + " partitions have an owner (rebalancing)");
        }
        return new Lookup.Found<>(owners);
    }

    /** One page of a list over this instance's {@code partitions}. Throws if it no longer owns one. */
    public ListPage localList(ListQuery query, Set<Integer> partitions, Instant now) {
        return scans.list(query, partitions, now);
    }

    /**
     * One page of a list over this instance's copy of the ledger's archive (the requests released
     * from every partition's task stores). Throws InvalidStateStoreException while the copy cannot be read.
     */
    public ListPage archiveList(ListQuery query, Instant now) {
        return scans.archivePart(query, now);
    }

    /** The running counts over this instance's {@code partitions}. Throws if it no longer owns one. */
    public Map<String, Long> localStats(Set<Integer> partitions, Instant now) {
        return scans.stats(partitions, now);
    }

    /** Per system, its oldest open obligation over this instance's {@code partitions}. Throws if it no longer owns one. */
    public Map<String, OldestObligation> localOldestOwed(Set<Integer> partitions) {
        return scans.oldestOwed(partitions);
    }

    /** A subject's pseudonym and its requests (found on the instance owning that subject key). */
    public record Subject(String subjectKey, Lookup<List<SubjectEntry>> entries) {
    }

    public Subject subject(String namespace, String value) {
        final String subjectKey = subjectKeys.of(namespace, value);
        final KeyQueryMetadata metadata;
        try {
            metadata = streams.queryMetadataForKey(LedgerNames.SUBJECTS_STORE, subjectKey, subjectKeySerializer);
        } catch (StreamsException e) {
            return new Subject(subjectKey, new Lookup.Unavailable<>("the ledger is not running: " + e.getMessage()));
        }
        if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)) {
            return new Subject(subjectKey, new Lookup.Unavailable<>("the ledger is rebalancing"));
        }
        if (!self.equals(metadata.activeHost())) {
            return new Subject(subjectKey, new Lookup.Elsewhere<>(metadata.activeHost()));
        }
        return new Subject(subjectKey, new Lookup.Found<>(scans.subject(subjectKey, metadata.partition())));
    }

    @SuppressWarnings("unchecked")
    private static <T> Lookup<T> retype(Lookup<?> answer) {
        return (Lookup<T>) answer;
    }

    /** Every registered system (the global store is complete on every instance). */
    public List<SystemRegistration> systems() {
        final ReadOnlyKeyValueStore<String, byte[]> store = streams.store(StoreQueryParameters
                .fromNameAndType(LedgerNames.SYSTEMS_STORE, QueryableStoreTypes.<String, byte[]>keyValueStore()));
        return new SystemDirectory(store, serdes).all();
    }

    private static void pause() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the ledger", e);
        }
    }
}
