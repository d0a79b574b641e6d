package dev.lethe.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.avro.ErasureEvent;
import dev.lethe.schemas.SubjectKeys;
import dev.lethe.schemas.Topics;
import dev.lethe.standalone.ApiClient.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Submissions for one subject that race each other (no Idempotency-Key, fired at the same
 * moment) end as one erasure per system: the subject gate in the stream admits the first and
 * links every later one to it as a duplicate, whatever the gateway's look-up saw.
 */
@Tag("integration")
class ConcurrentDuplicatesIntegrationTest {

    private static final String APPLICATION_ID = "lethe-it-concurrent-duplicates";
    private static final List<String> ROUTED = List.of("analytics", "billing", "crm");
    private static final int SUBJECTS = 10;
    private static final int SUBMISSIONS = 8;

    @TempDir
    static Path dir;

    private static ItLethe lethe;
    private static ItCluster cluster;
    private static ApiClient api;

    @BeforeAll
    static void start() {
        lethe = ItLethe.start(dir, APPLICATION_ID);
        cluster = lethe.cluster();
        api = lethe.api();
    }

    @AfterAll
    static void stop() {
        if (lethe != null) {
            lethe.close();
        }
    }

    @Test
    void shouldEraseEachSubjectOncePerSystemHoweverManySubmissionsRace() throws Exception {
        final SubjectKeys keys = SubjectKeys.ofSecret(LetheEnv.PSEUDONYM_SECRET.getBytes(StandardCharsets.UTF_8));
        final Map<String, String> userIdByKey = new HashMap<>();
        for (int s = 0; s < SUBJECTS; s++) {
            final String userId = "u-" + UUID.randomUUID();
            userIdByKey.put(keys.of("user_id", userId), userId);
        }

        // When 8 submissions per subject, 80 in all, are fired at the same moment without an Idempotency-Key
        final Map<String, List<Response>> answers = submitAtOnce(userIdByKey);

        // Then every one is taken: 202 as a new request, or 200 naming an open one as its duplicate
        final Map<String, Set<String>> idsByKey = new TreeMap<>();
        answers.forEach((subjectKey, responses) -> {
            for (Response response : responses) {
                assertTrue(response.status() == 202 || response.status() == 200, response.body());
                assertEquals(response.status() == 200, response.json().path("duplicate").asBoolean(),
                        response.body());
                idsByKey.computeIfAbsent(subjectKey, k -> new TreeSet<>()).add(response.json().path("id").asText());
            }
        });

        // And once the gate has judged every request, each subject has exactly one dispatched request
        final Map<String, String> firstByKey = new HashMap<>();
        idsByKey.forEach((subjectKey, ids) -> firstByKey.put(subjectKey, awaitOneAdmitted(subjectKey, ids)));
        // and every other one is cancelled as its duplicate, nothing dispatched
        idsByKey.forEach((subjectKey, ids) -> ids.stream().filter(id -> !id.equals(firstByKey.get(subjectKey)))
                .forEach(id -> {
                    final JsonNode view = api.get("/v1/erasures/" + id).json();
                    assertEquals("CANCELLED", view.path("status").asText(), view.toString());
                    assertEquals(firstByKey.get(subjectKey), view.path("duplicateOf").asText(), view.toString());
                    assertEquals(0, view.path("systems").size(), view.toString());
                }));
        // and a 200 answer names the request that was dispatched
        answers.forEach((subjectKey, responses) -> responses.stream().filter(r -> r.status() == 200)
                .forEach(r -> assertEquals(firstByKey.get(subjectKey), r.json().path("id").asText(), r.body())));

        // And erasure.events carries one erasure event per system per subject, from the admitted request
        TopicReader.awaitConsumed(cluster.admin(), APPLICATION_ID,
                Set.of(Topics.REQUESTS, Topics.DECISIONS, Topics.CALLBACKS), Duration.ofSeconds(30));
        final List<ConsumerRecord<String, ErasureEvent>> events = TopicReader.readAll(cluster.bootstrapServers(),
                Topics.EVENTS, cluster.serdes().key().deserializer(), cluster.serdes().event().deserializer());
        for (Map.Entry<String, String> subject : firstByKey.entrySet()) {
            final Map<String, Integer> perSystem = new TreeMap<>();
            events.stream().filter(e -> e.key().equals(subject.getKey())).forEach(e -> {
                assertEquals(subject.getValue(), e.value().getRequestId(), "an event of a duplicate: " + e.value());
                e.value().getSystems().forEach(system -> perSystem.merge(system, 1, Integer::sum));
            });
            assertEquals(Map.of("analytics", 1, "billing", 1, "crm", 1), perSystem,
                    "erasure events of subject " + subject.getKey());
        }
    }

    /** Fires every submission from its own thread at once; the answers by subject key. */
    private static Map<String, List<Response>> submitAtOnce(Map<String, String> userIdByKey) throws Exception {
        final ExecutorService pool = Executors.newFixedThreadPool(SUBJECTS * SUBMISSIONS);
        try {
            final CountDownLatch go = new CountDownLatch(1);
            final Map<String, List<Future<Response>>> futures = new HashMap<>();
            userIdByKey.forEach((subjectKey, userId) -> {
                final String body = FullFlowIntegrationTest.requestBody(userId, userId + "@example.com", "GDPR");
                for (int i = 0; i < SUBMISSIONS; i++) {
                    futures.computeIfAbsent(subjectKey, k -> new ArrayList<>()).add(pool.submit(() -> {
                        go.await();
                        return api.post("/v1/erasures", body);
                    }));
                }
            });
            go.countDown();
            final Map<String, List<Response>> answers = new HashMap<>();
            for (Map.Entry<String, List<Future<Response>>> entry : futures.entrySet()) {
                for (Future<Response> future : entry.getValue()) {
                    answers.computeIfAbsent(entry.getKey(), k -> new ArrayList<>()).add(future.get());
                }
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Waits until no request of the subject waits at the gate; the one that went on to its systems. */
    private static String awaitOneAdmitted(String subjectKey, Set<String> ids) {
        final List<String> admitted = new ArrayList<>();
        await("the subject gate judged every request of " + subjectKey).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    admitted.clear();
                    for (String id : ids) {
                        final JsonNode view = api.get("/v1/erasures/" + id).json();
                        assertTrue(!"RECEIVED".equals(view.path("status").asText()), view.toString());
                        if ("IN_PROGRESS".equals(view.path("status").asText())) {
                            admitted.add(id);
                            assertEquals(ROUTED, FullFlowIntegrationTest.names(view), view.toString());
                        }
                    }
                });
        assertEquals(1, admitted.size(), "dispatched requests of subject " + subjectKey + ": " + admitted);
        return admitted.get(0);
    }
}
