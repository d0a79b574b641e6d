package dev.lethe.gateway;

import static dev.lethe.gateway.Fixture.ADMIN;
import static dev.lethe.gateway.Fixture.APPROVER;
import static dev.lethe.gateway.Fixture.BILLING;
import static dev.lethe.gateway.Fixture.REQUEST_ID;
import static dev.lethe.gateway.Fixture.SUBMITTER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.testtools.JavalinTest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Input found by a fuzzing run that answered 500/502 or was accepted: each is a 4xx naming what
 * is wrong, with nothing written, nothing asked of the ledger that it cannot answer, and no
 * ERROR in the log.
 */
class MalformedInputTest {

    private static final String INTAKE = "{\"subject\": {\"namespace\": \"user_id\", \"value\": %s},"
            + " \"identifiers\": [{\"namespace\": \"email\", \"value\": %s}], \"jurisdiction\": \"GDPR\","
            + " \"reason\": %s, \"source\": \"accounts-service\"%s}";

    private final Fixture fixture = new Fixture();

    static String intake(String subjectValue, String identifierValue, String reason, String more) {
        return String.format(INTAKE, subjectValue, identifierValue, reason, more);
    }

    static String intakeWith(String more) {
        return intake("\"u-1\"", "\"kim@example.com\"", "\"account_deleted\"", more);
    }

