package dev.lethe.standalone;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.avro.AuditFact;
import dev.lethe.avro.ErasureEvent;
import dev.lethe.avro.ErasureRecord;
import dev.lethe.avro.Identifier;
import dev.lethe.avro.RequestStatus;
import dev.lethe.avro.SystemOutcome;
import dev.lethe.avro.SystemStatus;
import dev.lethe.schemas.SubjectKeys;
import dev.lethe.schemas.Topics;
import dev.lethe.standalone.ApiClient.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path of one erasure through real components: an in-process KRaft broker, the
 * embedded schema registry, the ledger (streams-app) and the gateway, driven over HTTP as a
 * client would, then checked on the output topics as an auditor would read them.
 */
@Tag("integration")
class FullFlowIntegrationTest {

    private static final String APPLICATION_ID = "lethe-it-full-flow";
    private static final List<String> ROUTED = List.of("analytics", "billing", "crm");
    private static final Map<String, Long> ITEMS = Map.of("analytics", 3L, "billing", 12L, "crm", 0L);

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
    void shouldEraseAcrossTheRoutedSystemsAndLeaveOneEventOneRecordAndAGaplessAuditTrail() {
        final String userId = "u-" + UUID.randomUUID();
        final String email = "Kim.Lee+" + UUID.randomUUID().toString().substring(0, 8) + "@Example.com";

        // Given a request filed over HTTP
        final Response filed = api.post("/v1/erasures", requestBody(userId, email, "GDPR"));
        assertEquals(202, filed.status(), filed.body());
        final String id = filed.json().path("id").asText();
        assertEquals("/v1/erasures/" + id, filed.header("Location"));
        assertEquals("RECEIVED", filed.json().path("status").asText());

        // Then a GET right after finds it, and once the subject gate admitted it (a moment later) it is
        // dispatched to the systems that hold its namespaces
        final Response received = api.get("/v1/erasures/" + id);
        assertEquals(200, received.status(), received.body());
        final JsonNode request = api.awaitStatus(id, "IN_PROGRESS");
        final Response inProgress = api.get("/v1/erasures/" + id);
        assertEquals(ROUTED, names(request));
        request.path("systems").forEach(system -> assertEquals("DISPATCHED", system.path("status").asText()));
        final String subjectKey = request.path("subjectKey").asText();
        assertEquals(SubjectKeys.ofSecret(LetheEnv.PSEUDONYM_SECRET.getBytes(StandardCharsets.UTF_8))
                .of("user_id", userId), subjectKey);
        assertNoRawIdentifier(inProgress.body(), userId, email);

        // When every system calls back (quoting the e-mail address, in another case, in its detail)
        for (String system : ROUTED) {
            final Response callback = api.post("/v1/erasures/" + id + "/systems/" + system + "/callback",
                    ApiClient.json(Map.of("outcome", "DONE", "itemsErased", ITEMS.get(system),
                            "detail", "deleted the rows of " + email.toLowerCase(Locale.ROOT))));
            assertEquals(202, callback.status(), callback.body());
        }

        // Then the request is complete, with each system's count and no identifier in sight
        final Response completed = api.get("/v1/erasures/" + id);
        assertEquals(200, completed.status(), completed.body());
        assertEquals("COMPLETED", completed.json().path("status").asText(), completed.body());
        completed.json().path("systems").forEach(system -> assertAll(
                () -> assertEquals("DONE", system.path("status").asText()),
                () -> assertEquals((long) ITEMS.get(system.path("name").asText()), system.path("itemsErased").asLong(),
                        system.toString())));
        assertNoRawIdentifier(completed.body(), userId, email);

        // And the output topics hold exactly what an auditor expects
        TopicReader.awaitConsumed(cluster.admin(), APPLICATION_ID,
                Set.of(Topics.REQUESTS, Topics.DECISIONS, Topics.CALLBACKS), Duration.ofSeconds(30));
        final LedgerOutputs outputs = LedgerOutputs.of(cluster, id);
        assertOneDispatch(outputs, subjectKey, userId, email, LetheEnv.dataKey(cluster, id));
        assertAuditTrail(outputs, id, subjectKey, userId, email);
        assertOneCompletedRecord(outputs, id, subjectKey, userId, email);

        // And the audit trail over HTTP is the one on the topic, oldest first
        final Response trail = api.get("/v1/erasures/" + id + "/audit");
        assertEquals(200, trail.status(), trail.body());
        assertEquals(outputs.auditTypes(), StreamSupport.stream(trail.json().spliterator(), false)
                .map(fact -> fact.path("type").asText()).toList());
        assertNoRawIdentifier(trail.body(), userId, email);

        // And the certificate proves the trail: its chain verifies and its head is the last fact's hash
        final Response certificate = api.get("/v1/erasures/" + id + "/certificate");
        assertEquals(200, certificate.status(), certificate.body());
        final JsonNode audit = certificate.json().path("audit");
        assertTrue(audit.path("verified").asBoolean(), certificate.body());
        assertEquals(outputs.auditTypes().size(), audit.path("facts").asInt());
        assertEquals(trail.json().get(trail.json().size() - 1).path("hash").asText(), audit.path("head").asText());
        assertEquals("COMPLETED", certificate.json().path("status").asText());
        assertNoRawIdentifier(certificate.body(), userId, email);

        // And the re-ingestion guard knows the subject was erased
        final Response subject = api.get("/v1/subjects/user_id/" + userId);
        assertEquals(200, subject.status(), subject.body());
        assertTrue(subject.json().path("erased").asBoolean(), subject.body());
        assertEquals(subjectKey, subject.json().path("subjectKey").asText());
        assertEquals(id, subject.json().path("requests").get(0).asText());
    }

