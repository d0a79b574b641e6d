package dev.lethe.gateway;

import static dev.lethe.gateway.Fixture.ADMIN;
import static dev.lethe.gateway.Fixture.APPROVER;
import static dev.lethe.gateway.Fixture.BILLING;
import static dev.lethe.gateway.Fixture.NOW;
import static dev.lethe.gateway.Fixture.SUBMITTER;
import static dev.lethe.gateway.Fixture.assertError;
import static dev.lethe.gateway.Fixture.json;
import static dev.lethe.gateway.Fixture.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.avro.ErasureRequested;
import dev.lethe.avro.Identifier;
import dev.lethe.gateway.http.ApiException;
import dev.lethe.gateway.http.JsonBody;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ErasureIntakeTest {

    static final String FULL = """
            {"subject": {"namespace": "user_id", "value": "u-1842"},
             "identifiers": [{"namespace": "email", "value": "kim@example.com"}],
             "jurisdiction": "GDPR", "reason": "account_deleted", "source": "accounts-service",
             "scope": {"systems": ["billing"], "exclude": ["analytics"]},
             "objects": ["s3://media-prod/u-1842/avatar.png", "https://cdn.example.com/u-1842/x.webp"],
             "graceDays": 7}""";
    static final String MINIMAL = """
            {"subject": {"namespace": "user_id", "value": "u-1842"},
             "jurisdiction": "GDPR", "reason": "account_deleted", "source": "accounts-service"}""";

    private final Fixture fixture = new Fixture();

    @Test
    void shouldWriteRequestAndAnswer202WithLocation() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = post(client, "/v1/erasures", SUBMITTER, FULL);

            final JsonNode body = json(response);
            assertEquals(202, response.code(), body::toString);
            final String id = body.path("id").asText();
            assertEquals("RECEIVED", body.path("status").asText());
            assertEquals(List.of("/v1/erasures/" + id), response.headers().get("Location"));
            assertEquals(1, fixture.events.requests.size());
            final ErasureRequested written = fixture.events.requests.get(0);
            assertEquals(id, written.getRequestId());
            assertEquals(new Identifier("user_id", "u-1842"), written.getSubject());
            assertEquals(List.of(new Identifier("email", "kim@example.com")), written.getIdentifiers());
            assertEquals("GDPR", written.getJurisdiction());
            assertEquals("account_deleted", written.getReason());
            assertEquals("accounts-service", written.getSource());
            assertEquals(List.of("billing"), written.getScope().getSystems());
            assertEquals(List.of("analytics"), written.getScope().getExclude());
            assertEquals(2, written.getObjects().size());
            assertEquals(7, written.getGraceDays());
            assertEquals(NOW, written.getRequestedAt());
            assertEquals("submitter", written.getSubmittedBy());
        });
    }

    @Test
    void shouldAnswer202OnceTheWriteIsDurableWithoutWaitingForTheLedgerToApplyIt() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = post(client, "/v1/erasures", SUBMITTER, MINIMAL);

            assertEquals(202, response.code());
            assertEquals(1, fixture.events.requests.size(), "written (durably) before the answer");
            assertEquals(List.of(), fixture.ledger.waits, "the ledger is not waited for: a later read waits instead");
        });
    }

    @Test
    void shouldFillDefaultsForOptionalFields() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertEquals(202, post(client, "/v1/erasures", SUBMITTER, MINIMAL).code());

            final ErasureRequested written = fixture.events.requests.get(0);
            assertEquals(List.of(), written.getIdentifiers());
            assertNull(written.getScope());
            assertEquals(List.of(), written.getObjects());
            assertEquals(0, written.getGraceDays());
        });
    }

    @Test
    void shouldLetAdminFileARequest() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertEquals(202, post(client, "/v1/erasures", ADMIN, MINIMAL).code());

            assertEquals("admin", fixture.events.requests.get(0).getSubmittedBy());
        });
    }

    @Test
    void shouldStillAcceptWhenTheLedgerDoesNotConfirmInTime() {
        fixture.ledger.waitFailure = ApiException.unavailable("not caught up", 1);
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = post(client, "/v1/erasures", SUBMITTER, MINIMAL);

            assertEquals(202, response.code());
            assertEquals("RECEIVED", json(response).path("status").asText());
            assertEquals(1, fixture.events.requests.size());
        });
    }

    @Test
    void shouldNotAskTheRegistryWhenNoSystemIsNamed() {
        fixture.ledger.systemsFailure = ApiException.unavailable("ledger unreachable", 5);
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertEquals(202, post(client, "/v1/erasures", SUBMITTER, MINIMAL).code());
        });
    }

    @Test
    void shouldAnswer503WithoutWritingWhenTheRegistryCannotBeRead() {
        fixture.ledger.systemsFailure = ApiException.unavailable("ledger unreachable", 5);
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = post(client, "/v1/erasures", SUBMITTER, FULL);

            assertError(response, 503, "unavailable", null);
            assertEquals(List.of("5"), response.headers().get("Retry-After"));
            assertTrue(fixture.events.wroteNothing());
        });
    }

    @Test
    void shouldAnswer503WithRetryAfterWhenTheEventLogRefusesTheWrite() {
        fixture.events.failing = true;
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = post(client, "/v1/erasures", SUBMITTER, MINIMAL);

            assertError(response, 503, "unavailable", null);
            assertFalse(response.headers().get("Retry-After").isEmpty());
            assertTrue(fixture.ledger.waits.isEmpty());
        });
    }

    @Test
    void shouldRefuseAMissingTokenWith401WithoutWriting() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = post(client, "/v1/erasures", null, MINIMAL);

            assertError(response, 401, "unauthorized", null);
            assertEquals(List.of("Bearer"), response.headers().get("WWW-Authenticate"));
            assertTrue(fixture.events.wroteNothing());
        });
    }

    @Test
    void shouldRefuseAnUnknownTokenWith401WithoutWriting() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertError(post(client, "/v1/erasures", "not-a-known-token-at-all", MINIMAL), 401, "unauthorized", null);
            assertTrue(fixture.events.wroteNothing());
        });
    }

    @Test
    void shouldRefuseAnAuthorizationThatIsNotBearerWith401() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = client.request("/v1/erasures", builder -> builder
                    .post(java.net.http.HttpRequest.BodyPublishers.ofString(MINIMAL))
                    .header("Authorization", "Basic " + SUBMITTER));

            assertError(response, 401, "unauthorized", null);
            assertTrue(fixture.events.wroteNothing());
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {APPROVER, BILLING})
    void shouldForbidRolesOtherThanSubmitterAndAdminWithoutWriting(String token) {
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertError(post(client, "/v1/erasures", token, MINIMAL), 403, "forbidden", null);
            assertTrue(fixture.events.wroteNothing());
        });
    }

    @Test
    void shouldRefuseBodyOver64KiBWithoutWriting() {
        final String body = padded(MINIMAL, JsonBody.MAX_BYTES + 1);
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertError(post(client, "/v1/erasures", SUBMITTER, body), 400, "body_too_large", null);
            assertTrue(fixture.events.wroteNothing());
        });
    }

    @Test
    void shouldRefuseAStreamedBodyOver64KiBWithoutWriting() {
        final byte[] body = padded(MINIMAL, JsonBody.MAX_BYTES + 1).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = client.request("/v1/erasures", builder -> builder
                    .post(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                            () -> new java.io.ByteArrayInputStream(body)))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + SUBMITTER));

            assertError(response, 400, "body_too_large", null);
            assertTrue(fixture.events.wroteNothing());
        });
    }

    @Test
    void shouldAcceptBodyOfExactly64KiB() {
        final String body = padded(MINIMAL, JsonBody.MAX_BYTES);
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertEquals(202, post(client, "/v1/erasures", SUBMITTER, body).code());
        });
    }

    @Test
    void shouldNotRepeatIdentifierValuesInErrors() {
        final String body = MINIMAL.replace("\"u-1842\"", "\"" + "kim.secret@example.com".repeat(60) + "\"");
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = post(client, "/v1/erasures", SUBMITTER, body);

            assertError(response, 400, "invalid_value", "subject.value");
            assertFalse(response.body().string().contains("kim.secret"));
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidBodies")
    void shouldRefuseInvalidBodyWithoutWriting(String description, String body, String code, String field) {
        JavalinTest.test(fixture.app(), (server, client) -> {
            assertError(post(client, "/v1/erasures", SUBMITTER, body), 400, code, field);
            assertTrue(fixture.events.wroteNothing());
            assertTrue(fixture.ledger.waits.isEmpty());
        });
    }

    static Stream<Arguments> invalidBodies() {
        return Stream.of(
                invalid("malformed JSON", "{\"subject\": ", "malformed_json", null),
                invalid("empty body", "", "malformed_json", null),
                invalid("trailing content", MINIMAL + " {}", "malformed_json", null),
                invalid("duplicate key", MINIMAL.replace("\"reason\"", "\"source\": \"x\", \"reason\"")
                        .replace("\"source\": \"accounts-service\"", "\"source\": \"y\""), "malformed_json", null),
                invalid("an array", "[]", "invalid_type", null),
                invalid("null", "null", "invalid_type", null),
                invalid("unknown top-level field", MINIMAL.replace("{\"subject\"", "{\"color\": \"red\", \"subject\""),
                        "unknown_field", "color"),
                invalid("unknown nested field", MINIMAL.replace("\"value\": \"u-1842\"",
                        "\"value\": \"u-1842\", \"kind\": 1"), "unknown_field", "subject.kind"),
                invalid("unknown field in an identifier", withIdentifiers(
                        "{\"namespace\": \"email\", \"value\": \"a@b.c\", \"primary\": true}"),
                        "unknown_field", "identifiers[0].primary"),
                invalid("namespace a number", MINIMAL.replace("\"user_id\"", "7"), "invalid_type", "subject.namespace"),
                invalid("value a boolean", MINIMAL.replace("\"u-1842\"", "true"), "invalid_type", "subject.value"),
                invalid("second identifier value a number", withIdentifiers(
                        "{\"namespace\": \"email\", \"value\": \"a@b.c\"}, {\"namespace\": \"phone\", \"value\": 4155}"),
                        "invalid_type", "identifiers[1].value"),
                invalid("subject a string", MINIMAL.replace("{\"namespace\": \"user_id\", \"value\": \"u-1842\"}",
                        "\"u-1842\""), "invalid_type", "subject"),
                invalid("identifiers an object", with("\"identifiers\": {}"), "invalid_type", "identifiers"),
                invalid("graceDays a string", with("\"graceDays\": \"3\""), "invalid_type", "graceDays"),
                invalid("graceDays a fraction", with("\"graceDays\": 1.5"), "invalid_type", "graceDays"),
                invalid("objects a string", with("\"objects\": \"s3://b/k\""), "invalid_type", "objects"),
                invalid("an object a number", with("\"objects\": [\"s3://b/k\", 12]"), "invalid_type", "objects[1]"),
                invalid("scope systems a string", with("\"scope\": {\"systems\": \"billing\"}"), "invalid_type",
                        "scope.systems"),
                invalid("missing subject", MINIMAL.replace("\"subject\": {\"namespace\": \"user_id\", \"value\": "
                        + "\"u-1842\"},", ""), "missing_field", "subject"),
                invalid("null subject", MINIMAL.replace("{\"namespace\": \"user_id\", \"value\": \"u-1842\"}", "null"),
                        "missing_field", "subject"),
                invalid("missing subject namespace", MINIMAL.replace("\"namespace\": \"user_id\", ", ""),
                        "missing_field", "subject.namespace"),
                invalid("missing subject value", MINIMAL.replace(", \"value\": \"u-1842\"", ""), "missing_field",
                        "subject.value"),
                invalid("blank subject value", MINIMAL.replace("\"u-1842\"", "\"  \""), "invalid_value",
                        "subject.value"),
                invalid("subject value too long", MINIMAL.replace("\"u-1842\"", "\"" + "x".repeat(1025) + "\""),
                        "invalid_value", "subject.value"),
                invalid("unknown subject namespace", MINIMAL.replace("\"user_id\"", "\"passport\""),
                        "unknown_namespace", "subject.namespace"),
                invalid("unknown identifier namespace", withIdentifiers(
                        "{\"namespace\": \"email\", \"value\": \"a@b.c\"}, {\"namespace\": \"ssn\", \"value\": \"1\"}"),
                        "unknown_namespace", "identifiers[1].namespace"),
                invalid("null identifier", withIdentifiers("null"), "invalid_value", "identifiers[0]"),
                invalid("101 identifiers", withIdentifiers(String.join(", ",
                        java.util.Collections.nCopies(101, "{\"namespace\": \"email\", \"value\": \"a@b.c\"}"))),
                        "invalid_value", "identifiers"),
                invalid("missing jurisdiction", MINIMAL.replace("\"jurisdiction\": \"GDPR\", ", ""), "missing_field",
                        "jurisdiction"),
                invalid("unknown jurisdiction", MINIMAL.replace("\"GDPR\"", "\"LGPD\""), "unknown_jurisdiction",
                        "jurisdiction"),
                invalid("missing reason", MINIMAL.replace("\"reason\": \"account_deleted\", ", ""), "missing_field",
                        "reason"),
                invalid("blank reason", MINIMAL.replace("\"account_deleted\"", "\"\""), "invalid_value", "reason"),
                invalid("reason too long", MINIMAL.replace("\"account_deleted\"", "\"" + "r".repeat(257) + "\""),
                        "invalid_value", "reason"),
                invalid("missing source", MINIMAL.replace(", \"source\": \"accounts-service\"", ""), "missing_field",
                        "source"),
                invalid("source a number", MINIMAL.replace("\"accounts-service\"", "12"), "invalid_type", "source"),
                invalid("graceDays over 365", with("\"graceDays\": 366"), "invalid_value", "graceDays"),
                invalid("graceDays negative", with("\"graceDays\": -1"), "invalid_value", "graceDays"),
                invalid("unknown scoped system", with("\"scope\": {\"systems\": [\"ledgerx\"]}"), "unknown_system",
                        "scope.systems[0]"),
                invalid("unknown excluded system", with("\"scope\": {\"exclude\": [\"crm\", \"nope\"]}"),
                        "unknown_system", "scope.exclude[1]"),
                invalid("10,001 objects", with("\"objects\": [" + String.join(",",
                        java.util.Collections.nCopies(10_001, "\"a\"")) + "]"), "invalid_value", "objects"),
                invalid("an object over 2048 characters", with("\"objects\": [\"" + "o".repeat(2049) + "\"]"),
                        "invalid_value", "objects[0]"),
                invalid("a blank object", with("\"objects\": [\"s3://b/k\", \" \"]"), "invalid_value", "objects[1]"));
    }

    private static Arguments invalid(String description, String body, String code, String field) {
        return Arguments.of(description, body, code, field);
    }

    private static String with(String member) {
        return MINIMAL.substring(0, MINIMAL.lastIndexOf('}')) + ", " + member + "}";
    }

    private static String withIdentifiers(String elements) {
        return with("\"identifiers\": [" + elements + "]");
    }

    /** {@code json} padded with spaces to exactly {@code bytes} bytes (still valid JSON). */
    static String padded(String json, int bytes) {
        return json + " ".repeat(bytes - json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }
}
