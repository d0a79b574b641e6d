package dev.lethe.gateway.ledger;

import dev.lethe.gateway.events.Written;
import dev.lethe.gateway.http.ApiException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@link LedgerClient} of a gateway that runs in one process with a ledger instance (the
 * embedded default): a request's view ({@code GET /v1/erasures/{id}}, the Idempotency-Key replay)
 * and the subject look-up of intake are read from that instance directly ({@link LocalLedger}),
 * saving an HTTP exchange per call; whatever it cannot answer itself, and every other call, goes
 * over HTTP ({@code http}) as before. The answers are the same JSON either way.
 */
public final class InProcessLedgerClient implements LedgerClient {

    private final LedgerClient http;
    private final Supplier<LocalLedger> local;

    /**
     * @param http  the client every call falls back to
     * @param local the ledger in this process, or null while it is not started yet
     */
    public InProcessLedgerClient(LedgerClient http, Supplier<LocalLedger> local) {
        this.http = http;
        this.local = local;
    }

    @Override
    public String request(String id) {
        final String answer = request(id, false);
        return answer != null ? answer : http.request(id);
    }

    @Override
    public String publicRequest(String id) {
        final String answer = request(id, true);
        return answer != null ? answer : http.publicRequest(id);
    }

    /** The local answer's JSON, a 404, or null when it must come over HTTP. */
    private String request(String id, boolean publicView) {
        final LocalLedger ledger = local.get();
        final LocalLedger.Reply reply = ledger == null ? null : ledger.request(id, publicView);
        if (reply == null) {
            return null;
        }
        if (reply.status() == 404) {
            throw ApiException.notFound("no erasure request " + id);
        }
        return reply.body();
    }

    @Override
    public String lookup(String namespace, String value) {
        final String answer = subject(namespace, value);
        return answer != null ? answer : http.lookup(namespace, value);
    }

    /** Each subject from the local ledger where it can answer; the rest in one call over HTTP. */
    @Override
    public List<String> lookupAll(List<Map.Entry<String, String>> subjects) {
        final List<String> answers = new ArrayList<>(subjects.size());
        final List<Integer> remote = new ArrayList<>();
        for (int i = 0; i < subjects.size(); i++) {
            final String answer = subject(subjects.get(i).getKey(), subjects.get(i).getValue());
            answers.add(answer);
            if (answer == null) {
                remote.add(i);
            }
        }
        if (!remote.isEmpty()) {
            final List<String> asked = http.lookupAll(remote.stream().map(subjects::get).toList());
            for (int j = 0; j < remote.size(); j++) {
                answers.set(remote.get(j), asked.get(j));
            }
        }
        return answers;
    }

    private String subject(String namespace, String value) {
        final LocalLedger ledger = local.get();
        final LocalLedger.Reply reply = ledger == null ? null : ledger.subject(namespace, value);
        return reply == null || reply.status() != 200 ? null : reply.body();
    }

    @Override
    public String requestAfter(String id, Written position, Duration wait) {
        return http.requestAfter(id, position, wait);
    }

    @Override
    public String audit(String id) {
        return http.audit(id);
    }

    @Override
    public List<RegisteredSystem> systems() {
        return http.systems();
    }

    @Override
    public String list(Map<String, String> query) {
        return http.list(query);
    }

    @Override
    public String certificate(String id) {
        return http.certificate(id);
    }

    @Override
    public void checkSql(String registrationJson) {
        http.checkSql(registrationJson);
    }

    @Override
    public String previewSql(String system, String namespace, String value) {
        return http.previewSql(system, namespace, value);
    }

    @Override
    public String system(String name) {
        return http.system(name);
    }

    @Override
    public String stats() {
        return http.stats();
    }

    @Override
    public LedgerHealth health() {
        return http.health();
    }
}
