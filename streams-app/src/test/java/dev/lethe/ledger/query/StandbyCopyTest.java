package dev.lethe.ledger.query;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.lethe.ledger.domain.ErasureRequest;
import dev.lethe.ledger.domain.Identifier;
import dev.lethe.ledger.domain.Ledger;
import dev.lethe.ledger.domain.LedgerContext;
import dev.lethe.ledger.domain.LedgerEvent;
import dev.lethe.ledger.domain.LedgerPolicy;
import dev.lethe.ledger.domain.RequestState;
import dev.lethe.ledger.domain.Scope;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which local copy may answer for a key whose owner cannot: a standby replica's (the owner's store
 * as of a recent commit), never this instance's own active task while it restores, which replays
 * the changelog from the start and may hold a much older state of the request than the ledger has.
 */
class StandbyCopyTest {

    private static final HostInfo SELF = new HostInfo("127.0.0.1", 1);
    private static final HostInfo OTHER = new HostInfo("127.0.0.1", 2);
    private static final Instant NOW = Instant.parse("2026-03-02T09:00:00Z");

    @TempDir
    Path state;

    private CopyStreams streams;

    @AfterEach
    void close() {
        streams.close(Duration.ofSeconds(5));
    }

    @Test
    void shouldAnswerFromTheCopyOfAStandbyReplica() {
        final LedgerQueries queries = queries(OTHER);

        assertInstanceOf(Lookup.Found.class, queries.findStandby("r-1"));
    }

    @Test
    void shouldNotAnswerFromItsOwnActiveTaskWhileItRestores() {
        final LedgerQueries queries = queries(SELF);

        // the copy here is this instance's active task, restoring: unavailable, so a standby elsewhere is asked
        assertInstanceOf(Lookup.Unavailable.class, queries.findStandby("r-1"));
    }

    private LedgerQueries queries(HostInfo active) {
        streams = new CopyStreams(OfflineQueries.passThrough(), OfflineQueries.props("standby-copy-test", state),
                new KeyQueryMetadata(active, Set.of(OTHER), 0), received());
        return OfflineQueries.over(streams, SELF, 1);
    }

    private static RequestState received() {
        final LedgerEvent event = new LedgerEvent.Received(new ErasureRequest("r-1", new Identifier("user_id", "u-1"),
                List.of(), "GDPR", "account_deleted", "accounts", Scope.ALL, List.of(), 0, NOW, "submitter"), "key");
        return Ledger.apply(null, event, new LedgerContext(NOW, List.of(), LedgerPolicy.defaults())).state();
    }

    /** A client that was never started, whose metadata and local copy of the ledger store are given. */
    private static final class CopyStreams extends KafkaStreams {

        private final KeyQueryMetadata metadata;
        private final RequestState copy;

        CopyStreams(StreamsBuilder builder, Properties props, KeyQueryMetadata metadata, RequestState copy) {
            super(builder.build(), props);
            this.metadata = metadata;
            this.copy = copy;
        }

        @Override
        public <K> KeyQueryMetadata queryMetadataForKey(String storeName, K key, Serializer<K> keySerializer) {
            return metadata;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T store(StoreQueryParameters<T> parameters) {
            return (T) new ReadOnlyKeyValueStore<String, RequestState>() {
                @Override
                public RequestState get(String key) {
                    return "r-1".equals(key) ? copy : null;
                }

                @Override
                public KeyValueIterator<String, RequestState> range(String from, String to) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public KeyValueIterator<String, RequestState> all() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public long approximateNumEntries() {
                    return copy == null ? 0 : 1;
                }
            };
        }
    }

}
