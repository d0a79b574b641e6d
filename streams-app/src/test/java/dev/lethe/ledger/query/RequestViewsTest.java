package dev.lethe.ledger.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.ledger.domain.Callback;
import dev.lethe.ledger.domain.Decision;
import dev.lethe.ledger.domain.ErasureRequest;
import dev.lethe.ledger.domain.Identifier;
import dev.lethe.ledger.domain.Ledger;
import dev.lethe.ledger.domain.LedgerContext;
import dev.lethe.ledger.domain.LedgerEvent;
import dev.lethe.ledger.domain.LedgerPolicy;
import dev.lethe.ledger.domain.Outcome;
import dev.lethe.ledger.domain.RequestState;
import dev.lethe.ledger.domain.RequestStatus;
import dev.lethe.ledger.domain.Scope;
import dev.lethe.ledger.domain.SystemInfo;
import dev.lethe.ledger.domain.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the request view and the certificate show of requests that need a person and of overdue systems. */
class RequestViewsTest {

    private static final Instant NOW = Instant.parse("2026-03-02T09:00:00Z");
    private static final SystemInfo BILLING = new SystemInfo("billing", Set.of("user_id"), Set.of(), false, 7, 0, 5);
    private static final SystemInfo ADS = new SystemInfo("ads", Set.of("device_id"), Set.of());

    /** Folds the events, the subject gate admitting the request right after it is received. */
    private static RequestState fold(List<SystemInfo> registry, LedgerEvent... events) {
        final LedgerContext ctx = new LedgerContext(NOW, registry, LedgerPolicy.defaults());
        RequestState state = null;
        for (LedgerEvent event : events) {
            state = Ledger.apply(state, event, ctx).state();
            if (event instanceof LedgerEvent.Received) {
                state = Ledger.apply(state, new LedgerEvent.Gated(event.requestId(), new Verdict.Admitted()), ctx)
                        .state();
            }
        }
        return state;
    }

    private static LedgerEvent received() {
        return new LedgerEvent.Received(new ErasureRequest("r-1", new Identifier("user_id", "u-1"), List.of(), "GDPR",
                "account_deleted", "accounts", Scope.ALL, List.of(), 0, NOW, "submitter"), "key");
    }

    private static LedgerEvent callback(String id, Outcome outcome) {
        return new LedgerEvent.CalledBack(new Callback(id, "r-1", "billing", NOW, "partner:billing", outcome, null,
                "evidence", outcome == Outcome.RETAINED ? "tax law" : null));
    }

    private static LedgerEvent decision(Decision.Action action) {
        return new LedgerEvent.Decided(new Decision("d-1", "r-1", NOW, "approver", action));
    }

    @Test
    void shouldWriteThePublicViewAsTheInternalOneWithoutItsFingerprint() throws Exception {
        final RequestState state = fold(List.of(BILLING), new LedgerEvent.Received(new ErasureRequest("r-1",
                new Identifier("user_id", "u-1"), List.of(), "GDPR", "account_deleted", "accounts", Scope.ALL, List.of(),
                0, NOW, "submitter", "f00d"), "key"));
        final RequestView view = RequestView.of(state, NOW);

        final com.fasterxml.jackson.databind.node.ObjectNode internal = QueryServer.JSON.valueToTree(view);
        final String shown = new String(QueryServer.PUBLIC_REQUEST.writeValueAsBytes(view),
                java.nio.charset.StandardCharsets.UTF_8);

        assertEquals("f00d", internal.path("fingerprint").asText());
        assertFalse(shown.contains("fingerprint"), shown);
        internal.remove("fingerprint");
        assertEquals(internal.toString(), shown, "every other field, in the same order");
    }

    @Test
    void shouldShowWhyARequestNeedsAPersonAndNothingWhenItDoesNot() {
        final RequestView unrouted = RequestView.of(fold(List.of(ADS), received()), NOW);
        final RequestView routed = RequestView.of(fold(List.of(BILLING), received()), NOW);

        assertEquals(List.of("UNROUTED"), unrouted.attention());
        assertEquals("IN_PROGRESS", unrouted.status());
        assertEquals(List.of(), routed.attention());
    }

