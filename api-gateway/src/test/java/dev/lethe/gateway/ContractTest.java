package dev.lethe.gateway;

import static dev.lethe.gateway.Fixture.ADMIN;
import static dev.lethe.gateway.Fixture.APPROVER;
import static dev.lethe.gateway.Fixture.BILLING;
import static dev.lethe.gateway.Fixture.REQUEST_ID;
import static dev.lethe.gateway.Fixture.SUBMITTER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.gateway.contract.OpenApiContract;
import dev.lethe.gateway.ledger.LedgerHealth;
import io.javalin.testtools.JavalinTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The served {@code /openapi.json} describes what the gateway answers: every documented answer has
 * a schema, answers shaped as the ledger writes them (nulls included) keep it, and an answer that
 * drifts (a field lost, a field added, a status unknown) does not.
 */
class ContractTest {

    /** A request as the ledger's query server writes it (RequestView, nulls included). */
    static final String REQUEST = """
            {"id": "%s", "status": "IN_PROGRESS", "subjectKey": "25de98", "jurisdiction": "GDPR",
             "reason": "account_deleted", "source": "accounts-service", "requestedAt": "2026-03-01T10:15:30.123Z",
             "deadline": "2026-03-31T10:15:30.123Z", "finishedAt": null, "overdue": false,
             "systems": [{"name": "billing", "status": "FAILED", "attempts": 2, "updatedAt": "2026-03-01T10:16:00Z",
                          "itemsErased": null, "detail": null, "legalBasis": null, "deadline": "2026-03-15T10:15:30Z"},
                         {"name": "crm", "status": "DONE", "attempts": 1, "updatedAt": "2026-03-01T10:16:00Z",
                          "itemsErased": 12, "detail": "rows deleted", "legalBasis": null, "deadline": null}],
             "scope": null, "fingerprint": "f00d"}""".formatted(REQUEST_ID);
    /** An audit trail as the ledger writes it (AuditView). */
    static final String AUDIT = """
            [{"seq": 1, "at": "2026-03-01T10:15:30.123Z", "type": "RECEIVED", "actor": "admin", "system": null,
              "detail": null, "status": "RECEIVED", "prevHash": null, "hash": "e708"},
             {"seq": 2, "at": "2026-03-01T10:15:31Z", "type": "DISPATCHED", "actor": "lethe", "system": "billing",
              "detail": "holds user_id", "status": "IN_PROGRESS", "prevHash": "e708", "hash": "91ab"}]""";

    private final Fixture fixture = new Fixture();

    private OpenApiContract contract() {
        final String[] document = new String[1];
        JavalinTest.test(fixture.app(), (server, client) -> document[0] = client.get("/openapi.json").body().string());
        return OpenApiContract.parse(document[0]);
    }

    @Test
    void shouldDocumentASchemaForEveryAnswerOfEveryRoute() {
        final JsonNode paths = Fixture.parse(OpenApiContractText.of(fixture)).path("paths");
        final List<String> missing = new ArrayList<>();
        for (final Iterator<Map.Entry<String, JsonNode>> path = paths.fields(); path.hasNext(); ) {
            final Map.Entry<String, JsonNode> entry = path.next();
            entry.getValue().fields().forEachRemaining(operation -> operation.getValue().path("responses").fields()
                    .forEachRemaining(response -> {
                        final JsonNode content = response.getValue().path("content");
                        if (!content.fields().hasNext() || !content.fields().next().getValue().has("schema")) {
                            missing.add(operation.getKey() + " " + entry.getKey() + " " + response.getKey());
                        }
                    }));
        }
        assertEquals(List.of(), missing);
        assertTrue(paths.size() > 10);
    }

