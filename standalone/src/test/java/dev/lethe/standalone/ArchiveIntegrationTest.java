package dev.lethe.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.avro.CallbackOutcome;
import dev.lethe.avro.ErasureRequested;
import dev.lethe.avro.Identifier;
import dev.lethe.avro.SystemCallback;
import dev.lethe.ledger.LedgerApp;
import dev.lethe.ledger.LedgerConfig;
import dev.lethe.ledger.archive.ArchiveFollower;
import dev.lethe.ledger.archive.ArchiveView.Archived;
import dev.lethe.ledger.domain.RequestState;
import dev.lethe.ledger.domain.RequestStatus;
import dev.lethe.ledger.query.InProcessReads;
import dev.lethe.ledger.topology.AuditChain;
import dev.lethe.ledger.topology.LedgerNames;
import dev.lethe.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, the ledger's archive on a real broker: a request finished and forgotten is archived on
 * {@code erasure.archive}, read back through the instance's archive follower and released from the
 * ledger's task stores (its state, its trail, its list and subject index entries); after a restart
 * on the same state folder the follower holds it again without reading the archive from its start
 * (from the offsets its copy holds). The follower is a plain
 * consumer with every partition assigned: it joins no consumer group.
 */
@Tag("integration")
class ArchiveIntegrationTest {

    private static final String APPLICATION_ID = "lethe-it-archive";
    private static final List<String> ROUTED = List.of("analytics", "billing", "crm");
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    static Path dir;

    private static ItCluster cluster;
    private static Map<String, String> env;
    private static LedgerApp ledger;

    @BeforeAll
    static void start() {
        cluster = ItCluster.withRegistry(dir);
        env = new HashMap<>(LetheEnv.ledger(cluster, APPLICATION_ID, dir.resolve("streams"), LetheEnv.freePort(),
                LetheEnv.systemsFile(dir)));
        env.put("LETHE_FORGET_AFTER", "PT2S");
        env.put("LETHE_ARCHIVE_RELEASE_AFTER", "PT2S");
        ledger = LedgerApp.start(LedgerConfig.fromEnvironment(env));
    }

