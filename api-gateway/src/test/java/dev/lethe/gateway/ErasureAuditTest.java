package dev.lethe.gateway;

import static dev.lethe.gateway.Fixture.ADMIN;
import static dev.lethe.gateway.Fixture.APPROVER;
import static dev.lethe.gateway.Fixture.BILLING;
import static dev.lethe.gateway.Fixture.REQUEST_ID;
import static dev.lethe.gateway.Fixture.SUBMITTER;
import static dev.lethe.gateway.Fixture.assertError;
import static dev.lethe.gateway.Fixture.get;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lethe.gateway.http.ApiException;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ErasureAuditTest {

    private static final String PATH = "/v1/erasures/" + REQUEST_ID + "/audit";
    private static final String TRAIL = "[{\"seq\":1,\"at\":\"2026-03-01T09:00:00Z\",\"type\":\"RECEIVED\","
            + "\"actor\":\"submitter\",\"system\":null,\"detail\":\"jurisdiction GDPR\",\"status\":\"RECEIVED\"}]";

    private final Fixture fixture = new Fixture();

    @ParameterizedTest
    @ValueSource(strings = {SUBMITTER, APPROVER, ADMIN, BILLING})
    void shouldRelayTheAuditTrailToAnyRole(String token) {
        fixture.ledger.audits.put(REQUEST_ID, TRAIL);
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = get(client, PATH, token);

            assertEquals(200, response.code());
            assertEquals(TRAIL, response.body().string());
        });
    }

    @Test
    void shouldAnswer404ForAnUnknownRequest() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertError(get(client, PATH, SUBMITTER), 404, "not_found", null);
        });
    }

    @Test
    void shouldAnswer404ForAnIdThatIsNotAUuidWithoutAskingTheLedger() {
        fixture.ledger.readFailure = new IllegalStateException("the ledger must not be asked");
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertError(get(client, "/v1/erasures/not-a-uuid/audit", SUBMITTER), 404, "not_found", null);
        });
    }

    @Test
    void shouldAnswer503WithRetryAfterWhileTheLedgerStoreMigrates() {
        fixture.ledger.readFailure = ApiException.unavailable("migrating", 3);
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = get(client, PATH, SUBMITTER);

            assertError(response, 503, "unavailable", null);
            assertEquals(List.of("3"), response.headers().get("Retry-After"));
        });
    }

    @Test
    void shouldRefuseAMissingTokenWith401() {
        fixture.ledger.audits.put(REQUEST_ID, TRAIL);
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertError(get(client, PATH, null), 401, "unauthorized", null);
        });
    }
}
