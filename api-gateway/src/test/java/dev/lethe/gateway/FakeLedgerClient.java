package dev.lethe.gateway;

import dev.lethe.gateway.events.Written;
import dev.lethe.gateway.http.ApiException;
import dev.lethe.gateway.ledger.LedgerClient;
import dev.lethe.gateway.ledger.LedgerHealth;
import dev.lethe.gateway.ledger.RegisteredSystem;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link LedgerClient} over a map of request id to JSON, a list of systems and a health; it
 * records every wait it is asked for and can be told to fail reads or waits.
 */
final class FakeLedgerClient implements LedgerClient {

    /** One {@link #requestAfter} call. */
    record Wait(String id, Written position, Duration timeout) {
    }

    final Map<String, String> requests = new ConcurrentHashMap<>();
    final Map<String, String> audits = new ConcurrentHashMap<>();
    final List<Wait> waits = new CopyOnWriteArrayList<>();
    volatile List<RegisteredSystem> systems = List.of(system("billing"), system("crm"), system("analytics"));
    volatile LedgerHealth health = LedgerHealth.running();
    volatile RuntimeException readFailure;
    volatile RuntimeException waitFailure;

    static RegisteredSystem system(String name) {
        return new RegisteredSystem(name, name + "-team", name + "@example.com", "event", List.of("user_id", "email"),
                List.of("GDPR"), List.of(), 30, 24);
    }

    /** A ledger answer for request {@code id} whose targets are {@code systems}. */
    static String requestJson(String id, String... systems) {
        final StringBuilder targets = new StringBuilder();
        for (final String system : systems) {
            if (targets.length() > 0) {
                targets.append(',');
            }
            targets.append("{\"name\":\"").append(system).append("\",\"status\":\"DISPATCHED\",\"attempts\":1}");
        }
        return "{\"id\":\"" + id + "\",\"status\":\"IN_PROGRESS\",\"subjectKey\":\"ab12\",\"jurisdiction\":\"GDPR\","
                + "\"overdue\":false,\"systems\":[" + targets + "]}";
    }

    @Override
    public String request(String id) {
        if (readFailure != null) {
            throw readFailure;
        }
        final String json = requests.get(id);
        if (json == null) {
            throw ApiException.notFound("no erasure request " + id);
        }
        return json;
    }

    @Override
    public String requestAfter(String id, Written position, Duration wait) {
        waits.add(new Wait(id, position, wait));
        if (waitFailure != null) {
            throw waitFailure;
        }
        return requests.getOrDefault(id, requestJson(id));
    }

    @Override
    public String audit(String id) {
        if (readFailure != null) {
            throw readFailure;
        }
        final String json = audits.get(id);
        if (json == null) {
            throw ApiException.notFound("no erasure request " + id);
        }
        return json;
    }

    @Override
    public List<RegisteredSystem> systems() {
        if (readFailure != null) {
            throw readFailure;
        }
        return systems;
    }

    @Override
    public LedgerHealth health() {
        return health;
    }
}
