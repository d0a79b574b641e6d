package dev.lethe.gateway;

import static dev.lethe.gateway.Fixture.ADMIN;
import static dev.lethe.gateway.Fixture.APPROVER;
import static dev.lethe.gateway.Fixture.BILLING;
import static dev.lethe.gateway.Fixture.SUBMITTER;
import static dev.lethe.gateway.Fixture.assertError;
import static dev.lethe.gateway.Fixture.get;
import static dev.lethe.gateway.Fixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.gateway.http.ApiException;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the web console reads besides the request API: {@code GET /v1/me} (who the token is and
 * what it may do), {@code GET /v1/stats} (the programme's counts, from the ledger's stats), and
 * its static files under {@code /console/}.
 */
class ConsoleApiTest {

    private final Fixture fixture = new Fixture();

    @Test
    void shouldTellEachRoleWhatItMayDo() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertEquals(List.of("decide", "complete_manual"), may(get(client, "/v1/me", APPROVER)));
            assertEquals(List.of("submit", "lookup"), may(get(client, "/v1/me", SUBMITTER)));
            assertEquals(List.of("submit", "lookup", "decide", "complete_manual", "manage_systems"),
                    may(get(client, "/v1/me", ADMIN)));
            final JsonNode partner = json(get(client, "/v1/me", BILLING));
            assertEquals("partner:billing", partner.path("role").asText());
            assertEquals("billing", partner.path("system").asText());
            assertEquals("report", partner.path("may").get(0).asText());
            assertEquals("approver", json(get(client, "/v1/me", APPROVER)).path("role").asText());
        });
    }

    @Test
    void shouldNameTheVocabularyTheTokenMayUse() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            final JsonNode me = json(get(client, "/v1/me", APPROVER));

            assertEquals("user_id", me.path("namespaces").get(0).asText());
            assertEquals("GDPR", me.path("jurisdictions").get(0).asText());
        });
    }

    @Test
    void refusesToSayWhoAMissingTokenIs() {
        JavalinTest.test(fixture.app(), (server, client) ->
                assertError(get(client, "/v1/me", null), 401, "unauthorized", null));
    }

    @Test
    void shouldSumTheLedgersCountsIntoTheProgrammeAtAGlanceWithDailyFigures() {
        fixture.ledger.stats = """
                {"byStatus": {"PENDING_APPROVAL": 2, "IN_PROGRESS": 3, "SCHEDULED": 1, "COMPLETED": 7,
                              "COMPLETED_WITH_EXCEPTIONS": 1, "CANCELLED": 4},
                 "overdue": 1, "pendingBySystem": {"billing": 2, "crm": 1}, "needsAttention": 2,
                 "attention": {"UNROUTED": 1, "CONTRADICTED": 1}, "dueSoon": 3,
                 "filedByDay": {"2026-02-28": 5, "2026-03-01": 2},
                 "finishedByDay": {"2026-02-28": {"COMPLETED": 4, "CANCELLED": 4},
                                   "2026-03-01": {"COMPLETED": 3, "COMPLETED_WITH_EXCEPTIONS": 1}},
                 "answersBySystem": {"billing": {"answered": 4, "answerSeconds": 36000}, "crm": {"answerSeconds": 5}},
                 "instances": [{"server": "ledger-1:8082", "state": "RUNNING"}]}""";
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = get(client, "/v1/stats", APPROVER);

            assertEquals(200, response.code());
            final JsonNode stats = json(response);
            assertEquals(6, stats.path("open").asLong());
            assertEquals(1, stats.path("overdue").asLong());
            assertEquals(2, stats.path("pendingApproval").asLong());
            assertEquals(2, stats.path("needsAttention").asLong());
            assertEquals(1, stats.path("attention").path("UNROUTED").asLong());
            assertEquals(8, stats.path("completed").asLong());
            assertEquals(2, stats.path("pendingBySystem").path("billing").asLong());
            assertEquals(4, stats.path("byStatus").path("CANCELLED").asLong());
            assertFalse(stats.has("instances"), "the ledger's instances stay internal");
            assertEquals(3, stats.path("dueThisWeek").asLong());
            assertEquals(4, stats.path("completedThisMonth").asLong(), "March 1st only, the fixture's today");
            final JsonNode daily = stats.path("daily");
            assertEquals(30, daily.size());
            assertEquals("2026-01-31", daily.get(0).path("day").asText());
            assertEquals(0, daily.get(0).path("filed").asLong());
            assertEquals("2026-02-28", daily.get(28).path("day").asText());
            assertEquals(5, daily.get(28).path("filed").asLong());
            assertEquals(8, daily.get(28).path("finished").asLong());
            assertEquals(4, daily.get(28).path("completed").asLong());
            assertEquals(2, daily.get(29).path("filed").asLong());
            assertEquals(4, stats.path("answersBySystem").path("billing").path("answered").asLong());
            assertEquals(9000, stats.path("answersBySystem").path("billing").path("averageSeconds").asLong());
            assertFalse(stats.path("answersBySystem").has("crm"), "no average without an answer");
        });
    }

    @Test
    void shouldGiveEachSystemsOldestOpenObligationWithItsAge() {
        fixture.ledger.stats = """
                {"byStatus": {"IN_PROGRESS": 2}, "pendingBySystem": {"billing": 2, "crm": 1},
                 "oldestBySystem": {"billing": {"since": "2026-02-17T10:15:30.123Z", "requestId": "r-old"},
                                    "crm": {"since": "2026-03-01T09:15:30.123Z", "requestId": "r-new"},
                                    "broken": {"requestId": "r-x"}},
                 "instances": [{"server": "ledger-1:8082", "state": "RUNNING"}]}""";
        JavalinTest.test(fixture.app(), (server, client) -> {
            final JsonNode oldest = json(get(client, "/v1/stats", SUBMITTER)).path("oldestBySystem");

            assertEquals("r-old", oldest.path("billing").path("requestId").asText());
            assertEquals("2026-02-17T10:15:30.123Z", oldest.path("billing").path("since").asText());
            assertEquals(12 * 86400, oldest.path("billing").path("ageSeconds").asLong(), "12 days before the fixture's now");
            assertEquals(3600, oldest.path("crm").path("ageSeconds").asLong());
            assertFalse(oldest.has("broken"), "an entry without a time is no obligation to show");
        });
    }

    @Test
    void shouldLeaveTheOldestObligationsOutWhenTheLedgerKeepsNone() {
        fixture.ledger.stats = """
                {"byStatus": {"IN_PROGRESS": 1}, "pendingBySystem": {"billing": 1}}""";
        JavalinTest.test(fixture.app(), (server, client) -> {
            final JsonNode stats = json(get(client, "/v1/stats", SUBMITTER));

            assertTrue(stats.path("oldestBySystem").isObject());
            assertEquals(0, stats.path("oldestBySystem").size());
        });
    }

    @Test
    void shouldAnswerUnavailableWhenTheLedgerCannotCount() {
        fixture.ledger.statsFailure = ApiException.unavailable("the ledger is REBALANCING", 1);
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = get(client, "/v1/stats", SUBMITTER);

            assertError(response, 503, "unavailable", null);
            assertEquals("1", response.headers().get("Retry-After").get(0));
        });
    }

    @Test
    void shouldServeTheConsolesScriptAndStyleSheet() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response script = get(client, "/console/console.js", null);
            final Response style = get(client, "/console/console.css", null);
            final String page = get(client, "/", null).body().string();

            assertEquals(200, script.code());
            assertTrue(script.headers().get("Content-Type").get(0).startsWith("text/javascript"));
            assertEquals(200, style.code());
            assertTrue(style.headers().get("Content-Type").get(0).startsWith("text/css"));
            assertTrue(page.contains("src=\"/console/console.js\""), page);
            assertFalse(page.contains("https://"), "no file of the console comes from another site");
        });
    }

    @Test
    void refusesConsoleFilesItDoesNotList() {
        JavalinTest.test(fixture.app(), (server, client) ->
                assertError(get(client, "/console/secret.txt", null), 404, "not_found", null));
    }

    private static List<String> may(Response response) {
        final List<String> may = new ArrayList<>();
        json(response).path("may").forEach(node -> may.add(node.asText()));
        return may;
    }
}
