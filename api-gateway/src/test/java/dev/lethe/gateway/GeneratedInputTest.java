package dev.lethe.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.gateway.http.Route;
import io.javalin.Javalin;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Generated malformed input against every route of the gateway, with and without a valid token:
 * broken and hostile paths, query strings, headers, content types and bodies (numbers past every
 * range, lone surrogates, control characters, wrong types, broken JSON, random bytes). No call may
 * answer 5xx or log at ERROR, and every refusal has the error body.
 */
class GeneratedInputTest {

    private static final Fixture FIXTURE = new Fixture();
    private static final String[] TOKENS = {null, Fixture.SUBMITTER, Fixture.APPROVER, Fixture.ADMIN, Fixture.BILLING,
        "not-a-known-token-at-all-0000"};
    private static Javalin app;
    private static List<Route> routes;
    private static LogCapture log;

    /** One call: everything a client controls. */
    record Call(String method, String target, Map<String, String> headers, byte[] body) {
        @Override
        public String toString() {
            return method + " " + target + " " + headers + " "
                    + (body == null ? "(no body)" : new String(body, StandardCharsets.UTF_8));
        }
    }

    @BeforeContainer
    static void start() {
        final GatewayApp.Collaborators base = FIXTURE.collaborators();
        // A short confirmation wait: a registration the fake ledger never shows is answered 202 at once.
        final GatewayApp.Collaborators c = new GatewayApp.Collaborators(base.events(), base.ledger(),
                base.authenticator(), base.clock(), base.vocabulary(), Duration.ofMillis(1), base.broker());
        FIXTURE.ledger.requests.put(Fixture.REQUEST_ID, FakeLedgerClient.requestInState(Fixture.REQUEST_ID,
                "IN_PROGRESS", "FAILED", "billing", "crm"));
        FIXTURE.ledger.audits.put(Fixture.REQUEST_ID, "[]");
        FIXTURE.ledger.registrations.put("billing", "{\"name\":\"billing\"}");
        routes = AuthMatrixTest.routes();
        log = new LogCapture();
        app = GatewayApp.create(c, 0).start();
    }

    @AfterContainer
    static void stop() {
        app.stop();
        log.close();
    }

    @Property(tries = 2500)
    void noGeneratedCallIsAnsweredWithA5xx(@ForAll("calls") Call call) {
        final RawHttp.Answer answer = RawHttp.send(app.port(), call.method(), call.target(), call.headers(),
                call.body());

        assertTrue(answer.status() < 500, () -> answer.status() + " " + answer.body());
        if (answer.status() >= 400 && !call.method().equals("HEAD")) {
            final JsonNode error = Fixture.parse(answer.body().isEmpty() ? "{}" : answer.body());
            assertTrue(error.path("error").isTextual() && error.path("message").isTextual(),
                    () -> answer.status() + " without the error body: " + answer.body());
        }
        assertEquals(List.of(), log.errors());
    }

    @Provide
    Arbitrary<Call> calls() {
        final Arbitrary<Route> route = Arbitraries.of(routes);
        final Arbitrary<String> otherMethod = Arbitraries.of("", "", "", "", "", "", "", "GET", "POST", "PUT",
                "DELETE", "PATCH", "OPTIONS", "HEAD");
        return Combinators.combine(route, otherMethod, paths(), queries(), headers(),
                bodies()).as((r, other, segment, query, headers, body) -> {
                    final String method = other.isEmpty() ? r.method().name() : other;
                    return new Call(method, target(r.path(), segment) + query, headers,
                            body == null && (method.equals("GET") || method.equals("HEAD")) ? null : body);
                });
    }

    private static String target(String template, String segment) {
        return template.replace("{id}", segment.equals("=") ? Fixture.REQUEST_ID : segment)
                .replace("{system}", segment.equals("=") ? "billing" : segment)
                .replace("{name}", segment.equals("=") ? "billing" : segment)
                .replace("{namespace}", segment.equals("=") ? "user_id" : segment)
                .replace("{value}", segment.equals("=") ? "u-1" : segment);
    }

