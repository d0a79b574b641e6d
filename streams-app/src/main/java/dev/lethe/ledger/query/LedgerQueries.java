package dev.lethe.ledger.query;

import dev.lethe.avro.AuditFact;
import dev.lethe.avro.SystemRegistration;
import dev.lethe.ledger.domain.RequestState;
import dev.lethe.ledger.topology.AuditKeys;
import dev.lethe.ledger.topology.AvroMapping;
import dev.lethe.ledger.topology.LedgerNames;
import dev.lethe.ledger.topology.SystemDirectory;
import dev.lethe.schemas.LetheSerdes;
import dev.lethe.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Interactive queries over this instance's ledger store. A key owned by another instance is
 * reported as {@link Lookup.Elsewhere} (the HTTP layer forwards it); while the store is
 * migrating or has not yet applied the position asked for, the answer is
 * {@link Lookup.Unavailable}, never a wrong "not found".
 */
public final class LedgerQueries {

    private static final Duration POLL = Duration.ofMillis(5);

    private final KafkaStreams streams;
    private final LetheSerdes serdes;
    private final HostInfo self;
    private final Serializer<String> keySerializer;

    public LedgerQueries(KafkaStreams streams, LetheSerdes serdes, HostInfo self) {
        this.streams = streams;
        this.serdes = serdes;
        this.self = self;
        // Serialise keys exactly as producers to erasure.requests do, so the partition matches.
        this.keySerializer = (topic, key) -> serdes.key().serialize(Topics.REQUESTS, key);
    }

    public boolean running() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /**
     * Looks {@code requestId} up. With a {@code bound} (topic, partition, offset just written), it
     * first waits up to {@code wait} until the ledger has applied that record.
     */
    public Lookup<RequestState> find(String requestId, Position bound, Duration wait) {
        return owned(requestId, partition -> {
            final Instant deadline = Instant.now().plus(wait);
            while (true) {
                final Lookup<RequestState> answer = queryLocal(requestId, partition, bound);
                final boolean behind = answer instanceof Lookup.Unavailable<RequestState> unavailable
                        && unavailable.reason().startsWith(FailureReason.NOT_UP_TO_BOUND.name());
                if (!behind || Instant.now().isAfter(deadline)) {
                    return answer;
                }
                pause();
            }
        });
    }

    /**
     * Null when the local active copy of {@code partition} has applied {@code bound}; otherwise
     * why not ({@code NOT_UP_TO_BOUND: ...} while it is behind).
     */
    private Lookup<RequestState> behind(int partition, Position bound) {
        final QueryResult<Void> result;
        try {
            result = streams.query(StateQueryRequest.inStore(LedgerNames.LEDGER_STORE).withQuery(new PositionProbe())
                    .withPartitions(Set.of(partition)).requireActive()).getPartitionResults().get(partition);
        } catch (StreamsException e) {
            return new Lookup.Unavailable<>("the ledger store is not queryable: " + e.getMessage());
        }
        if (result == null) {
            return new Lookup.Unavailable<>("partition " + partition + " is not available here");
        }
        final Position applied = result.getPosition();
        if (applied == null) {
            return new Lookup.Unavailable<>(result.isFailure()
                    ? result.getFailureReason().name() + ": " + result.getFailureMessage()
                    : "the ledger store reported no position");
        }
        for (String topic : bound.getTopics()) {
            final Map<Integer, Long> at = applied.getPartitionPositions(topic);
            for (Map.Entry<Integer, Long> wanted : bound.getPartitionPositions(topic).entrySet()) {
                if (at.getOrDefault(wanted.getKey(), -1L) < wanted.getValue()) {
                    return new Lookup.Unavailable<>(FailureReason.NOT_UP_TO_BOUND.name() + ": " + topic + "-"
                            + wanted.getKey() + " applied up to " + at.get(wanted.getKey()));
                }
            }
        }
        return null;
    }

    /** A query no store handles: it is answered with the store's position without touching the store. */
    private static final class PositionProbe implements Query<Void> {
    }

    /** The audit trail of {@code requestId}, oldest first. */
    public Lookup<List<AuditFact>> audit(String requestId) {
        return owned(requestId, partition -> {
            final Lookup<RequestState> request = queryLocal(requestId, partition, null);
            if (!(request instanceof Lookup.Found<RequestState>)) {
                return retype(request);
            }
            return auditLocal(requestId, partition);
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

    /**
     * Reads {@code requestId} from the local active store, after checking (when {@code bound} is
     * given) that the store has applied that position.
     *
     * <p>Kafka Streams 4.3.1 deadlocks when an IQv2 key query runs while the stream thread writes
     * the same store (KAFKA-19629: the query holds the store's position lock and waits for the
     * store lock, {@code put} holds the store lock and waits for the position lock). So the
     * position is read with a query no store implements ({@link PositionProbe}: answered under
     * the position lock only), and the value with an IQv1 {@code get} (store lock only).
     */
    private Lookup<RequestState> queryLocal(String requestId, int partition, Position bound) {
        if (bound != null) {
            final Lookup<RequestState> behind = behind(partition, bound);
            if (behind != null) {
                return behind;
            }
        }
        final dev.lethe.avro.RequestState stored;
        try {
            stored = streams.store(StoreQueryParameters.fromNameAndType(LedgerNames.LEDGER_STORE,
                            QueryableStoreTypes.<String, dev.lethe.avro.RequestState>keyValueStore())
                    .withPartition(partition)).get(requestId);
        } catch (StreamsException e) {
            return new Lookup.Unavailable<>("the ledger store is not queryable: " + e.getMessage());
        }
        if (stored == null || stored.getStatus() == null) {
            return new Lookup.NotFound<>();
        }
        return new Lookup.Found<>(AvroMapping.state(stored));
    }

    private Lookup<List<AuditFact>> auditLocal(String requestId, int partition) {
        final StateQueryRequest<KeyValueIterator<String, AuditFact>> request = StateQueryRequest
                .inStore(LedgerNames.AUDIT_STORE)
                .withQuery(RangeQuery.<String, AuditFact>withRange(AuditKeys.first(requestId), AuditKeys.last(requestId)))
                .withPartitions(Set.of(partition))
                .requireActive();
        final QueryResult<KeyValueIterator<String, AuditFact>> result;
        try {
            result = streams.query(request).getPartitionResults().get(partition);
        } catch (StreamsException e) {
            return new Lookup.Unavailable<>("the audit store is not queryable: " + e.getMessage());
        }
        if (result == null || result.isFailure()) {
            return new Lookup.Unavailable<>(result == null ? "partition " + partition + " is not available here"
                    : result.getFailureReason().name() + ": " + result.getFailureMessage());
        }
        final List<AuditFact> facts = new ArrayList<>();
        try (KeyValueIterator<String, AuditFact> it = result.getResult()) {
            it.forEachRemaining(entry -> facts.add(entry.value));
        }
        return new Lookup.Found<>(facts);
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