    /** Sends and asserts a 4xx of {@code status} with {@code code} naming {@code field}, no write, no ERROR. */
    private void assertRefused(String method, String target, String token, String contentType, String body,
                               int status, String code, String field) {
        fixture.ledger.requests.put(REQUEST_ID, FakeLedgerClient.requestInState(REQUEST_ID, "PENDING_APPROVAL",
                "PENDING", "billing"));
        try (LogCapture log = new LogCapture()) {
            JavalinTest.test(fixture.app(), (server, client) -> {
                final Map<String, String> headers = new LinkedHashMap<>();
                if (token != null) {
                    headers.put("Authorization", "Bearer " + token);
                }
                if (contentType != null) {
                    headers.put("Content-Type", contentType);
                }
                final RawHttp.Answer answer = RawHttp.send(server.port(), method, target, headers,
                        body == null ? null : body.getBytes(StandardCharsets.UTF_8));

                final JsonNode error = Fixture.parse(answer.body());
                assertEquals(status, answer.status(), answer::body);
                assertEquals(code, error.path("error").asText(), answer::body);
                if (field != null) {
                    assertEquals(field, error.path("field").asText(), answer::body);
                }
                assertTrue(fixture.events.wroteNothing(), "nothing written");
                assertTrue(fixture.ledger.listQueries.isEmpty(), "nothing listed");
            });
            assertEquals(List.of(), log.errors());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void refusesANumberPastItsTypesRangeWith400NamingIt(String description, String target, String token,
                                                        String body, String field) {
        assertRefused("POST", target, token, "application/json", body, 400, "invalid_value", field);
    }

    static Stream<Arguments> refusesANumberPastItsTypesRangeWith400NamingIt() {
        final String callback = "/v1/erasures/" + REQUEST_ID + "/systems/billing/callback";
        return Stream.of(
                Arguments.of("graceDays past int", "/v1/erasures", SUBMITTER, intakeWith(", \"graceDays\": 2147483648"),
                        "graceDays"),
                Arguments.of("graceDays far past long", "/v1/erasures", SUBMITTER,
                        intakeWith(", \"graceDays\": 99999999999999999999999"), "graceDays"),
                Arguments.of("itemsErased past long", callback, BILLING,
                        "{\"outcome\": \"DONE\", \"itemsErased\": 9223372036854775808}", "itemsErased"),
                Arguments.of("days past int", "/v1/erasures/" + REQUEST_ID + "/extend", APPROVER,
                        "{\"reason\": \"r\", \"days\": 2147483648}", "days"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource
    void refusesABadPercentEscapeWith400(String token, String target, String field, String code) {
        // The HTTP server itself refuses some targets before the gateway sees them, with the same error body.
        assertRefused("GET", target, token, null, null, 400, code, field);
    }

    static Stream<Arguments> refusesABadPercentEscapeWith400() {
        return Stream.of(
                Arguments.of(null, "/v1/erasures/%u002e", null, "malformed_uri"),
                Arguments.of(SUBMITTER, "/v1/erasures/%u002e", null, "malformed_uri"),
                Arguments.of(SUBMITTER, "/v1/erasures/%", null, "malformed_request"),
                Arguments.of(SUBMITTER, "/v1/subjects/user_id/%C3%28", null, "malformed_request"),
                Arguments.of(SUBMITTER, "/v1/subjects/user_id/u%00", null, "malformed_request"),
                Arguments.of(SUBMITTER, "/v1/subjects/user_id/u%1b", null, "malformed_uri"),
                Arguments.of(SUBMITTER, "/v1/erasures?limit=%zz", "limit", "malformed_uri"),
                Arguments.of(null, "/v1/erasures?limit=%zz", "limit", "malformed_uri"),
                Arguments.of(SUBMITTER, "/v1/erasures?status=%ED%A0%80", "status", "malformed_uri"),
                Arguments.of(SUBMITTER, "/v1/erasures?%zz=1", null, "malformed_uri"));
    }

    @Test
    void refusesAMalformedListCursorWith400BeforeAskingTheLedger() {
        assertRefused("GET", "/v1/erasures?cursor=garbage", SUBMITTER, null, null, 400, "invalid_value", "cursor");
    }

    @Test
    void refusesAMalformedBulkRetryCursorWith400BeforeAskingTheLedger() {
        assertRefused("POST", "/v1/erasures/retry", APPROVER, "application/json", "{\"cursor\": \"garbage\"}", 400,
                "invalid_value", "cursor");
    }

    @Test
    void refusesACursorOfTheOtherListFieldWith400() {
        // "f:..." is a finishedAt cursor; the list asked is ordered by requestedAt.
        final String finishedCursor = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("f:9223370271138275807|6f1c2a3e-8b4d-4c5e-9f60-718293a4b5c6"
                        .getBytes(StandardCharsets.UTF_8));
        assertRefused("GET", "/v1/erasures?cursor=" + finishedCursor, SUBMITTER, null, null, 400, "invalid_value",
                "cursor");
    }

    @ParameterizedTest
    @ValueSource(strings = {"from=-999999999-01-01T00:00:00Z", "to=+1000000000-12-31T23:59:59Z",
        "from=1969-12-31T23:59:59Z"})
    void refusesAnExtremeTimeWith400BeforeAskingTheLedger(String query) {
        assertRefused("GET", "/v1/erasures?" + query, SUBMITTER, null, null, 400, "invalid_value",
                query.substring(0, query.indexOf('=')));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void refusesLoneSurrogatesAndControlCharactersInValues(String description, String body, String field) {
        assertRefused("POST", "/v1/erasures", SUBMITTER, "application/json", body, 400, "invalid_value", field);
    }

    static Stream<Arguments> refusesLoneSurrogatesAndControlCharactersInValues() {
        return Stream.of(
                Arguments.of("lone high surrogate in the subject",
                        intake("\"x\\ud800\"", "\"kim@example.com\"", "\"r\"", ""), "subject.value"),
                Arguments.of("lone low surrogate in an identifier",
                        intake("\"u-1\"", "\"\\udc00kim@example.com\"", "\"r\"", ""), "identifiers[0].value"),
                Arguments.of("surrogates in the wrong order", intake("\"\\udc00\\ud800\"", "\"k@e.com\"", "\"r\"", ""),
                        "subject.value"),
                Arguments.of("NUL in the subject", intake("\"u-1\\u0000\"", "\"kim@example.com\"", "\"r\"", ""),
                        "subject.value"),
                Arguments.of("escape character in an identifier",
                        intake("\"u-1\"", "\"kim\\u001b@example.com\"", "\"r\"", ""), "identifiers[0].value"),
                Arguments.of("newline in the subject", intake("\"u-1\\n\"", "\"kim@example.com\"", "\"r\"", ""),
                        "subject.value"),
                Arguments.of("NUL in the reason", intake("\"u-1\"", "\"kim@example.com\"", "\"acc\\u0000\"", ""),
                        "reason"),
                Arguments.of("lone surrogate in the source", intakeWith("").replace("accounts-service",
                        "accounts\\ud801"), "source"));
    }

    @Test
    void refusesALoneSurrogateInACallbackDetail() {
        assertRefused("POST", "/v1/erasures/" + REQUEST_ID + "/systems/billing/callback", BILLING,
                "application/json", "{\"outcome\": \"DONE\", \"detail\": \"rows\\ud800\"}", 400, "invalid_value",
                "detail");
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:///etc/passwd", "http://169.254.169.254/latest/meta-data/iam",
        "http://[fe80::1]/x", "https://127.0.0.1/media/x.png", "http://localhost/media/x.png",
        "http://[::1]/x", "http://0.0.0.0/x", "http://metadata.google.internal/computeMetadata/v1/",
        "ftp://media-prod/u-1/x.png", "gopher://x/y", "javascript:alert(1)", "/etc/passwd", "s3://",
        "s3://media-prod", "s3://media-prod/", "https://cdn.example.com", "https://user@cdn.example.com/x",
        "manifest:file:///etc/passwd", "manifest:manifest:s3://b/k", "{\"bucket\": \"b\"}",
        "s3://media-prod/u-1/x\u0000.png", "https://cdn.example.com/u-1\n/x.png"})
    void refusesAnObjectReferenceTheS3ExecutorDoesNotTake(String reference) {
        assertRefused("POST", "/v1/erasures", SUBMITTER, "application/json",
                intakeWith(", \"objects\": [\"s3://media-prod/u-1/a.png\", " + Fixture.quote(reference) + "]"), 400,
                "invalid_value", "objects[1]");
    }

    @Test
    void acceptsEveryReferenceShapeTheS3ExecutorTakes() {
        final String objects = String.join(", ", Stream.of("s3://media-prod/users/42/a b.jpg",
                "https://media-prod.s3.eu-west-1.amazonaws.com/users/42/a%20b.jpg",
                "https://s3.amazonaws.com/media-prod/users/42/a.jpg", "https://cdn.example.com/users/42/a.jpg?w=640",
                "http://cdn.media.localhost:9090/legacy/u-1-photo.jpg",
                "{\"bucket\": \"media-prod\", \"key\": \"users/42/a.jpg\"}",
                "manifest:s3://media-prod/jobs/7/manifest.json").map(Fixture::quote).toList());
        JavalinTest.test(fixture.app(), (server, client) -> {
            final io.javalin.testtools.Response response = Fixture.post(client, "/v1/erasures", SUBMITTER,
                    intakeWith(", \"objects\": [" + objects + "]"));
            assertEquals(202, response.code(), () -> response.body().toString());
            assertEquals(7, fixture.events.requests.get(0).getObjects().size());
        });
    }

    @ParameterizedTest(name = "{0} on {1} {2}")
    @MethodSource
    void refusesABodyThatIsNotJsonWith415(String contentType, String method, String target, String token) {
        assertRefused(method, target, token, contentType, "{}", 415, "unsupported_media_type", null);
    }

    static Stream<Arguments> refusesABodyThatIsNotJsonWith415() {
        return Stream.of(
                Arguments.of("text/plain", "POST", "/v1/erasures", SUBMITTER),
                Arguments.of("application/xml", "POST", "/v1/erasures", SUBMITTER),
                Arguments.of("application/x-www-form-urlencoded", "POST", "/v1/erasures/" + REQUEST_ID + "/approve",
                        APPROVER),
                Arguments.of("text/plain", "PUT", "/v1/systems/billing", ADMIN),
                Arguments.of("application/xml", "POST", "/v1/erasures/retry", APPROVER));
    }

    @Test
    void takesJsonWithACharsetAndAJsonSuffix() {
        fixture.ledger.requests.put(REQUEST_ID, FakeLedgerClient.requestInState(REQUEST_ID, "PENDING_APPROVAL",
                "PENDING", "billing"));
        JavalinTest.test(fixture.app(), (server, client) -> {
            final RawHttp.Answer answer = RawHttp.send(server.port(), "POST", "/v1/erasures", Map.of(
                    "Authorization", "Bearer " + SUBMITTER, "Content-Type", "application/json; charset=UTF-8"),
                    intakeWith("").getBytes(StandardCharsets.UTF_8));
            assertEquals(202, answer.status(), answer::body);
            final RawHttp.Answer approve = RawHttp.send(server.port(), "POST", "/v1/erasures/" + REQUEST_ID
                    + "/approve", Map.of("Authorization", "Bearer " + APPROVER), new byte[0]);
            assertEquals(202, approve.status(), approve::body);
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/v1/erasures/" + REQUEST_ID + "?colour=red", "/v1/systems?colour=red",
        "/v1/erasures/" + REQUEST_ID + "/audit?verbose=1", "/health?x=1"})
    void refusesAnUnknownQueryParameterWith400NamingIt(String target) {
        final String name = target.substring(target.indexOf('?') + 1, target.indexOf('='));
        final boolean open = target.startsWith("/health");
        assertRefused("GET", target, open ? null : SUBMITTER, null, null, 400, "unknown_field", name);
    }

    @Test
    void refusesAnUnregisteredSystemInAListFilterWith400() {
        assertRefused("GET", "/v1/erasures?system=nosuch", SUBMITTER, null, null, 400, "unknown_system", "system");
    }

    @Test
    void refusesAnUnregisteredSystemInABulkRetryFilterWith400() {
        assertRefused("POST", "/v1/erasures/retry", APPROVER, "application/json", "{\"system\": \"nosuch\"}", 400,
                "unknown_system", "system");
    }
}