    @Test
    void shouldFlagASystemOverdueOnceItsOwnDeadlinePassesUnanswered() {
        final RequestState state = fold(List.of(BILLING), received());

        assertFalse(RequestView.of(state, NOW.plus(Duration.ofDays(7))).systems().get(0).overdue());
        final RequestView late = RequestView.of(state, NOW.plus(Duration.ofDays(7)).plusMillis(1));
        assertTrue(late.systems().get(0).overdue());
        assertFalse(late.overdue(), "the request's own deadline is a month away");
    }

    @Test
    void refusesACertificateForAnUnroutedACancelledOrAContradictedRequest() {
        final RequestState unrouted = fold(List.of(ADS), received());
        final RequestState cancelled = fold(List.of(ADS), received(), decision(new Decision.Cancel("typo")));
        final RequestState contradicted = fold(List.of(BILLING), received(), callback("cb-1", Outcome.DONE),
                callback("cb-2", Outcome.RETAINED));
        final RequestState acknowledged = fold(List.of(BILLING), received(), callback("cb-1", Outcome.DONE),
                callback("cb-2", Outcome.RETAINED), decision(new Decision.Acknowledge("stale report")));

        final Map<String, CertificateView.Refusal> refusals = Map.of(
                "unrouted", CertificateView.refusal(unrouted), "cancelled", CertificateView.refusal(cancelled),
                "contradicted", CertificateView.refusal(contradicted));

        assertEquals("not_finished", refusals.get("unrouted").error());
        assertTrue(refusals.get("unrouted").message().contains("IN_PROGRESS and needs a person (UNROUTED)"),
                refusals.get("unrouted").message());
        assertEquals("not_finished", refusals.get("cancelled").error());
        assertTrue(refusals.get("cancelled").message().contains("CANCELLED"));
        assertEquals("needs_attention", refusals.get("contradicted").error());
        assertNull(CertificateView.refusal(acknowledged));
        // a request an earlier version completed with no system at all erased nothing
        final RequestState empty = new RequestState("r-0", RequestStatus.COMPLETED, "key", null, List.of(), List.of(),
                List.of("customer_id"), "GDPR", "x", "y", Scope.ALL, 0, NOW, NOW, NOW, NOW, List.of(), List.of(), 4,
                null, "head", null, 0, false, List.of(), null);
        assertEquals("not_erased", CertificateView.refusal(empty).error());
        assertEquals("COMPLETED", acknowledged.status().name());
    }

    @Test
    void shouldWriteAKeptViewAgainOnceTimeMakesASystemOverdue() throws Exception {
        final RenderedViews views = new RenderedViews(QueryServer.JSON.writer(), QueryServer.PUBLIC_REQUEST);
        final RequestState state = fold(List.of(BILLING), received());
        final Instant late = NOW.plus(Duration.ofDays(7)).plusMillis(1);

        final String before = views.json(state, true, NOW);
        final String after = views.json(state, true, late);

        assertEquals(QueryServer.PUBLIC_REQUEST.writeValueAsString(RequestView.of(state, NOW)), before);
        assertEquals(QueryServer.PUBLIC_REQUEST.writeValueAsString(RequestView.of(state, late)), after);
        assertTrue(after.contains("\"overdue\":true"), after);
    }

    @Test
    void shouldWriteAKeptViewAgainWhenTheRequestChanged() throws Exception {
        final RenderedViews views = new RenderedViews(QueryServer.JSON.writer(), QueryServer.PUBLIC_REQUEST);
        final RequestState received = fold(List.of(BILLING), received());
        final RequestState done = fold(List.of(BILLING), received(), callback("cb-1", Outcome.DONE));

        views.json(received, false, NOW);
        final String answered = views.json(done, false, NOW);

        assertEquals(QueryServer.JSON.writer().writeValueAsString(RequestView.of(done, NOW)), answered);
    }

