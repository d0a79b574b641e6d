package dev.lethe.ledger.query;

import dev.lethe.avro.SystemRegistration;
import dev.lethe.ledger.topology.AvroMapping;
import dev.lethe.ledger.topology.LedgerNames;
import dev.lethe.ledger.topology.SystemDirectory;
import dev.lethe.schemas.LetheSerdes;
import dev.lethe.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.state.HostInfo;
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
    public Lookup find(String requestId, Position bound, Duration wait) {
        final KeyQueryMetadata metadata;
        try {
            metadata = streams.queryMetadataForKey(LedgerNames.LEDGER_STORE, requestId, keySerializer);
        } catch (StreamsException e) {
            return new Lookup.Unavailable("the ledger is not running: " + e.getMessage());
        }
        if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)) {
            return new Lookup.Unavailable("the ledger is rebalancing");
        }
        if (!self.equals(metadata.activeHost())) {
            return new Lookup.Elsewhere(metadata.activeHost());
        }
        final Instant deadline = Instant.now().plus(wait);
        while (true) {
            final Lookup answer = queryLocal(requestId, metadata.partition(), bound);
            final boolean behind = answer instanceof Lookup.Unavailable unavailable
                    && unavailable.reason().startsWith(FailureReason.NOT_UP_TO_BOUND.name());
            if (!behind || Instant.now().isAfter(deadline)) {
                return answer;
            }
            pause();
        }
    }

    private Lookup queryLocal(String requestId, int partition, Position bound) {
        final StateQueryRequest<dev.lethe.avro.RequestState> unbounded = StateQueryRequest
                .inStore(LedgerNames.LEDGER_STORE)
                .withQuery(KeyQuery.<String, dev.lethe.avro.RequestState>withKey(requestId))
                .withPartitions(Set.of(partition));
        // Kafka Streams ignores a position bound on requireActive() queries, so a bounded query
        // relies on the bound itself: a lagging copy answers NOT_UP_TO_BOUND.
        final StateQueryRequest<dev.lethe.avro.RequestState> request = bound == null
                ? unbounded.requireActive()
                : unbounded.withPositionBound(PositionBound.at(bound));
        final StateQueryResult<dev.lethe.avro.RequestState> result;
        try {
            result = streams.query(request);
        } catch (StreamsException e) {
            return new Lookup.Unavailable("the ledger store is not queryable: " + e.getMessage());
        }
        final QueryResult<dev.lethe.avro.RequestState> partitionResult = result.getPartitionResults().get(partition);
        if (partitionResult == null) {
            return new Lookup.Unavailable("partition " + partition + " is not available here");
        }
        if (partitionResult.isFailure()) {
            return new Lookup.Unavailable(partitionResult.getFailureReason().name() + ": "
                    + partitionResult.getFailureMessage());
        }
        final dev.lethe.avro.RequestState stored = partitionResult.getResult();
        if (stored == null || stored.getStatus() == null) {
            return new Lookup.NotFound();
        }
        return new Lookup.Found(AvroMapping.state(stored));
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