    @Test
    void shouldServeAnswersThatKeepTheContract() {
        fixture.ledger.requests.put(REQUEST_ID, REQUEST);
        fixture.ledger.audits.put(REQUEST_ID, AUDIT);
        fixture.ledger.pages = query -> "{\"items\": [" + REQUEST + "], \"next\": null}";
        fixture.ledger.registrations.put("billing", "{\"name\": \"billing\", \"owner\": \"o\", \"contact\": \"c\", "
                + "\"mode\": \"event\", \"namespaces\": [\"user_id\"], \"jurisdictions\": [], \"tags\": [], "
                + "\"slaDays\": 30, \"reminderHours\": 24, \"maxAttempts\": 5}");
        final OpenApiContract contract = contract();
        final List<String> violations = new ArrayList<>();
        JavalinTest.test(fixture.app(), (server, client) -> {
            final String id = "/v1/erasures/" + REQUEST_ID;
            check(contract, violations, server.port(), "GET", id, SUBMITTER, null, 200);
            check(contract, violations, server.port(), "GET", "/v1/erasures?limit=5", SUBMITTER, null, 200);
            check(contract, violations, server.port(), "GET", id + "/audit", SUBMITTER, null, 200);
            check(contract, violations, server.port(), "GET", "/v1/systems", SUBMITTER, null, 200);
            check(contract, violations, server.port(), "GET", "/v1/systems/billing", SUBMITTER, null, 200);
            check(contract, violations, server.port(), "GET", "/v1/subjects/user_id/u-1", SUBMITTER, null, 200);
            check(contract, violations, server.port(), "GET", "/health", null, null, 200);
            check(contract, violations, server.port(), "POST", "/v1/erasures", SUBMITTER,
                    MalformedInputTest.intakeWith(""), 202);
            check(contract, violations, server.port(), "POST", id + "/systems/billing/retry", APPROVER, "", 202);
            check(contract, violations, server.port(), "POST", id + "/systems/crm/callback", ADMIN,
                    "{\"outcome\": \"DONE\", \"itemsErased\": 3}", 202);
            check(contract, violations, server.port(), "POST", "/v1/erasures/retry", APPROVER, "{}", 202);
            check(contract, violations, server.port(), "DELETE", "/v1/systems/billing", ADMIN, null, 202);
            check(contract, violations, server.port(), "GET", id + "/certificate", SUBMITTER, null, 409);
            check(contract, violations, server.port(), "POST", "/v1/erasures", SUBMITTER, "{}", 400);
            check(contract, violations, server.port(), "GET", id, null, null, 401);
            check(contract, violations, server.port(), "POST", id + "/approve", BILLING, "", 403);
            check(contract, violations, server.port(), "GET", "/v1/erasures/nope", SUBMITTER, null, 404);
        });
        assertEquals(List.of(), violations);
    }

    @Test
    void shouldAnswerReadinessWhileTheLedgerDoesNotRunInTheShapeTheContractDocuments() {
        fixture.ledger.health = new LedgerHealth(false, "REBALANCING");
        final OpenApiContract contract = contract();
        final List<String> violations = new ArrayList<>();
        JavalinTest.test(fixture.app(), (server, client) -> {
            check(contract, violations, server.port(), "GET", "/health", null, null, 503);
            check(contract, violations, server.port(), "GET", "/readyz", null, null, 503);
        });
        assertEquals(List.of(), violations);
    }

    @Test
    void shouldFindAnAnswerThatDriftsFromTheContract() {
        final OpenApiContract contract = contract();
        final JsonNode entry = Fixture.parse(AUDIT).get(0);

        assertEquals(List.of(), contract.violationsOf("AuditEntry", entry.toString()));
        assertFalse(contract.violationsOf("AuditEntry", ((com.fasterxml.jackson.databind.node.ObjectNode)
                entry.deepCopy()).without("hash").toString()).isEmpty(), "a lost field");
        assertFalse(contract.violationsOf("AuditEntry", ((com.fasterxml.jackson.databind.node.ObjectNode)
                entry.deepCopy()).put("colour", "red").toString()).isEmpty(), "an undeclared field");
        assertFalse(contract.violationsOf("RequestView", REQUEST.replace("IN_PROGRESS", "DONE")).isEmpty(),
                "an unknown status");
        assertFalse(contract.violations("GET", "/v1/erasures/" + REQUEST_ID, 418, "application/json", "{}")
                .isEmpty(), "an undocumented status");
    }

    private static void check(OpenApiContract contract, List<String> violations, int port, String method,
                              String target, String token, String body, int expected) {
        final Map<String, String> headers = new java.util.LinkedHashMap<>();
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        if (body != null && !body.isEmpty()) {
            headers.put("Content-Type", "application/json");
        }
        final RawHttp.Answer answer = RawHttp.send(port, method, target, headers,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8));
        assertEquals(expected, answer.status(), () -> method + " " + target + ": " + answer.body());
        violations.addAll(contract.violations(method, target, answer.status(), "application/json", answer.body()));
    }

    /** The served document's text. */
    static final class OpenApiContractText {
        static String of(Fixture fixture) {
            final String[] document = new String[1];
            JavalinTest.test(fixture.app(), (server, client) ->
                    document[0] = client.get("/openapi.json").body().string());
            return document[0];
        }
    }
}