    @AfterAll
    static void stop() {
        if (ledger != null) {
            ledger.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldArchiveReleaseAndKeepAFinishedRequestAcrossARestartWithoutReadingTheArchiveAgain() throws Exception {
        final String id = UUID.randomUUID().toString();
        final String subject = "u-" + UUID.randomUUID();
        produce(id, subject);
        // listed and indexed by subject while the task stores hold it
        await("request " + id + " in the list and subject indexes").atMost(WAIT).ignoreExceptions()
                .until(() -> indexEntries(ledger, id), entries -> entries.stream().anyMatch(
                        e -> e.startsWith(LedgerNames.BY_REQUESTED_STORE + "/"))
                        && entries.stream().anyMatch(e -> e.startsWith(LedgerNames.SUBJECTS_STORE + "/")));

        // archived once forgotten, and read back through this instance's follower
        final Archived archived = await("request " + id + " in the follower's archive").atMost(WAIT)
                .until(() -> ledger.archive().get(id), a -> a != null);
        assertEquals(RequestStatus.COMPLETED, archived.state().status());
        assertNull(archived.state().dataKey());
        assertFalse(archived.state().holdsIdentifiers());
        assertNull(AuditChain.verify(archived.trail()));
        assertEquals(archived.state().auditHead(), archived.trail().get(archived.trail().size() - 1).getHash());
        // then released from the ledger's own store
        await("request " + id + " released from the ledger store").atMost(WAIT)
                .until(() -> ledgerStore(ledger).get(id) == null);
        // and from the list and subject indexes (the archive copy answers for it): a restart no longer restores them
        await("request " + id + " released from the list and subject indexes").atMost(WAIT)
                .until(() -> indexEntries(ledger, id), List::isEmpty);
        // the follower assigns itself every partition: no consumer group
        final Set<String> groups = cluster.admin().listGroups().all().get(30, TimeUnit.SECONDS).stream()
                .map(GroupListing::groupId).collect(Collectors.toSet());
        assertTrue(groups.contains(APPLICATION_ID), "the ledger's group: " + groups);
        assertFalse(groups.contains(APPLICATION_ID + ArchiveFollower.APPLICATION_ID_SUFFIX), "groups: " + groups);

        // read as before through the queries, now from the real follower's copy
        final InProcessReads.Answer read = ledger.reads().request(id, false);
        assertEquals(200, read.status(), read.body());
        assertTrue(read.body().contains("\"COMPLETED\""), read.body());
        // listed once, in both orders and through a status filter, from the archive copy's indexes
        final ApiClient internal = new ApiClient(Integer.parseInt(env.get("LETHE_QUERY_PORT")), LetheEnv.INTERNAL_TOKEN);
        for (String list : List.of("/internal/v1/requests?limit=500", "/internal/v1/requests?field=finishedAt&limit=500",
                "/internal/v1/requests?status=COMPLETED&limit=500")) {
            final ApiClient.Response page = internal.get(list);
            assertEquals(200, page.status(), list + ": " + page.body());
            final List<String> listed = new ArrayList<>();
            page.json().path("items").forEach(item -> listed.add(item.path("id").asText()));
            assertEquals(1, listed.stream().filter(id::equals).count(), list + " lists " + listed);
        }
        assertEquals(0, internal.get("/internal/v1/requests?status=CANCELLED&limit=500").json().path("items")
                .findValuesAsText("id").stream().filter(id::equals).count(), "listed under a status it does not have");
        // and its subject's look-up still names it (the subjects store no longer holds it)
        final InProcessReads.Answer subjectRead = ledger.reads().subject("user_id", subject);
        assertEquals(200, subjectRead.status(), subjectRead.body());
        assertTrue(subjectRead.body().contains(id), subjectRead.body());

        final ArchiveFollower before = (ArchiveFollower) ledger.archive();
        ledger.close();
        // a closed copy refuses reads (503 in the queries), never "not held"
        assertThrows(InvalidStateStoreException.class, () -> before.get(id));
        ledger = LedgerApp.start(LedgerConfig.fromEnvironment(env));

        assertEquals(archived, ledger.archive().get(id), "the follower lost it across the restart");
        final List<ArchiveFollower.Restore> restores = ((ArchiveFollower) ledger.archive()).restores();
        assertTrue(restores.stream().noneMatch(r -> r.from() == 0 && r.to() > 0),
                "read the archive from its start again: " + restores);
        assertNull(ledgerStore(ledger).get(id), "back in the ledger store after the restart");
        assertEquals(List.of(), await().atMost(WAIT).ignoreExceptions().until(() -> indexEntries(ledger, id),
                entries -> true), "back in the list or subject indexes after the restart");
    }

    /** The keys of request {@code id}'s entries in the list and subject indexes of the task stores, by store. */
    private static List<String> indexEntries(LedgerApp app, String id) {
        final List<String> entries = new ArrayList<>();
        for (String name : List.of(LedgerNames.BY_REQUESTED_STORE, LedgerNames.BY_FINISHED_STORE,
                LedgerNames.SUBJECTS_STORE)) {
            final ReadOnlyKeyValueStore<String, Object> store = app.streams().store(
                    StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore()));
            try (KeyValueIterator<String, Object> it = store.all()) {
                it.forEachRemaining(entry -> {
                    if (entry.key.endsWith("|" + id)) {
                        entries.add(name + "/" + entry.key);
                    }
                });
            }
        }
        return entries;
    }

    private static ReadOnlyKeyValueStore<String, RequestState> ledgerStore(LedgerApp app) {
        return app.streams().store(StoreQueryParameters.fromNameAndType(LedgerNames.LEDGER_STORE,
                QueryableStoreTypes.keyValueStore()));
    }

    /** A GDPR request for a user id and an e-mail address, and a DONE from each system it routes to. */
    private static void produce(String id, String subject) throws Exception {
        final Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<String, ErasureRequested> requests = new KafkaProducer<>(props,
                cluster.serdes().key().serializer(), cluster.serdes().request().serializer());
             KafkaProducer<String, SystemCallback> callbacks = new KafkaProducer<>(props,
                     cluster.serdes().key().serializer(), cluster.serdes().callback().serializer())) {
            requests.send(new ProducerRecord<>(Topics.REQUESTS, id, ErasureRequested.newBuilder().setRequestId(id)
                    .setSubject(new Identifier("user_id", subject))
                    .setIdentifiers(List.of(new Identifier("email", "archive+" + UUID.randomUUID() + "@example.com")))
                    .setJurisdiction("GDPR").setReason("account_deleted").setSource("accounts-service")
                    .setRequestedAt(Instant.now()).build())).get(30, TimeUnit.SECONDS);
            for (String system : ROUTED) {
                callbacks.send(new ProducerRecord<>(Topics.CALLBACKS, id, new SystemCallback(
                        UUID.randomUUID().toString(), id, system, Instant.now(), "partner:" + system,
                        CallbackOutcome.DONE, 1L, "erased by " + system, null, null))).get(30, TimeUnit.SECONDS);
            }
        }
    }
}
