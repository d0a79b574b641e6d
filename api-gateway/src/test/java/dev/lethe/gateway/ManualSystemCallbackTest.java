package dev.lethe.gateway;

import static dev.lethe.gateway.Fixture.APPROVER;
import static dev.lethe.gateway.Fixture.BILLING;
import static dev.lethe.gateway.Fixture.REQUEST_ID;
import static dev.lethe.gateway.Fixture.assertError;
import static dev.lethe.gateway.Fixture.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.avro.CallbackOutcome;
import io.javalin.testtools.JavalinTest;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ManualSystemCallbackTest {

    private static final String PAPER = "/v1/erasures/" + REQUEST_ID + "/systems/paper-archive/callback";

    private final Fixture fixture = new Fixture();

    @BeforeEach
    void registerAManualSystem() {
        fixture.ledger.systems = List.of(FakeLedgerClient.registered("billing"),
                FakeLedgerClient.registered("paper-archive", "manual"));
        fixture.ledger.requests.put(REQUEST_ID, FakeLedgerClient.requestJson(REQUEST_ID, "billing", "paper-archive"));
    }

    @Test
    void shouldLetAnApproverCompleteAManualSystemWithEvidence() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            final var response = post(client, PAPER, APPROVER,
                    "{\"outcome\": \"DONE\", \"detail\": \"shredded folder 18 on 2026-03-01, witness J. Park\"}");

            assertEquals(202, response.code());
            assertEquals(CallbackOutcome.DONE, fixture.events.callbacks.get(0).getOutcome());
            assertEquals("approver", fixture.events.callbacks.get(0).getActor());
        });
    }

    @Test
    void shouldRefuseAManualDoneOrNotFoundWithoutEvidence() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertError(post(client, PAPER, APPROVER, "{\"outcome\": \"DONE\"}"), 400, "missing_field", "detail");
            assertError(post(client, PAPER, APPROVER, "{\"outcome\": \"NOT_FOUND\"}"), 400, "missing_field",
                    "detail");
            assertTrue(fixture.events.wroteNothing());
        });
    }

    @Test
    void shouldForbidAnApproverOnASystemThatIsNotManual() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertError(post(client, "/v1/erasures/" + REQUEST_ID + "/systems/billing/callback", APPROVER,
                    "{\"outcome\": \"DONE\", \"detail\": \"x\"}"), 403, "forbidden", null);
            assertTrue(fixture.events.wroteNothing());
        });
    }

    @Test
    void shouldForbidAnotherSystemsPartnerOnAManualSystem() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertError(post(client, PAPER, BILLING, "{\"outcome\": \"DONE\", \"detail\": \"x\"}"), 403, "forbidden",
                    null);
            assertTrue(fixture.events.wroteNothing());
        });
    }
}
