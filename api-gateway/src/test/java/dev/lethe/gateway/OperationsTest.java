package dev.lethe.gateway;

import static dev.lethe.gateway.Fixture.REQUEST_ID;
import static dev.lethe.gateway.Fixture.SUBMITTER;
import static dev.lethe.gateway.Fixture.get;
import static dev.lethe.gateway.Fixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.gateway.http.Guard;
import dev.lethe.gateway.http.Route;
import io.javalin.Javalin;
import io.javalin.router.Endpoint;
import io.javalin.router.ParsedEndpoint;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class OperationsTest {

    private final Fixture fixture = new Fixture();

    @Test
    void shouldDescribeEveryRouteOfTheRouteTableInOpenApi() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = get(client, "/openapi.json", null);

            final JsonNode spec = json(response);
            assertEquals(200, response.code());
            assertEquals("3.0.3", spec.path("openapi").asText());
            for (final Route route : AuthMatrixTest.routes()) {
                final JsonNode operation = spec.path("paths").path(route.path())
                        .path(route.method().name().toLowerCase(Locale.ROOT));
                assertFalse(operation.isMissingNode(), () -> route.method() + " " + route.path() + " is missing");
                assertEquals(route.summary(), operation.path("summary").asText());
                assertTrue(operation.path("responses").has(Integer.toString(route.status())));
            }
        });
    }

    @Test
    void shouldDescribeEveryEndpointJavalinHasRegistered() {
        final Javalin app = fixture.app();
        JavalinTest.test(app, (server, client) -> {
            final JsonNode paths = json(get(client, "/openapi.json", null)).path("paths");
            final List<ParsedEndpoint> endpoints = app.unsafe.internalRouter.allHttpHandlers().stream()
                    .filter(parsed -> parsed.endpoint.method.isHttpMethod()).toList();

            assertEquals(AuthMatrixTest.routes().size(), endpoints.size());
            for (final ParsedEndpoint parsed : endpoints) {
                final Endpoint endpoint = parsed.endpoint;
                assertFalse(paths.path(endpoint.path).path(endpoint.method.name().toLowerCase(Locale.ROOT))
                        .isMissingNode(), () -> endpoint.method + " " + endpoint.path + " is not in /openapi.json");
            }
        });
    }

    @Test
    void shouldGenerateBodySchemasFromTheRecords() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            final JsonNode spec = json(get(client, "/openapi.json", null));

            final JsonNode intake = spec.path("paths").path("/v1/erasures").path("post");
            assertEquals("#/components/schemas/ErasureRequestBody", intake.path("requestBody").path("content")
                    .path("application/json").path("schema").path("$ref").asText());
            final JsonNode body = spec.path("components").path("schemas").path("ErasureRequestBody");
            assertEquals("array", body.path("properties").path("identifiers").path("type").asText());
            assertEquals("integer", body.path("properties").path("graceDays").path("type").asText());
            assertTrue(intake.path("responses").has("401"));
            assertTrue(spec.path("paths").path("/health").path("get").path("security").isMissingNode());
            assertTrue(spec.path("components").path("schemas").has("ErrorBody"));
        });
    }

    @Test
    void shouldServeTheConsole() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = get(client, "/", null);

            assertEquals(200, response.code());
            assertTrue(response.headers().get("Content-Type").get(0).startsWith("text/html"));
            assertTrue(response.body().string().contains("<title>Lethe console</title>"));
        });
    }

    @Test
    void shouldExposeLedgerGaugesLatencyHistogramsAndRefusalsInPrometheusFormat() {
        fixture.ledger.stats = """
                {"byStatus": {"IN_PROGRESS": 3, "COMPLETED": 7}, "overdue": 1, "pendingBySystem": {"billing": 2},
                 "instances": [{"server": "ledger-1:8082", "state": "RUNNING"}]}""";
        fixture.ledger.requests.put(REQUEST_ID, FakeLedgerClient.requestJson(REQUEST_ID, "billing"));
        JavalinTest.test(fixture.app(), (server, client) -> {
            get(client, "/v1/erasures/" + REQUEST_ID, SUBMITTER);
            get(client, "/v1/erasures/" + REQUEST_ID, null);
            final Response response = get(client, "/metrics", null);

            final String text = response.body().string();
            assertEquals(200, response.code());
            assertTrue(response.headers().get("Content-Type").get(0).startsWith("text/plain"));
            assertTrue(text.contains("lethe_requests{status=\"IN_PROGRESS\"} 3"), text);
            assertTrue(text.contains("lethe_requests_overdue 1"), text);
            assertTrue(text.contains("lethe_system_pending{system=\"billing\"} 2"), text);
            assertTrue(text.contains("lethe_streams_state{server=\"ledger-1:8082\",state=\"RUNNING\"} 1"), text);
            assertTrue(text.contains("lethe_ledger_stats_up 1"), text);
            assertTrue(text.contains("lethe_auth_refusals_total{reason=\"missing_token\"} 1"), text);
            assertTrue(text.contains("lethe_http_server_requests_seconds_bucket{method=\"GET\",route=\"/v1/erasures/{id}\","
                    + "status=\"200\""), text);
            assertTrue(text.contains("route=\"/v1/erasures/{id}\",status=\"401\""), text);
        });
    }

    @Test
    void shouldCountEveryExchangeOfOneRouteAndStatusInOneSeries() {
        fixture.ledger.requests.put(REQUEST_ID, FakeLedgerClient.requestJson(REQUEST_ID, "billing"));
        JavalinTest.test(fixture.app(), (server, client) -> {
            for (int i = 0; i < 3; i++) {
                get(client, "/v1/erasures/" + REQUEST_ID, SUBMITTER);
            }
            get(client, "/v1/erasures/" + REQUEST_ID, null);
            final String text = get(client, "/metrics", null).body().string();

            assertTrue(text.contains("lethe_http_server_requests_seconds_count{method=\"GET\",route=\"/v1/erasures/{id}\","
                    + "status=\"200\"} 3"), text);
            assertTrue(text.contains("lethe_http_server_requests_seconds_count{method=\"GET\",route=\"/v1/erasures/{id}\","
                    + "status=\"401\"} 1"), text);
        });
    }

    @Test
    void shouldStillServeMetricsWhenTheLedgerCannotGiveStats() {
        fixture.ledger.statsFailure = new IllegalStateException("ledger down");
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = get(client, "/metrics", null);

            assertEquals(200, response.code());
            assertTrue(response.body().string().contains("lethe_ledger_stats_up 0"));
        });
    }

    @Test
    void shouldLogRefusalsWithTheRouteTemplateNeverTheTokenOrTheIdentifier() {
        final Logger guardLog = (Logger) LoggerFactory.getLogger(Guard.class);
        final ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        guardLog.addAppender(appender);
        try {
            JavalinTest.test(fixture.app(), (server, client) -> {
                get(client, "/v1/subjects/email/kim@example.com", "secret-wrong-token-1234567");
                get(client, "/v1/subjects/email/kim@example.com", Fixture.BILLING);
            });
        } finally {
            guardLog.detachAppender(appender);
        }
        assertEquals(2, appender.list.size());
        for (final ILoggingEvent event : appender.list) {
            final String message = event.getFormattedMessage();
            assertTrue(message.contains("/v1/subjects/{namespace}/{value}"), message);
            assertFalse(message.contains("kim@example.com"), message);
            assertFalse(message.contains("secret-wrong-token"), message);
            assertFalse(message.contains(Fixture.BILLING), message);
        }
    }
}
