package dev.lethe.gateway;

import static dev.lethe.gateway.Fixture.ADMIN;
import static dev.lethe.gateway.Fixture.APPROVER;
import static dev.lethe.gateway.Fixture.BILLING;
import static dev.lethe.gateway.Fixture.REQUEST_ID;
import static dev.lethe.gateway.Fixture.SUBMITTER;
import static dev.lethe.gateway.Fixture.assertError;
import static dev.lethe.gateway.Fixture.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.gateway.http.ApiException;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ErasureStatusTest {

    private static final String PATH = "/v1/erasures/" + REQUEST_ID;

    private final Fixture fixture = new Fixture();

    @ParameterizedTest
    @ValueSource(strings = {SUBMITTER, APPROVER, ADMIN, BILLING})
    void shouldRelayTheLedgerAnswerAsItIsToAnyRole(String token) {
        final String ledgerJson = "{\"id\":\"" + REQUEST_ID + "\",\"status\":\"IN_PROGRESS\",\"future\":{\"x\":1}}";
        fixture.ledger.requests.put(REQUEST_ID, ledgerJson);
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = get(client, PATH, token);

            assertEquals(200, response.code());
            assertEquals(ledgerJson, response.body().string());
            assertTrue(response.headers().get("Content-Type").get(0).startsWith("application/json"));
        });
    }

    @Test
    void shouldFindARequestByItsIdInUpperCase() {
        fixture.ledger.requests.put(REQUEST_ID, FakeLedgerClient.requestJson(REQUEST_ID));
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertEquals(200, get(client, "/v1/erasures/" + REQUEST_ID.toUpperCase(), SUBMITTER).code());
        });
    }

    @Test
    void shouldAnswer404ForARequestTheLedgerDoesNotKnow() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertError(get(client, PATH, SUBMITTER), 404, "not_found", null);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-a-uuid", "1-1-1-1-1", "6f1c2a3e8b4d4c5e9f60718293a4b5c6"})
    void shouldAnswer404ForAnIdThatIsNotAUuidWithoutAskingTheLedger(String id) {
        fixture.ledger.readFailure = new IllegalStateException("the ledger must not be asked");
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertError(get(client, "/v1/erasures/" + id, SUBMITTER), 404, "not_found", null);
        });
    }

    @Test
    void shouldAnswer503WithRetryAfterWhileTheLedgerStoreMigrates() {
        fixture.ledger.readFailure = ApiException.unavailable("migrating", 7);
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = get(client, PATH, SUBMITTER);

            assertError(response, 503, "unavailable", null);
            assertEquals(List.of("7"), response.headers().get("Retry-After"));
        });
    }

    @Test
    void shouldRefuseAMissingTokenWith401() {
        fixture.ledger.requests.put(REQUEST_ID, FakeLedgerClient.requestJson(REQUEST_ID));
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertError(get(client, PATH, null), 401, "unauthorized", null);
        });
    }

    @Test
    void shouldRefuseAnUnknownTokenWith401() {
        fixture.ledger.requests.put(REQUEST_ID, FakeLedgerClient.requestJson(REQUEST_ID));
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertError(get(client, PATH, "wrong-token-0000000000000"), 401, "unauthorized", null);
        });
    }
}
