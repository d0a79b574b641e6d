package dev.lethe.ledger.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ListQueryTest {

    @Test
    void shouldReadEveryFilter() {
        final ListQuery query = ListQuery.parse(params(Map.of("status", "IN_PROGRESS", "system", "billing",
                "systemStatus", "FAILED", "overdue", "true", "from", "2026-01-01T00:00:00Z", "limit", "10")));

        assertEquals("IN_PROGRESS", query.status());
        assertEquals("billing", query.system());
        assertEquals("FAILED", query.systemStatus());
        assertEquals(Boolean.TRUE, query.overdue());
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), query.from());
        assertEquals(10, query.limit());
        assertEquals(ListQuery.Field.REQUESTED_AT, query.field());
    }

    @Test
    void shouldReadAndPassOnTheAttentionFilter() {
        final ListQuery query = ListQuery.parse(params(Map.of("attention", "true")));

        assertEquals(Boolean.TRUE, query.attention());
        assertEquals("true", query.toParams().get("attention"));
        assertThrows(ListQuery.BadQueryException.class, () -> ListQuery.parse(params(Map.of("attention", "yes"))));
    }

    @Test
    void shouldRoundTripItsCursorAndParameters() {
        final ListQuery first = ListQuery.parse(params(Map.of("field", "finishedAt", "limit", "5")));
        final String cursor = first.cursor("9223370264493775807|some-id");

        final ListQuery next = ListQuery.parse(params(Map.of("field", "finishedAt", "limit", "5", "cursor", cursor)));

        assertEquals("9223370264493775807|some-id", next.after());
        assertEquals(next, ListQuery.parse(next.toParams().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue())))));
    }

    @Test
    void shouldRefuseBadParametersNamingThem() {
        assertEquals("status", refused(Map.of("status", "DONE")));
        assertEquals("limit", refused(Map.of("limit", "0")));
        assertEquals("limit", refused(Map.of("limit", "501")));
        assertEquals("limit", refused(Map.of("limit", "ten")));
        assertEquals("overdue", refused(Map.of("overdue", "yes")));
        assertEquals("from", refused(Map.of("from", "yesterday")));
        assertEquals("field", refused(Map.of("field", "updatedAt")));
        assertEquals("cursor", refused(Map.of("cursor", "%%%")));
        final String requestedCursor = ListQuery.parse(Map.of()).cursor("x");
        assertEquals("cursor", refused(Map.of("field", "finishedAt", "cursor", requestedCursor)));
    }

    @Test
    void refusesACursorThatIsNotAnIndexKeyAndTimesTheIndexCannotHold() {
        assertEquals("cursor", refused(Map.of("cursor", "garbage")));
        assertEquals("cursor", refused(Map.of("cursor", ListQuery.parse(Map.of()).cursor("not-an-index-key"))));
        assertEquals("cursor", refused(Map.of("cursor", ListQuery.parse(Map.of()).cursor("9223370264|x"))));
        assertEquals("from", refused(Map.of("from", "-999999999-01-01T00:00:00Z")));
        assertEquals("to", refused(Map.of("to", "+1000000000-12-31T23:59:59Z")));
        assertEquals("from", refused(Map.of("from", "1969-12-31T23:59:59Z")));
    }

    private static String refused(Map<String, String> params) {
        return assertThrows(ListQuery.BadQueryException.class, () -> ListQuery.parse(params(params))).parameter();
    }

    private static Map<String, List<String>> params(Map<String, String> single) {
        return single.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue())));
    }
}