    /** A path parameter: "=" for a valid one, else something odd, escaped or not. */
    private static Arbitrary<String> paths() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.just("=")),
                net.jqwik.api.Tuple.of(3, Arbitraries.of("%u002e", "%", "%zz", "%C3%28", "%ED%A0%80", "%00", "%0a",
                        "%2e%2e", "..", ".", "%2F", "a%2Fb", "%25", "%E2%80%AE", "%F0%9F%98%80", "~", "%20",
                        "6F1C2A3E-8B4D-4C5E-9F60-718293A4B5C6", "0b1c2a3e-8b4d-4c5e-9f60-718293a4b5c6", "nosuch",
                        "Bad!", "a".repeat(300), "x".repeat(5000), "-", "_", "user_id", "email")),
                net.jqwik.api.Tuple.of(3, Arbitraries.strings().ofMinLength(1).ofMaxLength(40).map(GeneratedInputTest::escape)));
    }

    private static Arbitrary<String> queries() {
        final Arbitrary<String> name = Arbitraries.of("status", "system", "overdue", "field", "from", "to", "limit",
                "cursor", "systemStatus", "colour", "%zz", "", "limit%00", "x");
        final Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.of("IN_PROGRESS", "DONE", "billing", "nosuch",
                        "true", "yes", "finishedAt", "requestedAt", "-999999999-01-01T00:00:00Z",
                        "+1000000000-12-31T23:59:59Z", "1969-12-31T23:59:59Z", "2026-01-01T00:00:00Z", "0", "1", "501",
                        "2147483648", "-1", "99999999999999999999", "garbage", "%zz", "%", "%ED%A0%80", "%00",
                        "cjoxMjM0NTY3ODkwMTIzNDU2Nzg5fGlk", "ZjpnYXJiYWdl", "", "+"),
                Arbitraries.strings().ofMaxLength(30).map(GeneratedInputTest::escape));
        final Arbitrary<String> pair = Combinators.combine(name, value).as((n, v) -> n + "=" + v);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just("")),
                net.jqwik.api.Tuple.of(6, pair.list().ofMinSize(1).ofMaxSize(4).map(p -> "?" + String.join("&", p))),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("?", "?&", "?=", "?&&=&", "?a=1=2", "?%")));
    }

    private static Arbitrary<Map<String, String>> headers() {
        final Arbitrary<String> auth = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.of(TOKENS).map(t -> t == null ? "" : "Bearer " + t)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("Bearer", "Bearer ", "Basic YWRtaW46YWRtaW4=", "bearer  "
                        + Fixture.ADMIN, "Token x", "Bearer \u00e9\u00e9")));
        final Arbitrary<String> contentType = Arbitraries.of("application/json", "application/json",
                "application/json; charset=utf-8", "application/json; charset=latin1", "text/plain",
                "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                "application/merge-patch+json", "", "*/*", ";;;", "application/json;");
        final Arbitrary<String> idempotency = Arbitraries.of("", "", "", "k-1", " ", "a".repeat(300), "\u00e9");
        final Arbitrary<String> accept = Arbitraries.of("", "", "application/json", "text/html", "*/*", "x/y");
        return Combinators.combine(auth, contentType, idempotency, accept).as((a, ct, key, acc) -> {
            final Map<String, String> headers = new LinkedHashMap<>();
            put(headers, "Authorization", a);
            put(headers, "Content-Type", ct);
            put(headers, "Idempotency-Key", key);
            put(headers, "Accept", acc);
            return headers;
        });
    }

    private static void put(Map<String, String> headers, String name, String value) {
        if (!value.isEmpty()) {
            headers.put(name, value);
        }
    }

    private static Arbitrary<byte[]> bodies() {
        final Arbitrary<String> json = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, mutatedBodies()),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("", " ", "{}", "[]", "null", "1", "\"x\"", "{", "{\"a\":",
                        "{}{}", "{\"note\":\"x\"} trailing", "[".repeat(5000), "{\"a\":".repeat(3000),
                        "{\"note\": 1e999999}", "{\"days\": -0}", "{\"reason\":\"r\",\"reason\":\"r\"}")),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(200)));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, json.map(text -> text.getBytes(StandardCharsets.UTF_8))),
                net.jqwik.api.Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(200)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just((byte[]) null)));
    }

    /** A valid body of some route with one field's value replaced by something hostile. */
    private static Arbitrary<String> mutatedBodies() {
        final Arbitrary<String> template = Arbitraries.of(MalformedInputTest.intakeWith(
                        ", \"graceDays\": %s, \"objects\": [\"s3://media-prod/u-1/a.png\"]"),
                "{\"outcome\": \"DONE\", \"itemsErased\": %s, \"detail\": \"d\"}",
                "{\"reason\": \"r\", \"days\": %s}", "{\"note\": %s}", "{\"reason\": %s}",
                "{\"system\": %s, \"cursor\": %s, \"from\": %s}",
                "{\"subject\": {\"namespace\": %s, \"value\": %s}, \"jurisdiction\": %s, \"reason\": \"r\", "
                        + "\"source\": %s, \"objects\": [%s], \"identifiers\": [{\"namespace\": \"email\", \"value\": %s}]}",
                "{\"mode\": \"event\", \"owner\": %s, \"contact\": \"c@example.com\", \"namespaces\": [%s], "
                        + "\"jurisdictions\": [\"GDPR\"], \"slaDays\": %s, \"reminderHours\": %s}",
                "{\"mode\": \"s3\", \"owner\": \"o\", \"contact\": \"c\", \"namespaces\": [\"user_id\"], "
                        + "\"s3\": {\"buckets\": [%s], \"prefixes\": [%s], \"deletesPerSecond\": %s, "
                        + "\"window\": {\"from\": %s, \"to\": \"06:00\", \"zone\": %s}}}",
                "{\"mode\": \"http\", \"owner\": \"o\", \"contact\": \"c\", \"namespaces\": [\"user_id\"], "
                        + "\"http\": {\"url\": %s, \"timeoutMs\": %s, \"maxAttempts\": %s}}");
        final Arbitrary<String> hostile = Arbitraries.oneOf(Arbitraries.of("2147483648", "-2147483649",
                        "9223372036854775808", "-9223372036854775809", "99999999999999999999999999", "1e400", "-1",
                        "0", "1.5", "true", "null", "[]", "{}", "\"\"", "\" \"", "\"x\\ud800\"", "\"\\udc00\"",
                        "\"a\\u0000b\"", "\"\\u001b[31m\"", "\"file:///etc/passwd\"",
                        "\"http://169.254.169.254/latest\"", "\"s3://media-prod/k\"", "\"GDPR\"", "\"user_id\"",
                        "\"billing\"", "\"garbage\"", "\"-999999999-01-01T00:00:00Z\"", "\"25:99\"", "\"Mars/Olympus\"",
                        "\"" + "x".repeat(5000) + "\"", "[" + "1,".repeat(50) + "1]", "\"\\ud83d\\ude00\""),
                Arbitraries.strings().ofMaxLength(20).map(Fixture::quote),
                Arbitraries.longs().map(n -> Long.toString(n)));
        return Combinators.combine(template, hostile.list().ofSize(8))
                .as((t, values) -> String.format(Locale.ROOT, t, values.toArray()));
    }

    /** {@code text} percent-encoded as UTF-8 bytes where needed (a lone surrogate becomes '?'). */
    private static String escape(String text) {
        final StringBuilder out = new StringBuilder();
        for (final byte b : text.getBytes(StandardCharsets.UTF_8)) {
            final int c = b & 0xff;
            if (c > 0x20 && c < 0x7f && "?#%&=/ \"<>\\^`{|}".indexOf(c) < 0) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return out.toString();
    }

}
