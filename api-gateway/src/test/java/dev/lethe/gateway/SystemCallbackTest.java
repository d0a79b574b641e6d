package dev.lethe.gateway;

import static dev.lethe.gateway.Fixture.ADMIN;
import static dev.lethe.gateway.Fixture.APPROVER;
import static dev.lethe.gateway.Fixture.BILLING;
import static dev.lethe.gateway.Fixture.CONFIRM_WAIT;
import static dev.lethe.gateway.Fixture.CRM;
import static dev.lethe.gateway.Fixture.NOW;
import static dev.lethe.gateway.Fixture.REQUEST_ID;
import static dev.lethe.gateway.Fixture.SUBMITTER;
import static dev.lethe.gateway.Fixture.assertError;
import static dev.lethe.gateway.Fixture.json;
import static dev.lethe.gateway.Fixture.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.avro.CallbackOutcome;
import dev.lethe.avro.SystemCallback;
import dev.lethe.gateway.http.ApiException;
import dev.lethe.gateway.http.JsonBody;
import dev.lethe.schemas.Topics;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SystemCallbackTest {

    private static final String BILLING_PATH = "/v1/erasures/" + REQUEST_ID + "/systems/billing/callback";
    private static final String DONE = """
            {"outcome": "DONE", "itemsErased": 12, "detail": "rows deleted from billing.invoices", "legalBasis": null}""";

    private final Fixture fixture = new Fixture();

    @BeforeEach
    void requestTargetsBillingAndCrm() {
        fixture.ledger.requests.put(REQUEST_ID, FakeLedgerClient.requestJson(REQUEST_ID, "billing", "crm"));
    }

    @Test
    void shouldWriteThePartnersCallbackAndAnswer202() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = post(client, BILLING_PATH, BILLING, DONE);

            final JsonNode body = json(response);
            assertEquals(202, response.code(), body::toString);
            assertEquals(REQUEST_ID, body.path("id").asText());
            assertEquals("billing", body.path("system").asText());
            assertEquals("DONE", body.path("outcome").asText());
            assertEquals(1, fixture.events.callbacks.size());
            final SystemCallback written = fixture.events.callbacks.get(0);
            assertEquals(REQUEST_ID, written.getRequestId());
            assertEquals("billing", written.getSystem());
            assertEquals(CallbackOutcome.DONE, written.getOutcome());
            assertEquals(12L, written.getItemsErased());
            assertEquals("rows deleted from billing.invoices", written.getDetail());
            assertNull(written.getLegalBasis());
            assertEquals("partner:billing", written.getActor());
            assertEquals(NOW, written.getAt());
            assertEquals(36, written.getEventId().length());
        });
    }

    @Test
    void shouldWaitForTheLedgerToApplyTheCallback() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertEquals(202, post(client, BILLING_PATH, BILLING, DONE).code());

            final FakeLedgerClient.Wait wait = fixture.ledger.waits.get(0);
            assertEquals(REQUEST_ID, wait.id());
            assertEquals(Topics.CALLBACKS, wait.position().topic());
            assertEquals(0L, wait.position().offset());
            assertEquals(CONFIRM_WAIT, wait.timeout());
        });
    }

    @Test
    void shouldStillAcceptWhenTheLedgerDoesNotApplyItInTime() {
        fixture.ledger.waitFailure = ApiException.unavailable("not caught up", 1);
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertEquals(202, post(client, BILLING_PATH, BILLING, DONE).code());
            assertEquals(1, fixture.events.callbacks.size());
        });
    }

    @Test
    void shouldLetAdminReportForAnySystem() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            final String path = "/v1/erasures/" + REQUEST_ID + "/systems/crm/callback";
            assertEquals(202, post(client, path, ADMIN, "{\"outcome\": \"NOT_FOUND\"}").code());

            assertEquals("admin", fixture.events.callbacks.get(0).getActor());
            assertEquals(CallbackOutcome.NOT_FOUND, fixture.events.callbacks.get(0).getOutcome());
        });
    }

    @Test
    void shouldAcceptRetainedWithALegalBasis() {
        final String body = "{\"outcome\": \"RETAINED\", \"legalBasis\": \"tax law: invoices kept 10 years\"}";
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertEquals(202, post(client, BILLING_PATH, BILLING, body).code());

            assertEquals("tax law: invoices kept 10 years", fixture.events.callbacks.get(0).getLegalBasis());
        });
    }

    @Test
    void shouldRefuseAMissingTokenWith401WithoutWriting() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertError(post(client, BILLING_PATH, null, DONE), 401, "unauthorized", null);
            assertTrue(fixture.events.wroteNothing());
        });
    }

    @Test
    void shouldRefuseAnUnknownTokenWith401WithoutWriting() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertError(post(client, BILLING_PATH, "wrong-token-0000000000000", DONE), 401, "unauthorized", null);
            assertTrue(fixture.events.wroteNothing());
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {CRM, SUBMITTER, APPROVER})
    void shouldForbidAnyoneButThePartnerOfThatSystemAndAdminWithoutWriting(String token) {
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertError(post(client, BILLING_PATH, token, DONE), 403, "forbidden", null);
            assertTrue(fixture.events.wroteNothing());
        });
    }

    @Test
    void shouldRefuseAnUnregisteredSystemWithoutWriting() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            final String path = "/v1/erasures/" + REQUEST_ID + "/systems/warehouse/callback";
            assertError(post(client, path, ADMIN, DONE), 400, "unknown_system", null);
            assertTrue(fixture.events.wroteNothing());
        });
    }

    @Test
    void shouldAnswer404ForAnUnknownRequestWithoutWriting() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            final String path = "/v1/erasures/0b1c2a3e-8b4d-4c5e-9f60-718293a4b5c6/systems/billing/callback";
            assertError(post(client, path, BILLING, DONE), 404, "not_found", null);
            assertTrue(fixture.events.wroteNothing());
        });
    }

    @Test
    void shouldAnswer404ForAnIdThatIsNotAUuidWithoutWriting() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertError(post(client, "/v1/erasures/nope/systems/billing/callback", BILLING, DONE), 404, "not_found",
                    null);
            assertTrue(fixture.events.wroteNothing());
        });
    }

    @Test
    void shouldAnswer409WhenTheSystemIsNotATargetOfTheRequestWithoutWriting() {
        fixture.ledger.requests.put(REQUEST_ID, FakeLedgerClient.requestJson(REQUEST_ID, "crm"));
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertError(post(client, BILLING_PATH, BILLING, DONE), 409, "conflict", null);
            assertTrue(fixture.events.wroteNothing());
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"RECEIVED", "PENDING_APPROVAL", "SCHEDULED"})
    void shouldKeepACallbackThatArrivesBeforeTheRequestIsRouted(String status) {
        // Given a request not routed yet: waiting at the subject gate, for an approver, or in its grace period
        fixture.ledger.requests.put(REQUEST_ID, FakeLedgerClient.requestInState(REQUEST_ID, status, "PENDING"));
        JavalinTest.test(fixture.app(), (server, client) -> {
            // When its partner answers early, Then the callback is written for the ledger to keep until dispatch
            final Response response = post(client, BILLING_PATH, BILLING, DONE);

            assertEquals(202, response.code(), response.body().string());
            assertEquals(1, fixture.events.callbacks.size());
        });
    }

    @Test
    void shouldAnswer409WhenAFinishedOrUnroutedRequestDoesNotTargetTheSystem() {
        for (String status : List.of("CANCELLED", "REJECTED", "IN_PROGRESS")) {
            fixture.ledger.requests.put(REQUEST_ID, FakeLedgerClient.requestInState(REQUEST_ID, status, "PENDING"));
            JavalinTest.test(fixture.app(), (server, client) ->
                    assertError(post(client, BILLING_PATH, BILLING, DONE), 409, "conflict", null));
        }
        assertTrue(fixture.events.wroteNothing());
    }

    @Test
    void shouldAnswer503WithRetryAfterWhenTheLedgerCannotAnswerWithoutWriting() {
        fixture.ledger.readFailure = ApiException.unavailable("ledger unreachable", 5);
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = post(client, BILLING_PATH, BILLING, DONE);

            assertError(response, 503, "unavailable", null);
            assertEquals(List.of("5"), response.headers().get("Retry-After"));
            assertTrue(fixture.events.wroteNothing());
        });
    }

    @Test
    void shouldRefuseBodyOver64KiBWithoutWriting() {
        final String body = ErasureIntakeTest.padded(DONE, JsonBody.MAX_BYTES + 1);
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertError(post(client, BILLING_PATH, BILLING, body), 400, "body_too_large", null);
            assertTrue(fixture.events.wroteNothing());
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidBodies")
    void shouldRefuseInvalidBodyWithoutWriting(String description, String body, String code, String field) {
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertError(post(client, BILLING_PATH, BILLING, body), 400, code, field);
            assertTrue(fixture.events.wroteNothing());
        });
    }

    static Stream<Arguments> invalidBodies() {
        return Stream.of(
                Arguments.of("malformed JSON", "{\"outcome\": DONE}", "malformed_json", null),
                Arguments.of("missing outcome", "{\"itemsErased\": 1}", "missing_field", "outcome"),
                Arguments.of("unknown outcome", "{\"outcome\": \"ERASED\"}", "invalid_value", "outcome"),
                Arguments.of("outcome a number", "{\"outcome\": 1}", "invalid_type", "outcome"),
                Arguments.of("retained without legal basis", "{\"outcome\": \"RETAINED\"}", "missing_field",
                        "legalBasis"),
                Arguments.of("retained with a blank legal basis", "{\"outcome\": \"RETAINED\", \"legalBasis\": \" \"}",
                        "invalid_value", "legalBasis"),
                Arguments.of("negative items erased", "{\"outcome\": \"DONE\", \"itemsErased\": -1}", "invalid_value",
                        "itemsErased"),
                Arguments.of("fractional items erased", "{\"outcome\": \"DONE\", \"itemsErased\": 1.5}",
                        "invalid_type", "itemsErased"),
                Arguments.of("items erased a string", "{\"outcome\": \"DONE\", \"itemsErased\": \"12\"}",
                        "invalid_type", "itemsErased"),
                Arguments.of("detail too long", "{\"outcome\": \"DONE\", \"detail\": \"" + "d".repeat(4097) + "\"}",
                        "invalid_value", "detail"),
                Arguments.of("unknown field", "{\"outcome\": \"DONE\", \"items\": 3}", "unknown_field", "items"));
    }
}
