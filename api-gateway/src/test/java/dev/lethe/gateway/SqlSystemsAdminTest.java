package dev.lethe.gateway;

import static dev.lethe.gateway.Fixture.ADMIN;
import static dev.lethe.gateway.Fixture.SUBMITTER;
import static dev.lethe.gateway.Fixture.assertError;
import static dev.lethe.gateway.Fixture.get;
import static dev.lethe.gateway.Fixture.json;
import static dev.lethe.gateway.Fixture.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.avro.SystemMode;
import dev.lethe.gateway.http.ApiException;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Registering a SQL system (checked by the ledger against the database) and its preview. */
class SqlSystemsAdminTest {

    static final String SQL = """
            {"owner": "app", "contact": "app@example.com", "mode": "sql", "namespaces": ["user_id"],
             "sql": {"jdbcUrl": "jdbc:postgresql://db:5432/app", "credentials": "app-db",
                     "tables": [{"table": "orders", "key": "id", "match": {"column": "user_id", "namespace": "user_id"},
                                 "action": "delete"}]}}""";

    private final Fixture fixture = new Fixture();

    @Test
    void shouldWriteASqlRegistrationOnceTheLedgerFindsItFitsTheDatabase() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = send(client, "PUT", "/v1/systems/app", ADMIN, SQL);

            assertEquals(202, response.code());
            assertEquals(1, fixture.ledger.sqlChecks.size());
            assertTrue(fixture.ledger.sqlChecks.get(0).contains("\"name\":\"app\""), fixture.ledger.sqlChecks::toString);
            assertEquals(SystemMode.SQL, fixture.events.registrations.get(0).getMode());
        });
    }

    @Test
    void shouldRefuseASqlRegistrationNamingATableTheDatabaseDoesNotHave() {
        fixture.ledger.sqlCheckFailure = ApiException.badRequest("unknown_schema_object",
                "sql.tables[0].table: the database has no table orders", "sql.tables[0].table");
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = send(client, "PUT", "/v1/systems/app", ADMIN, SQL);

            assertError(response, 400, "unknown_schema_object", "sql.tables[0].table");
            assertEquals(List.of(), fixture.events.registrations, "nothing is written");
        });
    }

    @Test
    void shouldRelayThePreviewToAnAdminWithTheValueInTheBodyOfTheInternalCall() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = get(client, "/v1/systems/app/preview?namespace=user_id&value=7", ADMIN);

            assertEquals(200, response.code());
            assertEquals(3, json(response).path("tables").path("orders").asInt());
            assertEquals(List.of("app/user_id/7"), fixture.ledger.sqlPreviews);
        });
    }

    @Test
    void shouldRefuseThePreviewWithoutAValueOrToANonAdmin() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertError(get(client, "/v1/systems/app/preview?namespace=user_id", ADMIN), 400, "missing_field", "value");
            assertEquals(403, get(client, "/v1/systems/app/preview?namespace=user_id&value=7", SUBMITTER).code());
            assertEquals(List.of(), fixture.ledger.sqlPreviews);
        });
    }
}
