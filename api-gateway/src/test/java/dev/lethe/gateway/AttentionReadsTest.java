package dev.lethe.gateway;

import static dev.lethe.gateway.Fixture.SUBMITTER;
import static dev.lethe.gateway.Fixture.get;
import static dev.lethe.gateway.Fixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Requests that need a person, as lists, metrics and the OpenAPI document show them. */
class AttentionReadsTest {

    private final Fixture fixture = new Fixture();

    @Test
    void shouldPassTheAttentionFilterToTheLedger() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            final Response response = get(client, "/v1/erasures?attention=true", SUBMITTER);

            assertEquals(200, response.code(), response.body().string());
            assertEquals(Map.of("attention", "true", "limit", "50"), fixture.ledger.listQueries.get(0));
            assertEquals(400, get(client, "/v1/erasures?attention=maybe", SUBMITTER).code());
        });
    }

    @Test
    void shouldCountRequestsNeedingAPersonAsAMetric() {
        fixture.ledger.stats = """
                {"byStatus": {"IN_PROGRESS": 3}, "overdue": 0, "pendingBySystem": {}, "needsAttention": 2,
                 "attention": {"UNROUTED": 1, "CONTRADICTED": 1}, "instances": []}""";
        JavalinTest.test(fixture.app(), (server, client) -> {
            final String text = get(client, "/metrics", null).body().string();

            assertTrue(text.contains("lethe_requests_attention 2"), text);
            assertTrue(text.contains("lethe_requests_attention_by_reason{reason=\"UNROUTED\"} 1"), text);
            assertTrue(text.contains("lethe_requests_attention_by_reason{reason=\"CONTRADICTED\"} 1"), text);
        });
    }

    @Test
    void shouldDescribeAttentionAndPerSystemOverdueInTheRequestView() {
        JavalinTest.test(fixture.app(), (server, client) -> {
            final JsonNode document = json(get(client, "/openapi.json", null));
            final JsonNode schemas = document.path("components").path("schemas");

            assertTrue(schemas.path("RequestView").path("properties").has("attention"), schemas.toString());
            assertTrue(schemas.path("SystemView").path("properties").has("overdue"), schemas.toString());
            assertTrue(document.path("paths").has("/v1/erasures/{id}/acknowledge"));
        });
    }
}
