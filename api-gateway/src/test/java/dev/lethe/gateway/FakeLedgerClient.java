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
import java.util.function.Function;

/**
 * A {@link LedgerClient} over a map of request id to JSON, a list of systems and a health; it
 * records every wait it is asked for and can be told to fail reads or waits.
 */
final class FakeLedgerClient implements LedgerClient {

    /** One {@link #requestAfter} call. */
    record Wait(String id, Written position, Duration timeout) {
    }

    /** One {@link #list} call's parameters. */
    final List<Map<String, String>> listQueries = new CopyOnWriteArrayList<>();
    final Map<String, String> requests = new ConcurrentHashMap<>();
    /** What {@link #requestAfter} answers, when it should differ from {@link #requests} (the state after a write). */
    final Map<String, String> afterWait = new ConcurrentHashMap<>();
    final Map<String, String> certificates = new ConcurrentHashMap<>();
    /** Lookup answers by {@code namespace + "/" + value}; unknown subjects are never erased, nothing open. */
    final Map<String, String> subjects = new ConcurrentHashMap<>();
    final List<String> lookups = new CopyOnWriteArrayList<>();
    /** Registrations as the ledger shows them, by name. */
    final Map<String, String> registrations = new ConcurrentHashMap<>();
    volatile Function<Map<String, String>, String> pages = query -> "{\"items\":[],\"next\":null}";
    volatile String stats = "{\"byStatus\":{},\"overdue\":0,\"pendingBySystem\":{},\"instances\":[]}";
    volatile RuntimeException statsFailure;
    final Map<String, String> audits = new ConcurrentHashMap<>();
    final List<Wait> waits = new CopyOnWriteArrayList<>();
    volatile List<RegisteredSystem> systems = List.of(registered("billing"), registered("crm"),
            registered("analytics"));
    volatile LedgerHealth health = LedgerHealth.running();
    volatile RuntimeException readFailure;
    /** Fails only the registry read ({@link #systems()}). */
    volatile RuntimeException systemsFailure;
    /** Fails only the subject look-up. */
    volatile RuntimeException lookupFailure;
    /** Fails the batch look-up as one call (as the HTTP client does when the ledger cannot answer). */
    volatile RuntimeException lookupAllFailure;
    volatile RuntimeException waitFailure;
    /** What the SQL check throws (null: the registration fits its database); the JSON it was asked. */
    volatile RuntimeException sqlCheckFailure;
    final List<String> sqlChecks = new CopyOnWriteArrayList<>();
    /** The SQL preview's answer, and each call as {@code system/namespace/value}. */
    volatile String sqlPreview = "{\"system\":\"app\",\"namespace\":\"user_id\",\"tables\":{\"orders\":3},\"total\":3}";
    final List<String> sqlPreviews = new CopyOnWriteArrayList<>();

    @Override
    public void checkSql(String registrationJson) {
        sqlChecks.add(registrationJson);
        if (sqlCheckFailure != null) {
            throw sqlCheckFailure;
        }
    }

    @Override
    public String previewSql(String system, String namespace, String value) {
        sqlPreviews.add(system + "/" + namespace + "/" + value);
        return sqlPreview;
    }

    static RegisteredSystem registered(String name) {
        return registered(name, "event");
    }

    static RegisteredSystem registered(String name, String mode) {
        return new RegisteredSystem(name, name + "-team", name + "@example.com", mode, List.of("user_id", "email"),
                List.of("GDPR"), List.of(), 30, 24, 5, null, null, null);
    }

    /** A ledger answer for request {@code id} whose targets are {@code systems}. */
    static String requestJson(String id, String... systems) {
        return requestInState(id, "IN_PROGRESS", "DISPATCHED", systems);
    }

    /** A ledger answer for request {@code id} in {@code status}, every target system in {@code systemStatus}. */
    static String requestInState(String id, String status, String systemStatus, String... systems) {
        final StringBuilder targets = new StringBuilder();
        for (final String system : systems) {
            if (targets.length() > 0) {
                targets.append(',');
            }
            targets.append("{\"name\":\"").append(system).append("\",\"status\":\"").append(systemStatus)
                    .append("\",\"attempts\":1}");
        }
        return "{\"id\":\"" + id + "\",\"status\":\"" + status + "\",\"subjectKey\":\"ab12\","
                + "\"jurisdiction\":\"GDPR\",\"overdue\":false,\"fingerprint\":\"f00d\",\"systems\":[" + targets + "]}";
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
        return afterWait.getOrDefault(id, requests.getOrDefault(id, requestJson(id)));
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
        if (systemsFailure != null) {
            throw systemsFailure;
        }
        return systems;
    }

    @Override
    public String list(Map<String, String> query) {
        failIfAsked();
        listQueries.add(Map.copyOf(query));
        return pages.apply(query);
    }

    @Override
    public String certificate(String id) {
        failIfAsked();
        if (!requests.containsKey(id)) {
            throw ApiException.notFound("no erasure request " + id);
        }
        final String certificate = certificates.get(id);
        if (certificate == null) {
            throw new ApiException(409, "not_finished", "request " + id + " is not finished", null, null);
        }
        return certificate;
    }

    @Override
    public List<String> lookupAll(List<Map.Entry<String, String>> subjects) {
        if (lookupAllFailure != null) {
            throw lookupAllFailure;
        }
        return LedgerClient.super.lookupAll(subjects);
    }

    @Override
    public String lookup(String namespace, String value) {
        failIfAsked();
        lookups.add(namespace + "/" + value);
        if (lookupFailure != null) {
            throw lookupFailure;
        }
        return subjects.getOrDefault(namespace + "/" + value,
                "{\"subjectKey\":\"5ub\",\"erased\":false,\"lastErasedAt\":null,\"requests\":[],\"open\":[]}");
    }

    @Override
    public String system(String name) {
        failIfAsked();
        final String registration = registrations.get(name);
        if (registration == null) {
            throw ApiException.notFound("no registered system is named " + name);
        }
        return registration;
    }

    @Override
    public String stats() {
        if (statsFailure != null) {
            throw statsFailure;
        }
        return stats;
    }

    private void failIfAsked() {
        if (readFailure != null) {
            throw readFailure;
        }
    }

    @Override
    public LedgerHealth health() {
        return health;
    }
}