    @Test
    void shouldRefuseARequestWithoutJurisdictionAndWriteNothing() {
        final long before = TopicReader.endOffsetSum(cluster.admin(), Topics.REQUESTS);
        final Map<String, Object> body = new LinkedHashMap<>(Map.of(
                "subject", Map.of("namespace", "user_id", "value", "u-" + UUID.randomUUID()),
                "reason", "account_deleted",
                "source", "accounts-service"));

        final Response refused = api.post("/v1/erasures", ApiClient.json(body));

        assertEquals(400, refused.status(), refused.body());
        assertTrue(refused.header("Content-Type").startsWith("application/json"), refused.header("Content-Type"));
        final JsonNode error = refused.json();
        assertEquals("missing_field", error.path("error").asText(), refused.body());
        assertEquals("jurisdiction", error.path("field").asText(), refused.body());
        assertFalse(error.path("message").asText().isBlank(), refused.body());
        assertEquals(Set.of("error", "message", "field"), fieldNames(error));
        assertEquals(before, TopicReader.endOffsetSum(cluster.admin(), Topics.REQUESTS),
                "a refused request must write nothing to " + Topics.REQUESTS);
    }

    private static void assertOneDispatch(LedgerOutputs outputs, String subjectKey, String userId, String email,
                                          byte[] dataKey) {
        assertEquals(1, outputs.events().size(), "dispatch events: " + outputs.events());
        final ConsumerRecord<String, ErasureEvent> dispatch = outputs.events().get(0);
        final ErasureEvent event = dispatch.value();
        assertAll(
                () -> assertEquals(subjectKey, dispatch.key()),
                () -> assertEquals(subjectKey, event.getSubjectKey()),
                () -> assertEquals(ROUTED, event.getSystems()),
                () -> assertEquals(new Identifier("user_id", ""), event.getSubject()),
                () -> assertEquals(List.of(new Identifier("email", "")), event.getIdentifiers()),
                () -> assertEquals("GDPR", event.getJurisdiction()),
                () -> assertFalse(event.getReminder()),
                () -> assertEquals(1, event.getAttempt()));
        // issue 12: the partner event carries the identifiers sealed under the request's data key only
        LedgerOutputs.assertNoRawIdentifier(event, userId, email);
        final ErasureEvent opened = dev.lethe.schemas.crypto.Sealing.openEvent(event, dataKey);
        assertEquals(new Identifier("user_id", userId), opened.getSubject());
        assertEquals(List.of(new Identifier("email", email)), opened.getIdentifiers());
        assertThrows(AssertionError.class,
                () -> LedgerOutputs.assertNoRawIdentifier(opened, email.toUpperCase(Locale.ROOT)));
    }

    private static void assertAuditTrail(LedgerOutputs outputs, String id, String subjectKey, String userId,
                                         String email) {
        outputs.assertAuditSeqsGapless();
        final List<String> expected = new ArrayList<>(List.of("RECEIVED", "APPROVED"));
        ROUTED.forEach(system -> expected.add("DISPATCHED"));
        ROUTED.forEach(system -> expected.add("SYSTEM_DONE"));
        expected.add("COMPLETED");
        assertEquals(expected, outputs.auditTypes());
        for (ConsumerRecord<String, AuditFact> fact : outputs.audit()) {
            assertEquals(id, fact.key(), "audit facts are keyed by request id");
            assertEquals(subjectKey, fact.value().getSubjectKey());
            LedgerOutputs.assertNoRawIdentifier(fact.value(), userId, email);
        }
        assertEquals(RequestStatus.COMPLETED, outputs.facts().get(outputs.facts().size() - 1).getStatus());
    }

