package dev.lethe.gateway;

import static dev.lethe.gateway.Fixture.ADMIN;
import static dev.lethe.gateway.Fixture.BILLING;
import static dev.lethe.gateway.Fixture.assertError;
import static dev.lethe.gateway.Fixture.get;
import static dev.lethe.gateway.Fixture.json;
import static dev.lethe.gateway.Fixture.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.avro.SystemMode;
import dev.lethe.avro.SystemRegistration;
import dev.lethe.gateway.http.JsonBody;
import dev.lethe.schemas.systems.SystemsJson;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SystemsAdminTest {

    static final String S3 = """
            {"owner": "media", "contact": "media@example.com", "mode": "s3", "namespaces": ["user_id"],
             "jurisdictions": ["GDPR"],
             "s3": {"buckets": ["media-prod"], "prefixes": ["{subject}/"],
                    "cdnDomains": {"cdn.example.com": "media-prod"}, "deletesPerSecond": 500,
                    "window": {"from": "02:00", "to": "06:00", "zone": "Asia/Seoul"}}}""";

    private final Fixture fixture = new Fixture();

    /** The fake ledger shows each registration the gateway writes, as the real one does once applied. */
    private void ledgerAppliesWrites() {
        fixture.events.onSystem = (name, registration) -> {
            if (registration == null) {
                fixture.ledger.registrations.remove(name);
            } else {
                fixture.ledger.registrations.put(name, SystemsJson.toJson(registration).toString());
            }
        };
    }

    @Test
    void shouldWriteAValidRegistrationAndAnswer200OnceTheLedgerShowsIt() {
        ledgerAppliesWrites();
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = send(client, "PUT", "/v1/systems/media", ADMIN, S3);

            final JsonNode body = json(response);
            assertEquals(200, response.code(), body::toString);
            assertEquals("media", body.path("name").asText());
            assertEquals("Asia/Seoul", body.path("s3").path("window").path("zone").asText());
            final SystemRegistration written = fixture.events.registrations.get(0);
            assertEquals("media", written.getName());
            assertEquals(SystemMode.S3, written.getMode());
            assertEquals(List.of("media-prod"), written.getS3().getBuckets());
        });
    }

    @Test
    void shouldAnswer202WhenTheLedgerHasNotShownTheWriteInTime() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = send(client, "PUT", "/v1/systems/media", ADMIN, S3);

            assertEquals(202, response.code());
            assertEquals(1, fixture.events.registrations.size());
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown field       | '\"colour\": \"red\",'                          | unknown_field | colour",
        "sla out of range    | '\"slaDays\": 0,'                               | invalid_value | slaDays",
        "reminder too long   | '\"reminderHours\": 9000,'                      | invalid_value | reminderHours",
        "unknown jurisdiction| '\"jurisdictions\": [\"XX\"],'                   | unknown_jurisdiction | jurisdictions[0]",
        "owner a number      | '\"owner\": 7,'                                 | invalid_type  | owner"
    })
    void shouldRefuseABadRegistrationWith400NamingTheFieldWithoutWriting(String description, String change,
                                                                        String code, String field) {
        final ObjectNode body = (ObjectNode) Fixture.parse(S3);
        body.setAll((ObjectNode) Fixture.parse("{" + change.substring(0, change.length() - 1) + "}"));
        final String complete = body.toString();
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertError(send(client, "PUT", "/v1/systems/media", ADMIN, complete), 400, code, field);
            assertTrue(fixture.events.wroteNothing());
        });
    }

    @Test
    void shouldRefuseModeHttpWithoutHttpSettings() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertError(send(client, "PUT", "/v1/systems/media", ADMIN, S3.replace("\"mode\": \"s3\"",
                    "\"mode\": \"http\"")), 400, "missing_field", "http");
            assertError(send(client, "PUT", "/v1/systems/crm", ADMIN, "{\"owner\": \"o\", \"contact\": \"c\", "
                    + "\"mode\": \"http\", \"namespaces\": [\"email\"]}"), 400, "missing_field", "http");
            assertTrue(fixture.events.wroteNothing());
        });
    }

    @Test
    void shouldRefuseAnUnknownNamespaceAndABadNameWithTheirFields() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertError(send(client, "PUT", "/v1/systems/media", ADMIN, S3.replace("[\"user_id\"]", "[\"ssn\"]")),
                    400, "unknown_namespace", "namespaces[0]");
            assertError(send(client, "PUT", "/v1/systems/media", ADMIN, S3.replace("\"jurisdictions\"", "\"mode_\": 1, \"jurisdictions\"")),
                    400, "unknown_field", "mode_");
            assertError(send(client, "PUT", "/v1/systems/Media!", ADMIN, S3), 400, "invalid_value", "name");
            assertError(send(client, "PUT", "/v1/systems/media", ADMIN, "{\"owner\": "), 400, "malformed_json", null);
            assertTrue(fixture.events.wroteNothing());
        });
    }

    @Test
    void shouldRefuseAnOversizedRegistrationBeforeParsingIt() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            final String big = "{\"owner\": \"" + "x".repeat(JsonBody.MAX_BYTES) + "\"}";
            assertError(send(client, "PUT", "/v1/systems/media", ADMIN, big), 400, "body_too_large", null);
            assertTrue(fixture.events.wroteNothing());
        });
    }

    @Test
    void shouldRetireAKnownSystemWithATombstone() {
        ledgerAppliesWrites();
        fixture.ledger.registrations.put("billing", "{\"name\": \"billing\"}");
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = send(client, "DELETE", "/v1/systems/billing", ADMIN, null);

            assertEquals(200, response.code());
            assertTrue(json(response).path("retired").asBoolean());
            assertEquals(List.of("billing"), fixture.events.retired);
        });
    }

    @Test
    void shouldAnswer404WhenRetiringAnUnknownSystem() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertError(send(client, "DELETE", "/v1/systems/nothing", ADMIN, null), 404, "not_found", null);
            assertTrue(fixture.events.wroteNothing());
        });
    }

    @Test
    void shouldListAndReadSystemsForAnyRole() {
        fixture.ledger.registrations.put("billing", "{\"name\": \"billing\", \"mode\": \"event\"}");
        JavalinTest.test(fixture.app(), (server, client) -> {
            final JsonNode list = json(get(client, "/v1/systems", BILLING));
            final JsonNode one = json(get(client, "/v1/systems/billing", BILLING));

            assertEquals(3, list.size());
            assertEquals("billing", list.get(0).path("name").asText());
            assertEquals("event", one.path("mode").asText());
            assertError(get(client, "/v1/systems/nothing", BILLING), 404, "not_found", null);
        });
    }
}
