package dev.lethe.gateway;

import static dev.lethe.gateway.Fixture.APPROVER;
import static dev.lethe.gateway.Fixture.REQUEST_ID;
import static dev.lethe.gateway.Fixture.SUBMITTER;
import static dev.lethe.gateway.Fixture.assertError;
import static dev.lethe.gateway.Fixture.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.avro.Covered;
import dev.lethe.avro.Replayed;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/erasures/{id}/systems/{system}/replay} and {@code …/cover} ({@code lethe replay},
 * {@code lethe cover}): a COMPLETED request gets a new obligation for one system.
 */
class ReplayDecisionsTest {

    private static final String BASE = "/v1/erasures/" + REQUEST_ID + "/systems/";

    private final Fixture fixture = new Fixture();

    @Test
    void shouldReplayACompletedRequestToASystemItTargeted() {
        fixture.ledger.requests.put(REQUEST_ID, FakeLedgerClient.requestInState(REQUEST_ID, "COMPLETED", "DONE",
                "billing"));
        fixture.ledger.afterWait.put(REQUEST_ID, FakeLedgerClient.requestInState(REQUEST_ID, "COMPLETED",
                "DISPATCHED", "billing"));
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = post(client, BASE + "billing/replay", APPROVER,
                    "{\"note\": \"restored from a backup of 2026-03-01\"}");

            assertEquals(202, response.code(), response.body().string());
            assertEquals(new Replayed("billing", "restored from a backup of 2026-03-01"),
                    fixture.events.decisions.get(0).getAction());
        });
    }

    @Test
    void refusesToReplayAnUnfinishedRequestOrASystemItNeverTargetedWithoutWriting() {
        fixture.ledger.requests.put(REQUEST_ID, FakeLedgerClient.requestInState(REQUEST_ID, "IN_PROGRESS", "DONE",
                "billing"));
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertError(post(client, BASE + "billing/replay", APPROVER, "{}"), 409, "invalid_transition", null);
            fixture.ledger.requests.put(REQUEST_ID, FakeLedgerClient.requestInState(REQUEST_ID, "COMPLETED", "DONE",
                    "billing"));
            assertError(post(client, BASE + "crm/replay", APPROVER, "{}"), 409, "invalid_transition", null);
            assertTrue(fixture.events.wroteNothing());
        });
    }

    @Test
    void shouldCoverASystemRegisteredLaterAndSayWhenTheLedgerDidNotApplyIt() {
        fixture.ledger.requests.put(REQUEST_ID, FakeLedgerClient.requestInState(REQUEST_ID, "COMPLETED", "DONE",
                "billing"));
        JavalinTest.test(fixture.app(), (server, client) -> {
            fixture.ledger.afterWait.put(REQUEST_ID, FakeLedgerClient.requestInState(REQUEST_ID, "COMPLETED", "DONE",
                    "billing"));
            assertError(post(client, BASE + "ads/cover", APPROVER, ""), 409, "not_applied", null);
            assertEquals(new Covered("ads", null), fixture.events.decisions.get(0).getAction());

            fixture.ledger.afterWait.put(REQUEST_ID, FakeLedgerClient.requestInState(REQUEST_ID, "COMPLETED",
                    "DISPATCHED", "warehouse"));
            final Response covered = post(client, BASE + "warehouse/cover", APPROVER, "");
            assertEquals(202, covered.code(), covered.body().string());
        });
    }

    @Test
    void refusesToCoverASystemTheRequestAlreadyTargetsOrForASubmitter() {
        fixture.ledger.requests.put(REQUEST_ID, FakeLedgerClient.requestInState(REQUEST_ID, "COMPLETED", "DONE",
                "billing"));
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertError(post(client, BASE + "billing/cover", APPROVER, ""), 409, "already_targeted", null);
            assertEquals(403, post(client, BASE + "warehouse/cover", SUBMITTER, "").code());
            assertTrue(fixture.events.wroteNothing());
        });
    }
}
