package dev.lethe.ledger.executor.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lethe.avro.CallbackOutcome;
import dev.lethe.ledger.executor.Answer;
import dev.lethe.ledger.executor.Fixtures;
import dev.lethe.ledger.executor.Progress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The HTTP executor against a real local HTTP partner. */
class HttpEraserTest {

    private final HttpEraser eraser = new HttpEraser(Duration.ofMillis(5));

    private Answer call(Partner partner, int timeoutMs, int maxAttempts) {
        return eraser.erase(Fixtures.event("req-1", "42", List.of(), "crm"),
                Fixtures.httpSystem("crm", partner.url(), timeoutMs, maxAttempts), Progress.NONE);
    }

    @Test
    void shouldRetryServerErrorsThenSucceedWithOneIdempotencyKey() throws Exception {
        try (Partner partner = new Partner(3, 503, 200, "{}")) {
            final Answer answer = call(partner, 2_000, 5);

            assertEquals(CallbackOutcome.DONE, answer.outcome());
            assertEquals(4, partner.calls.size());
            assertEquals(1, partner.calls.stream().map(Partner.Call::idempotencyKey).distinct().count());
            assertEquals(HttpEraser.idempotencyKey("req-1", "crm"), partner.calls.get(0).idempotencyKey());
            final JsonNode body = new ObjectMapper().readTree(partner.calls.get(0).body());
            assertEquals("req-1", body.get("requestId").asText());
            assertEquals("sk-req-1", body.get("subjectKey").asText());
            assertEquals("42", body.get("identifiers").get(0).get("value").asText());
            assertEquals("2026-12-31T00:00:00Z", body.get("deadline").asText());
        }
    }

    @Test
    void shouldRetryTooManyRequestsAndRequestTimeout() throws Exception {
        try (Partner throttled = new Partner(2, 429, 204, "");
             Partner slow = new Partner(1, 408, 200, "ok")) {
            assertEquals(CallbackOutcome.DONE, call(throttled, 2_000, 3).outcome());
            assertEquals(CallbackOutcome.DONE, call(slow, 2_000, 3).outcome());
        }
    }

    @Test
    void shouldRetryATimeoutAndFailAfterTheLastAttempt() throws Exception {
        try (Partner hanging = new Partner(Integer.MAX_VALUE, 0, 200, "")) {
            final Answer answer = call(hanging, 200, 2);

            assertEquals(CallbackOutcome.FAILED, answer.outcome());
            assertEquals(2, hanging.calls.size());
            assertTrue(answer.detail().contains("timed out"), answer.detail());
        }
    }

    @Test
    void shouldAnswerNotFoundOn404() throws Exception {
        try (Partner partner = new Partner(0, 0, 404, "no such user")) {
            assertEquals(CallbackOutcome.NOT_FOUND, call(partner, 2_000, 5).outcome());
            assertEquals(1, partner.calls.size());
        }
    }

    @Test
    void shouldFailAtOnceOnAClientErrorWithTheBodyAsDetail() throws Exception {
        try (Partner partner = new Partner(0, 0, 422, "{\"error\":\"account is under legal hold\"}")) {
            final Answer answer = call(partner, 2_000, 5);

            assertEquals(CallbackOutcome.FAILED, answer.outcome());
            assertEquals(1, partner.calls.size());
            assertEquals("partner answered 422: {\"error\":\"account is under legal hold\"}", answer.detail());
        }
    }

    @Test
    void shouldFailAfterRetriesWhenTheServerKeepsFailing() throws Exception {
        try (Partner partner = new Partner(Integer.MAX_VALUE, 500, 200, "")) {
            final Answer answer = call(partner, 2_000, 4);

            assertEquals(CallbackOutcome.FAILED, answer.outcome());
            assertEquals(4, partner.calls.size());
            assertEquals("after 4 attempts: partner answered 500", answer.detail());
        }
    }
}