    private static void assertOneCompletedRecord(LedgerOutputs outputs, String id, String subjectKey, String userId,
                                                 String email) {
        assertEquals(1, outputs.dataset().size(), "dataset records: " + outputs.dataset());
        final ConsumerRecord<String, ErasureRecord> record = outputs.dataset().get(0);
        assertEquals(subjectKey, record.key());
        final ErasureRecord value = record.value();
        assertAll(
                () -> assertEquals(id, value.getRequestId()),
                () -> assertEquals(subjectKey, value.getSubjectKey()),
                () -> assertEquals(RequestStatus.COMPLETED, value.getStatus()),
                () -> assertEquals(List.of("email", "user_id"), value.getNamespaces()),
                () -> assertEquals(ROUTED, value.getSystems().stream().map(SystemOutcome::getName).toList()),
                () -> value.getSystems().forEach(system -> {
                    assertEquals(SystemStatus.DONE, system.getStatus());
                    assertEquals(ITEMS.get(system.getName()), system.getItemsErased());
                }),
                () -> assertNotNull(value.getFinishedAt()));
        LedgerOutputs.assertNoRawIdentifier(value, userId, email);
    }

    @Test
    void shouldKeepARequestNoSystemHoldsOpenWithoutACertificateUntilAnOfficerClosesIt() {
        // Given a request for a customer id, a namespace no registered system holds
        final Response filed = api.post("/v1/erasures", ApiClient.json(Map.of(
                "subject", Map.of("namespace", "customer_id", "value", "c-" + UUID.randomUUID()),
                "jurisdiction", "GDPR", "reason", "account_deleted", "source", "accounts-service")));
        assertEquals(202, filed.status(), filed.body());
        final String id = filed.json().path("id").asText();

        // Then, once the subject gate admitted it, it stays open, flagged for a person, and has no certificate
        final JsonNode request = api.awaitStatus(id, "IN_PROGRESS");
        assertEquals("[\"UNROUTED\"]", request.path("attention").toString());
        final Response certificate = api.get("/v1/erasures/" + id + "/certificate");
        assertEquals(409, certificate.status(), certificate.body());

        // When an officer retries it while still no system holds it, the retry is refused
        final Response retry = api.post("/v1/erasures/" + id + "/retry", "{}");
        assertEquals(409, retry.status(), retry.body());
        assertEquals("still_unrouted", retry.json().path("error").asText());

        // And when the officer closes it with a reason, it ends CANCELLED, still without a certificate
        final Response cancel = api.post("/v1/erasures/" + id + "/cancel",
                ApiClient.json(Map.of("reason", "customer ids are not held by any system yet")));
        assertEquals(202, cancel.status(), cancel.body());
        assertEquals("CANCELLED", cancel.json().path("status").asText(), cancel.body());
        assertEquals(409, api.get("/v1/erasures/" + id + "/certificate").status());
        final String trail = api.get("/v1/erasures/" + id + "/audit").body();
        assertTrue(trail.contains("\"type\":\"UNROUTED\"") && trail.contains("\"type\":\"CANCELLED\""), trail);
    }

    static String requestBody(String userId, String email, String jurisdiction) {
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("subject", Map.of("namespace", "user_id", "value", userId));
        body.put("identifiers", List.of(Map.of("namespace", "email", "value", email)));
        body.put("jurisdiction", jurisdiction);
        body.put("reason", "account_deleted");
        body.put("source", "accounts-service");
        return ApiClient.json(body);
    }

    static List<String> names(JsonNode request) {
        return StreamSupport.stream(request.path("systems").spliterator(), false)
                .map(system -> system.path("name").asText()).toList();
    }

    private static Set<String> fieldNames(JsonNode node) {
        final Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static void assertNoRawIdentifier(String body, String... raw) {
        final String text = body.toLowerCase(Locale.ROOT);
        for (String identifier : raw) {
            assertFalse(text.contains(identifier.toLowerCase(Locale.ROOT)), "raw identifier in " + body);
        }
    }
}
