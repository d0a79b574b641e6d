package dev.lethe.gateway;

import static dev.lethe.gateway.Fixture.ADMIN;
import static dev.lethe.gateway.Fixture.APPROVER;
import static dev.lethe.gateway.Fixture.NOW;
import static dev.lethe.gateway.Fixture.REQUEST_ID;
import static dev.lethe.gateway.Fixture.assertError;
import static dev.lethe.gateway.Fixture.json;
import static dev.lethe.gateway.Fixture.post;
import static dev.lethe.gateway.Fixture.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.avro.Approved;
import dev.lethe.avro.Cancelled;
import dev.lethe.avro.DeadlineExtended;
import dev.lethe.avro.Decision;
import dev.lethe.avro.Rejected;
import dev.lethe.avro.RetryFailed;
import dev.lethe.avro.RetryRequested;
import dev.lethe.gateway.http.ApiException;
import dev.lethe.schemas.Topics;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErasureDecisionsTest {

    private static final String BASE = "/v1/erasures/" + REQUEST_ID;

    private final Fixture fixture = new Fixture();

    private void requestIs(String status, String systemStatus) {
        fixture.ledger.requests.put(REQUEST_ID,
                FakeLedgerClient.requestInState(REQUEST_ID, status, systemStatus, "billing", "crm"));
    }

    @Test
    void shouldWriteApprovedWithTheApproverAsActorAndWaitForTheLedger() {
        requestIs("PENDING_APPROVAL", "PENDING");
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = post(client, BASE + "/approve", APPROVER, "{\"note\": \"checked the ID\"}");

            final JsonNode body = json(response);
            assertEquals(202, response.code(), body::toString);
            assertEquals(REQUEST_ID, body.path("id").asText());
            assertEquals("PENDING_APPROVAL", body.path("status").asText());
            final Decision decision = fixture.events.decisions.get(0);
            assertEquals(REQUEST_ID, decision.getRequestId());
            assertEquals("approver", decision.getActor());
            assertEquals(NOW, decision.getAt());
            assertEquals(new Approved("checked the ID"), decision.getAction());
            assertEquals(Topics.DECISIONS, fixture.ledger.waits.get(0).position().topic());
        });
    }

    @Test
    void shouldApproveWithAnEmptyBody() {
        requestIs("PENDING_APPROVAL", "PENDING");
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertEquals(202, send(client, "POST", BASE + "/approve", ADMIN, null).code());
            assertEquals(new Approved(null), fixture.events.decisions.get(0).getAction());
            assertEquals("admin", fixture.events.decisions.get(0).getActor());
        });
    }

    @Test
    void shouldWriteRejectedAndCancelledWithTheirReasons() {
        requestIs("SCHEDULED", "PENDING");
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertEquals(202, post(client, BASE + "/reject", APPROVER, "{\"reason\": \"not our customer\"}").code());
            assertEquals(202, post(client, BASE + "/cancel", APPROVER, "{\"reason\": \"withdrawn\"}").code());

            assertEquals(new Rejected("not our customer"), fixture.events.decisions.get(0).getAction());
            assertEquals(new Cancelled("withdrawn"), fixture.events.decisions.get(1).getAction());
        });
    }

    @Test
    void shouldWriteDeadlineExtendedWithOrWithoutDays() {
        requestIs("IN_PROGRESS", "DISPATCHED");
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertEquals(202, post(client, BASE + "/extend", APPROVER, "{\"reason\": \"complex\", \"days\": 30}").code());
            assertEquals(202, post(client, BASE + "/extend", APPROVER, "{\"reason\": \"complex\"}").code());

            assertEquals(new DeadlineExtended("complex", 30), fixture.events.decisions.get(0).getAction());
            assertEquals(new DeadlineExtended("complex", null), fixture.events.decisions.get(1).getAction());
        });
    }

    @Test
    void shouldRetryOneFailedSystemAndEveryFailedSystem() {
        requestIs("IN_PROGRESS", "FAILED");
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertEquals(202, send(client, "POST", BASE + "/systems/billing/retry", APPROVER, null).code());
            assertEquals(202, post(client, BASE + "/retry", APPROVER, "{\"note\": \"partner fixed it\"}").code());

            assertEquals(new RetryRequested("billing"), fixture.events.decisions.get(0).getAction());
            assertEquals(new RetryFailed("partner fixed it"), fixture.events.decisions.get(1).getAction());
        });
    }

    @Test
    void shouldReportTheStatusTheLedgerConfirms() {
        requestIs("PENDING_APPROVAL", "PENDING");
        fixture.ledger.afterWait.put(REQUEST_ID, FakeLedgerClient.requestInState(REQUEST_ID, "SCHEDULED", "PENDING",
                "billing"));
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = post(client, BASE + "/approve", APPROVER, "{}");

            assertEquals("SCHEDULED", json(response).path("status").asText());
        });
    }

    @ParameterizedTest(name = "{0} a {1} request (systems {2})")
    @CsvSource({
        "approve, IN_PROGRESS, DISPATCHED, {}",
        "approve, RECEIVED, PENDING, {}",
        "reject, IN_PROGRESS, DISPATCHED, '{\"reason\": \"r\"}'",
        "reject, COMPLETED, DONE, '{\"reason\": \"r\"}'",
        "cancel, IN_PROGRESS, DISPATCHED, '{\"reason\": \"r\"}'",
        "cancel, CANCELLED, PENDING, '{\"reason\": \"r\"}'",
        "extend, COMPLETED, DONE, '{\"reason\": \"r\"}'",
        "extend, REJECTED, PENDING, '{\"reason\": \"r\"}'",
        "retry, IN_PROGRESS, DISPATCHED, {}",
        "retry, COMPLETED, DONE, {}",
        "systems/billing/retry, IN_PROGRESS, DONE, {}",
        "systems/billing/retry, SCHEDULED, FAILED, {}"
    })
    void shouldRefuseATransitionTheStateDoesNotAllowWith409WithoutWriting(String action, String status,
                                                                          String systemStatus, String body) {
        requestIs(status, systemStatus);
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertError(post(client, BASE + "/" + action, APPROVER, body), 409, "invalid_transition", null);
            assertTrue(fixture.events.wroteNothing());
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"approve", "reject", "cancel", "extend", "retry", "systems/billing/retry"})
    void shouldAnswer404ForAnUnknownRequestWithoutWriting(String action) {
        final String body = action.equals("reject") || action.equals("cancel") || action.equals("extend")
                ? "{\"reason\": \"r\"}" : "{}";
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertError(post(client, BASE + "/" + action, APPROVER, body), 404, "not_found", null);
            assertError(post(client, "/v1/erasures/not-a-uuid/" + action, APPROVER, body), 404, "not_found", null);
            assertTrue(fixture.events.wroteNothing());
        });
    }

    @Test
    void shouldAnswer404WhenTheRetriedSystemIsNotATarget() {
        requestIs("IN_PROGRESS", "FAILED");
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertError(post(client, BASE + "/systems/analytics/retry", APPROVER, "{}"), 404, "not_found", null);
            assertTrue(fixture.events.wroteNothing());
        });
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "reject | {}                                       | missing_field  | reason",
        "cancel | '{\"reason\": \"  \"}'                  | invalid_value  | reason",
        "extend | '{\"reason\": \"r\", \"days\": 0}'       | invalid_value  | days",
        "extend | '{\"reason\": \"r\", \"days\": 366}'     | invalid_value  | days",
        "extend | '{\"reason\": \"r\", \"days\": \"30\"}'  | invalid_type   | days",
        "extend | '{\"days\": 30}'                        | missing_field  | reason",
        "approve | '{\"note\": 5}'                        | invalid_type   | note",
        "approve | '{\"colour\": \"red\"}'                | unknown_field  | colour",
        "retry  | '{\"note\": \"\"}'                      | invalid_value  | note",
        "systems/billing/retry | '{\"force\": true}'      | unknown_field  | force",
        "reject | '{\"reason\": '                         | malformed_json | "
    })
    void shouldRefuseABadBodyWith400WithoutWriting(String action, String body, String code, String field) {
        requestIs("PENDING_APPROVAL", "FAILED");
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertError(post(client, BASE + "/" + action, APPROVER, body), 400, code, field);
            assertTrue(fixture.events.wroteNothing());
        });
    }

    @Test
    void shouldAnswer503WithRetryAfterWhileTheRequestsStoreMigrates() {
        fixture.ledger.readFailure = ApiException.unavailable("migrating", 4);
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = post(client, BASE + "/approve", APPROVER, "{}");

            assertError(response, 503, "unavailable", null);
            assertEquals("4", response.headers().get("Retry-After").get(0));
            assertTrue(fixture.events.wroteNothing());
        });
    }

    @Test
    void shouldStillAccept202WhenTheLedgerDoesNotConfirmInTime() {
        requestIs("PENDING_APPROVAL", "PENDING");
        fixture.ledger.waitFailure = ApiException.unavailable("not caught up", 1);
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = post(client, BASE + "/approve", APPROVER, "{}");

            assertEquals(202, response.code());
            assertEquals("PENDING_APPROVAL", json(response).path("status").asText());
            assertInstanceOf(Approved.class, fixture.events.decisions.get(0).getAction());
            assertNull(((Approved) fixture.events.decisions.get(0).getAction()).getNote());
        });
    }
}