    @Test
    void shouldKeepTheInternalAndThePublicViewApart() throws Exception {
        final RenderedViews views = new RenderedViews(QueryServer.JSON.writer(), QueryServer.PUBLIC_REQUEST);
        final RequestState state = fold(List.of(BILLING), new LedgerEvent.Received(new ErasureRequest("r-1",
                new Identifier("user_id", "u-1"), List.of(), "GDPR", "account_deleted", "accounts", Scope.ALL, List.of(),
                0, NOW, "submitter", "f00d"), "key"));

        final String internal = views.json(state, false, NOW);
        final String shown = views.json(state, true, NOW);

        assertTrue(internal.contains("f00d"), internal);
        assertFalse(shown.contains("fingerprint"), shown);
        assertEquals(internal, views.json(state, false, NOW));
        assertEquals(shown, views.json(state, true, NOW));
    }

    @Test
    void shouldKeepNoIdentifierValueNorTheStateItself() throws Exception {
        final RenderedViews views = new RenderedViews(QueryServer.JSON.writer(), QueryServer.PUBLIC_REQUEST);
        final RequestState state = fold(List.of(BILLING), received());
        assertTrue(state.holdsIdentifiers(), "an open request holds its identifiers");

        views.json(state, false, NOW);
        views.json(state, true, NOW);

        final List<Object> kept = kept(views);
        assertFalse(kept.isEmpty(), "both views are kept");
        for (Object part : kept) {
            assertFalse(part instanceof RequestState, "the decoded state is not kept");
            assertFalse(String.valueOf(part).contains("u-1"), String.valueOf(part));
        }
    }

    @Test
    void shouldKeepNoFingerprintYetAnswerWithTheCurrentOne() throws Exception {
        final RenderedViews views = new RenderedViews(QueryServer.JSON.writer(), QueryServer.PUBLIC_REQUEST);
        final RequestState open = fold(List.of(BILLING), new LedgerEvent.Received(new ErasureRequest("r-1",
                new Identifier("user_id", "u-1"), List.of(), "GDPR", "account_deleted", "accounts", Scope.ALL, List.of(),
                0, NOW, "submitter", "f00d"), "key"));
        views.json(open, false, NOW);

        final String again = views.json(open, false, NOW);
        final String forgotten = views.json(open.forgotten(), false, NOW);

        assertEquals(QueryServer.JSON.writer().writeValueAsString(RequestView.of(open, NOW)), again);
        assertTrue(again.contains("\"fingerprint\":\"f00d\""), again);
        assertEquals(QueryServer.JSON.writer().writeValueAsString(RequestView.of(open.forgotten(), NOW)), forgotten);
        assertTrue(forgotten.contains("\"fingerprint\":null"), forgotten);
        views.json(open, false, NOW);
        for (Object part : kept(views)) {
            assertFalse(String.valueOf(part).contains("f00d"), "the fingerprint is not kept: " + part);
        }
    }

    @Test
    void shouldNotKeepAViewWhoseJsonIsOver64Kb() throws Exception {
        final RenderedViews views = new RenderedViews(QueryServer.JSON.writer(), QueryServer.PUBLIC_REQUEST);
        final RequestState state = fold(List.of(BILLING), new LedgerEvent.Received(new ErasureRequest("r-1",
                new Identifier("user_id", "u-1"), List.of(), "GDPR", "x".repeat(RenderedViews.MAX_JSON), "accounts",
                Scope.ALL, List.of(), 0, NOW, "submitter"), "key"));

        final String shown = views.json(state, true, NOW);

        assertEquals(QueryServer.PUBLIC_REQUEST.writeValueAsString(RequestView.of(state, NOW)), shown);
        assertEquals(0, kept(views).size(), "nothing of it is kept");
    }

    /** Every part of every entry the views keep (read reflectively, so it sees whatever they hold). */
    private static List<Object> kept(RenderedViews views) throws Exception {
        final List<Object> parts = new java.util.ArrayList<>();
        for (java.lang.reflect.Field field : RenderedViews.class.getDeclaredFields()) {
            if (Map.class.isAssignableFrom(field.getType())) {
                field.setAccessible(true);
                for (Object entry : ((Map<?, ?>) field.get(views)).values()) {
                    for (java.lang.reflect.RecordComponent c : entry.getClass().getRecordComponents()) {
                        final java.lang.reflect.Method accessor = c.getAccessor();
                        accessor.setAccessible(true);
                        parts.add(accessor.invoke(entry));
                    }
                }
            }
        }
        return parts;
    }
}
