package dev.lethe.ledger.topology;

import static dev.lethe.avro.CallbackOutcome.DONE;
import static dev.lethe.avro.CallbackOutcome.RETAINED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lethe.avro.AuditFact;
import dev.lethe.ledger.archive.ArchiveRanges;
import dev.lethe.ledger.archive.ArchiveView;
import dev.lethe.ledger.domain.Attention;
import dev.lethe.ledger.domain.LedgerPolicy;
import dev.lethe.ledger.domain.RequestState;
import dev.lethe.ledger.domain.RequestStatus;
import dev.lethe.ledger.query.AppliedCheck;
import dev.lethe.ledger.query.InProcessReads;
import dev.lethe.ledger.query.LedgerQueries;
import dev.lethe.ledger.query.Lookup;
import dev.lethe.ledger.query.QueryServer;
import dev.lethe.schemas.Topics;
import dev.lethe.schemas.config.Secret;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.LagInfo;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.StreamsMetadataImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads of a request moved out of the ledger's task stores into its archive (issue 19 point 6):
 * every read answers exactly what it answered while the request was in the task stores, and never
 * 404. The stores are the real topology's ({@link LedgerDriver}), read through the query endpoint
 * ({@link QueryServer}, over HTTP) and the embedded default's in-process reads; "archiving" a
 * request here is what the archive's release does to the task stores: the {@code ledger} entry, the
 * {@code audit} range and the {@code by-requested}, {@code by-finished} and {@code subjects} entries
 * deleted, the counts kept, the state and trail held by the {@link ArchiveView} (a map, whose list
 * orders and subject look-ups are computed from its states as the archive copy's indexes are).
 */
class ArchivedReadsTest {

    private static final String FIRST = "11111111-1111-4111-8111-111111111111";
    private static final String ARCHIVED = "22222222-2222-4222-8222-222222222222";
    private static final String LAST = "33333333-3333-4333-8333-333333333333";
    private static final String UNKNOWN = "44444444-4444-4444-8444-444444444444";
    private static final Duration FORGET_AFTER = Duration.ofHours(1);
    private static final HostInfo SELF = new HostInfo("127.0.0.1", 1);
    private static final HostInfo OTHER = new HostInfo("127.0.0.1", 2);
    private static final String SECRET = "internal-secret-0123456789abcdef-0123";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path state;

    private final Map<String, ArchiveView.Archived> archive = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private final Clock clock = Clock.fixed(LedgerDriver.START.plus(Duration.ofDays(3)), ZoneOffset.UTC);
    private final CountingLog log = new CountingLog();
    private volatile boolean unreadable;
    private LedgerDriver ledger;
    private DriverStreams streams;
    private LedgerQueries queries;
    private QueryServer server;

    @BeforeEach
    void finishAndForgetThreeRequests() {
        ledger = new LedgerDriver(LedgerPolicy.defaults(), new AppliedOffsets(), 1, FORGET_AFTER);
        ledger.register("billing", "user_id", "email");
        for (String id : List.of(FIRST, ARCHIVED, LAST)) {
            ledger.file(id, "u-" + id.charAt(0));
            ledger.callBack(ledger.callback(id, "billing", DONE, 3L));
        }
        ledger.driver.advanceWallClockTime(FORGET_AFTER.plus(LedgerProcessor.DUE_SCAN_INTERVAL));
        assertEquals(RequestStatus.COMPLETED, ledger.domainState(ARCHIVED).status());
        assertNull(ledger.domainState(ARCHIVED).dataKey(), "finished and forgotten: what is archived");
        start(SELF, true);
    }

    @AfterEach
    void stop() {
        server.close();
        streams.close(Duration.ofSeconds(5));
        ledger.close();
    }

    @Test
    void shouldAnswerAnArchivedRequestsViewAsBeforeItWasArchived() throws Exception {
        final HttpResponse<String> internalBefore = get("/internal/v1/requests/" + ARCHIVED);
        final HttpResponse<String> publicBefore = get("/internal/v1/requests/" + ARCHIVED + "?view=public");

        archive(ARCHIVED);
        final HttpResponse<String> internalAfter = get("/internal/v1/requests/" + ARCHIVED);
        final HttpResponse<String> publicAfter = get("/internal/v1/requests/" + ARCHIVED + "?view=public");

        assertEquals(200, internalBefore.statusCode(), internalBefore.body());
        assertEquals(200, internalAfter.statusCode(), internalAfter.body());
        assertEquals(internalBefore.body(), internalAfter.body());
        assertEquals(200, publicAfter.statusCode(), publicAfter.body());
        assertEquals(publicBefore.body(), publicAfter.body());
        assertEquals("public", publicAfter.headers().firstValue(QueryServer.VIEW_HEADER).orElse(null));
        assertTrue(publicAfter.headers().firstValue(QueryServer.STALE_HEADER).isEmpty(), "the owner's own answer");
    }

    @Test
    void shouldAnswerAnArchivedRequestsAuditTrailAsBefore() throws Exception {
        final HttpResponse<String> before = get("/internal/v1/requests/" + ARCHIVED + "/audit");

        archive(ARCHIVED);
        final HttpResponse<String> after = get("/internal/v1/requests/" + ARCHIVED + "/audit");

        assertEquals(200, after.statusCode(), after.body());
        assertEquals(before.body(), after.body());
        assertTrue(JSON.readTree(after.body()).size() > 2, after.body());
    }

    @Test
    void shouldIssueTheSameCertificateWithAValidChainForAnArchivedRequest() throws Exception {
        final HttpResponse<String> before = get("/internal/v1/requests/" + ARCHIVED + "/certificate");

        archive(ARCHIVED);
        final HttpResponse<String> after = get("/internal/v1/requests/" + ARCHIVED + "/certificate");

        assertEquals(200, after.statusCode(), after.body());
        assertEquals(before.body(), after.body());
        final JsonNode audit = JSON.readTree(after.body()).path("audit");
        assertTrue(audit.path("verified").asBoolean(), after.body());
        final List<AuditFact> archived = archive.get(ARCHIVED).trail();
        assertEquals(archived.get(archived.size() - 1).getHash(), audit.path("head").asText());
    }

    @Test
    void shouldListAnArchivedRequestWithTheSameFiltersAndCursors() throws Exception {
        final List<String> queries = List.of("limit=1", "limit=2", "status=COMPLETED", "system=billing",
                "systemStatus=DONE", "field=finishedAt&limit=1", "status=IN_PROGRESS", "overdue=false&limit=1");
        final Map<String, List<String>> before = new java.util.LinkedHashMap<>();
        for (String query : queries) {
            before.put(query, pages(query));
        }

        archive(ARCHIVED);

        for (String query : queries) {
            assertEquals(before.get(query), pages(query), query);
        }
        assertTrue(String.join("", before.get("limit=1")).contains(ARCHIVED), before.get("limit=1").toString());
        assertTrue(String.join("", before.get("status=COMPLETED")).contains(ARCHIVED));
        assertFalse(String.join("", before.get("status=IN_PROGRESS")).contains(ARCHIVED));
    }

    @Test
    void shouldAnswerNotFoundForARequestInNeitherAfterTheSameWait() throws Exception {
        archive(ARCHIVED);

        final HttpResponse<String> request = get("/internal/v1/requests/" + UNKNOWN);
        final HttpResponse<String> audit = get("/internal/v1/requests/" + UNKNOWN + "/audit");
        final HttpResponse<String> certificate = get("/internal/v1/requests/" + UNKNOWN + "/certificate");

        for (HttpResponse<String> answer : List.of(request, audit, certificate)) {
            assertEquals(404, answer.statusCode(), answer.body());
            assertEquals("not_found", JSON.readTree(answer.body()).path("error").asText());
        }
        assertEquals(3, log.searched.get(), "each read waited as Arrivals says (the log searched) before its 404");
    }

    @Test
    void shouldAnswerARequestInNeitherThatMayStillBeOnItsWayUnavailable() throws Exception {
        log.pending = true;

        final HttpResponse<String> answer = get("/internal/v1/requests/" + UNKNOWN);

        assertEquals(503, answer.statusCode(), answer.body());
    }

    @Test
    void shouldAnswerUnavailableNotNotFoundWhileTheArchiveCannotBeRead() throws Exception {
        archive(ARCHIVED);
        unreadable = true; // the archive follower is not running: its store refuses reads

        for (String path : List.of("", "/audit", "/certificate")) {
            final HttpResponse<String> answer = get("/internal/v1/requests/" + ARCHIVED + path);
            assertEquals(503, answer.statusCode(), path + ": " + answer.body());
            assertEquals("1", answer.headers().firstValue("Retry-After").orElse(null));
        }
        assertEquals(503, get("/internal/v1/requests?limit=5").statusCode());
        assertNull(new InProcessReads(queries, clock).request(ARCHIVED, true), "asked over HTTP instead");
    }

    @Test
    void shouldAnswerTheTaskStoresVersionOfARequestInBoth() throws Exception {
        // archived, then brought back and changed: a late contradicting callback (the archive keeps the older version)
        archive.put(ARCHIVED, new ArchiveView.Archived(ledger.domainState(ARCHIVED), ledgerTrail(ARCHIVED, true)));
        final int archivedFacts = archive.get(ARCHIVED).trail().size();
        ledger.callBack(ledger.callback(ARCHIVED, "billing", RETAINED, null));
        assertEquals(List.of(Attention.CONTRADICTED), ledger.domainState(ARCHIVED).attention());
        // the single reads answer the task store's version even while the copy still holds the older one
        assertEquals("CONTRADICTED", JSON.readTree(get("/internal/v1/requests/" + ARCHIVED).body())
                .path("attention").path(0).asText());

        final JsonNode view = JSON.readTree(get("/internal/v1/requests/" + ARCHIVED).body());
        final JsonNode trail = JSON.readTree(get("/internal/v1/requests/" + ARCHIVED + "/audit").body());
        final HttpResponse<String> certificate = get("/internal/v1/requests/" + ARCHIVED + "/certificate");

        assertEquals("CONTRADICTED", view.path("attention").path(0).asText(), view.toString());
        assertEquals(ledgerTrail(ARCHIVED, true).size(), trail.size());
        assertTrue(trail.size() > archivedFacts);
        assertEquals(409, certificate.statusCode(), certificate.body());
        assertEquals("needs_attention", JSON.readTree(certificate.body()).path("error").asText());
        // the changed version was archived again in the same transaction; once the copy holds it, a list
        // shows the request once, as it now is
        archive.put(ARCHIVED, new ArchiveView.Archived(ledger.domainState(ARCHIVED), ledgerTrail(ARCHIVED, true)));
        assertEquals(1, occurrences(pages("limit=50"), ARCHIVED));
        assertTrue(String.join("", pages("attention=true")).contains(ARCHIVED));
        assertFalse(String.join("", pages("attention=false")).contains(ARCHIVED));
    }

    @Test
    void shouldReadTheArchivedTrailWhenTheTaskStoreReleasedItBetweenTheStateAndTheTrail() throws Exception {
        final String certificate = get("/internal/v1/requests/" + ARCHIVED + "/certificate").body();
        final String trail = get("/internal/v1/requests/" + ARCHIVED + "/audit").body();
        archive.put(ARCHIVED, new ArchiveView.Archived(ledger.domainState(ARCHIVED), ledgerTrail(ARCHIVED, true)));
        // the state read first, then the release deleted the trail: as if only the trail were gone
        ledgerTrail(ARCHIVED, false);

        assertEquals(trail, get("/internal/v1/requests/" + ARCHIVED + "/audit").body());
        assertEquals(certificate, get("/internal/v1/requests/" + ARCHIVED + "/certificate").body());
    }

    @Test
    void shouldAnswerAnArchivedRequestInProcessAsBefore() {
        final InProcessReads reads = new InProcessReads(queries, clock);
        final InProcessReads.Answer publicBefore = reads.request(ARCHIVED, true);
        final InProcessReads.Answer internalBefore = reads.request(ARCHIVED, false);

        archive(ARCHIVED);
        final InProcessReads fresh = new InProcessReads(queries, clock); // nothing rendered kept

        for (InProcessReads each : List.of(reads, fresh)) {
            final InProcessReads.Answer publicAfter = each.request(ARCHIVED, true);
            assertNotNull(publicAfter, "answered in process, not handed to HTTP");
            assertEquals(200, publicAfter.status());
            assertEquals(publicBefore, publicAfter);
            assertEquals(internalBefore, each.request(ARCHIVED, false));
        }
        assertEquals(404, reads.request(UNKNOWN, true).status());
    }

    @Test
    void shouldAnswerAStandbyReadOfAnArchivedRequestFromTheArchiveMarkedStale() throws Exception {
        final String before = get("/internal/v1/requests/" + ARCHIVED + "?view=public").body();
        archive(ARCHIVED);
        restart(OTHER, true); // another instance owns the key; this one keeps a standby copy of its partition

        final HttpResponse<String> answer = get("/internal/v1/requests/" + ARCHIVED + "?standby=1&view=public");

        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals(before, answer.body());
        assertEquals("true", answer.headers().firstValue(QueryServer.STALE_HEADER).orElse(null));
        assertInstanceOf(Lookup.Unavailable.class, queries.findStandby(UNKNOWN), "a copy never says not found");
    }

    @Test
    void shouldNotAnswerAStandbyReadFromTheArchiveWhileTheCopyIsFarBehind() throws Exception {
        archive(ARCHIVED);
        restart(OTHER, true); // another instance owns the key; this one keeps a standby copy of its partition
        // far behind (restoring from scratch): the owner may have brought the request back and reopened it since
        streams.copyLag = LedgerQueries.STANDBY_ARCHIVE_MAX_LAG + 1;

        final HttpResponse<String> answer = get("/internal/v1/requests/" + ARCHIVED + "?standby=1&view=public");

        assertEquals(503, answer.statusCode(), answer.body());
        assertInstanceOf(Lookup.Unavailable.class, queries.findStandby(ARCHIVED));
        streams.copyLag = LedgerQueries.STANDBY_ARCHIVE_MAX_LAG;
        assertInstanceOf(Lookup.Found.class, queries.findStandby(ARCHIVED), "a copy close behind answers");
    }

    @Test
    void shouldAnswerAnArchivedRequestThroughItsOwnerAndFromAStandbyCopyOnceTheOwnerIsDown() throws Exception {
        final String before = get("/internal/v1/requests/" + ARCHIVED + "?view=public").body();
        archive(ARCHIVED);
        final QueryServer owner = QueryServer.starting(clock, Secret.of(SECRET)).start("127.0.0.1", 0);
        final HostInfo ownerHost = new HostInfo("127.0.0.1", owner.port());
        final Path ownerState = state.resolve("owner");
        final DriverStreams ownerStreams = new DriverStreams(ledger, ownerHost, true, props(ownerState));
        try {
            owner.serve(new LedgerQueries(ownerStreams, ledger.serdes, ownerHost, 1, log, new AppliedOffsets(),
                    ledger.subjectKeys, view));
            restart(ownerHost, true); // this instance keeps a standby copy of the owner's partition

            final HttpResponse<String> forwarded = get("/internal/v1/requests/" + ARCHIVED + "?view=public");
            owner.close(); // the owner is down: connection refused
            final HttpResponse<String> failover = get("/internal/v1/requests/" + ARCHIVED + "?view=public");

            assertEquals(200, forwarded.statusCode(), forwarded.body());
            assertEquals(before, forwarded.body());
            assertTrue(forwarded.headers().firstValue(QueryServer.STALE_HEADER).isEmpty(), "the owner answered");
            assertEquals(200, failover.statusCode(), failover.body());
            assertEquals(before, failover.body());
            assertEquals("true", failover.headers().firstValue(QueryServer.STALE_HEADER).orElse(null));
        } finally {
            owner.close();
            ownerStreams.close(Duration.ofSeconds(5));
        }
    }

    @Test
    void shouldNotAnswerAnArchivedRequestWhereNoCopyOfItsPartitionIsKept() {
        archive(ARCHIVED);
        restart(OTHER, false); // another instance owns the key; no copy of its partition here

        // the archive here may be older than the owner's store (a request brought back and changed)
        assertInstanceOf(Lookup.Unavailable.class, queries.findStandby(ARCHIVED));
    }

    @Test
    void shouldNotAnswerFromTheArchiveWhileItsOwnTaskStoreIsNotQueryable() {
        archive(ARCHIVED);
        restart(SELF, false); // this instance owns the key and its store is restoring

        assertInstanceOf(Lookup.Unavailable.class, queries.find(ARCHIVED, null, Duration.ZERO));
        assertInstanceOf(Lookup.Unavailable.class, queries.findStandby(ARCHIVED));
    }

    /**
     * Moves {@code id} to the archive as the release does: its state, trail, list entries and subject
     * entry out of the task stores.
     */
    private void archive(String id) {
        final RequestState stored = ledger.domainState(id);
        archive.put(id, new ArchiveView.Archived(stored, ledgerTrail(id, false)));
        ledger.driver.<String, RequestState>getKeyValueStore(LedgerNames.LEDGER_STORE).delete(id);
        ledger.driver.<String, String>getKeyValueStore(LedgerNames.BY_REQUESTED_STORE)
                .delete(IndexKeys.newestFirst(stored.requestedAt(), id));
        ledger.driver.<String, String>getKeyValueStore(LedgerNames.BY_FINISHED_STORE)
                .delete(IndexKeys.newestFirst(stored.finishedAt(), id));
        ledger.driver.getKeyValueStore(LedgerNames.SUBJECTS_STORE).delete(IndexKeys.subject(stored.subjectKey(), id));
    }

    /** The trail of {@code id} in the audit store, oldest first; deleted from it unless {@code keep}. */
    private List<AuditFact> ledgerTrail(String id, boolean keep) {
        final KeyValueStore<String, List<AuditFact>> audit = ledger.driver.getKeyValueStore(LedgerNames.AUDIT_STORE);
        final List<AuditFact> trail = new ArrayList<>();
        final List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, List<AuditFact>> it = audit.range(AuditKeys.first(id), AuditKeys.last(id))) {
            while (it.hasNext()) {
                final KeyValue<String, List<AuditFact>> entry = it.next();
                keys.add(entry.key);
                trail.addAll(entry.value);
            }
        }
        if (!keep) {
            keys.forEach(audit::delete);
        }
        return trail;
    }

    /** How many times the pages name request {@code id} as an item. */
    private static int occurrences(List<String> pages, String id) throws Exception {
        int count = 0;
        for (String page : pages) {
            for (JsonNode item : JSON.readTree(page).path("items")) {
                count += id.equals(item.path("id").asText()) ? 1 : 0;
            }
        }
        return count;
    }

    /** Every page of the list {@code query}, followed by its cursors: each page's items and next. */
    private List<String> pages(String query) throws Exception {
        final List<String> pages = new ArrayList<>();
        String cursor = null;
        do {
            final HttpResponse<String> page = get("/internal/v1/requests?" + query
                    + (cursor == null ? "" : "&cursor=" + cursor));
            assertEquals(200, page.statusCode(), page.body());
            pages.add(page.body());
            final JsonNode next = JSON.readTree(page.body()).path("next");
            cursor = next.isNull() ? null : next.asText();
        } while (cursor != null && pages.size() < 10);
        return pages;
    }

    private void start(HostInfo active, boolean copyHere) {
        streams = new DriverStreams(ledger, active, copyHere, props(state));
        queries = new LedgerQueries(streams, ledger.serdes, SELF, 1, log, new AppliedOffsets(), ledger.subjectKeys,
                view);
        server = new QueryServer(queries, clock, Secret.of(SECRET)).start("127.0.0.1", 0);
    }

    private void restart(HostInfo active, boolean copyHere) {
        server.close();
        streams.close(Duration.ofSeconds(5));
        start(active, copyHere);
    }

    private static Properties props(Path stateDir) {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "archived-reads-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return props;
    }

    /**
     * The map as the archive copy answers it: a request by id, the list orders and a subject's
     * requests computed from the states; refused as a store that is not queryable while {@link #unreadable}.
     */
    private final ArchiveView view = new ArchiveView() {
        @Override
        public ArchiveView.Archived get(String requestId) {
            readable();
            return archive.get(requestId);
        }

        @Override
        public KeyValueIterator<String, RequestState> range(Order order, String from, String to) {
            readable();
            return ArchiveRanges.range(archive.values(), order, from, to);
        }

        @Override
        public List<RequestState> subject(String subjectKey) {
            readable();
            return archive.values().stream().map(ArchiveView.Archived::state)
                    .filter(state -> subjectKey.equals(state.subjectKey())).toList();
        }

        private void readable() {
            if (unreadable) {
                throw new InvalidStateStoreException("the archive's store is not running");
            }
        }
    };

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + SECRET).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The log of {@code erasure.requests} as the reads see it: nothing written after what was applied. */
    private static final class CountingLog implements AppliedCheck {

        final AtomicInteger searched = new AtomicInteger();
        volatile boolean pending;

        @Override
        public long endOffset(int partition) {
            return -1; // cannot be had: every read of a request not held searches the log
        }

        @Override
        public boolean pending(int partition, byte[] key) {
            searched.incrementAndGet();
            return pending;
        }
    }

    /**
     * A Kafka Streams client that is never started, RUNNING, owning partition 0 of the input topics
     * ({@code active}), whose stores are the driver's (or not queryable, without {@code copyHere}).
     */
    private static final class DriverStreams extends KafkaStreams {

        private final LedgerDriver ledger;
        private final HostInfo active;
        private final boolean copyHere;

        DriverStreams(LedgerDriver ledger, HostInfo active, boolean copyHere, Properties props) {
            super(passThrough().build(), props);
            this.ledger = ledger;
            this.active = active;
            this.copyHere = copyHere;
        }

        private static StreamsBuilder passThrough() {
            final StreamsBuilder builder = new StreamsBuilder();
            builder.stream("in").to("out");
            return builder;
        }

        @Override
        public State state() {
            return State.RUNNING;
        }

        @Override
        public <K> KeyQueryMetadata queryMetadataForKey(String storeName, K key, Serializer<K> keySerializer) {
            return new KeyQueryMetadata(active, active.equals(SELF) ? Set.of() : Set.of(SELF), 0);
        }

        @Override
        public Collection<StreamsMetadata> metadataForAllStreamsClients() {
            return List.of(new StreamsMetadataImpl(active, Set.of(), Set.of(new TopicPartition(Topics.REQUESTS, 0)),
                    Set.of(), Set.of()));
        }

        /** The changelog records this instance's copy of the ledger store lags behind (standby reads). */
        private volatile long copyLag;

        @Override
        public Map<String, Map<Integer, LagInfo>> allLocalStorePartitionLags() {
            return Map.of(LedgerNames.LEDGER_STORE, Map.of(0, org.apache.kafka.streams.LagInfos.of(100, 100 + copyLag)));
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T store(StoreQueryParameters<T> parameters) {
            if (!copyHere) {
                throw new InvalidStateStoreException("the store " + parameters.storeName() + " is restoring");
            }
            return (T) ledger.driver.getKeyValueStore(parameters.storeName());
        }
    }
}
