package dev.lethe.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lethe.gateway.http.ApiException;
import dev.lethe.gateway.ledger.InProcessLedgerClient;
import dev.lethe.gateway.ledger.LocalLedger;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@link InProcessLedgerClient}: the ledger in this process answers what it holds, HTTP the rest. */
class InProcessLedgerClientTest {

    private static final String HELD = "6f1c2a3e-8b4d-4c5e-9f60-718293a4b5c6";
    private static final String ELSEWHERE = "7a1c2a3e-8b4d-4c5e-9f60-718293a4b5c6";
    private static final String UNKNOWN = "8b1c2a3e-8b4d-4c5e-9f60-718293a4b5c6";

    private final FakeLedgerClient http = new FakeLedgerClient();
    private final Local local = new Local();

    /** A local ledger holding {@link #HELD}, not owning {@link #ELSEWHERE}, and owning but not holding the rest. */
    private static final class Local implements LocalLedger {
        final List<String> asked = new CopyOnWriteArrayList<>();
        final Map<String, String> subjects = new ConcurrentHashMap<>();

        @Override
        public Reply request(String id, boolean publicView) {
            asked.add(id + (publicView ? " public" : " internal"));
            if (id.equals(ELSEWHERE)) {
                return null;
            }
            return id.equals(HELD) ? new Reply(200, "{\"id\":\"" + HELD + "\",\"local\":" + !publicView + "}")
                    : new Reply(404, null);
        }

        @Override
        public Reply subject(String namespace, String value) {
            asked.add(namespace + "/" + value);
            final String known = subjects.get(namespace + "/" + value);
            return known == null ? null : new Reply(200, known);
        }
    }

    @Test
    void shouldReadAHeldRequestFromTheLedgerInThisProcessWithoutHttp() {
        http.readFailure = new IllegalStateException("asked over HTTP");
        final InProcessLedgerClient client = new InProcessLedgerClient(http, () -> local);

        assertEquals("{\"id\":\"" + HELD + "\",\"local\":false}", client.publicRequest(HELD));
        assertEquals("{\"id\":\"" + HELD + "\",\"local\":true}", client.request(HELD));
        assertEquals(List.of(HELD + " public", HELD + " internal"), local.asked);
    }

    @Test
    void shouldAnswer404ForARequestTheLocalLedgerOwnsAndDoesNotHold() {
        http.readFailure = new IllegalStateException("asked over HTTP");
        final InProcessLedgerClient client = new InProcessLedgerClient(http, () -> local);

        final ApiException e = assertThrows(ApiException.class, () -> client.publicRequest(UNKNOWN));
        assertEquals(404, e.status());
    }

    @Test
    void shouldAskOverHttpWhatTheLocalLedgerCannotAnswerOrBeforeItRuns() {
        http.requests.put(ELSEWHERE, "{\"id\":\"" + ELSEWHERE + "\",\"fingerprint\":\"f00d\"}");
        http.requests.put(HELD, "{\"id\":\"" + HELD + "\",\"over\":\"http\"}");

        assertEquals("{\"id\":\"" + ELSEWHERE + "\"}",
                new InProcessLedgerClient(http, () -> local).publicRequest(ELSEWHERE));
        assertEquals("{\"id\":\"" + HELD + "\",\"over\":\"http\"}",
                new InProcessLedgerClient(http, () -> null).request(HELD));
    }

    @Test
    void shouldLookSubjectsUpLocallyAndAskOnlyTheRestOverHttp() {
        local.subjects.put("user_id/u-1", "{\"subjectKey\":\"k1\",\"open\":[]}");
        final InProcessLedgerClient client = new InProcessLedgerClient(http, () -> local);

        assertEquals("{\"subjectKey\":\"k1\",\"open\":[]}", client.lookup("user_id", "u-1"));
        final List<String> answers = client.lookupAll(List.of(Map.entry("email", "kim@example.com"),
                Map.entry("user_id", "u-1")));

        assertEquals("{\"subjectKey\":\"k1\",\"open\":[]}", answers.get(1));
        assertEquals(List.of("email/kim@example.com"), http.lookups, "only the subject the local ledger lacks");
        assertEquals("5ub", dev.lethe.gateway.ledger.LedgerJson.parse(answers.get(0)).path("subjectKey").asText());
    }
}
