package dev.lethe.gateway.ledger;

import dev.lethe.gateway.events.Written;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Reads the ledger (the streams-app's query endpoint). Answers are the ledger's own JSON,
 * relayed as they are. An unknown request is an {@code ApiException} 404, a refused state a 409
 * with the ledger's code; a ledger that cannot
 * answer now (store migrating, not caught up, unreachable) an {@code ApiException} 503 with a
 * {@code Retry-After}.
 */
public interface LedgerClient {

    /** The JSON of {@code GET /v1/erasures/{id}} for request {@code id}. */
    String request(String id);

    /**
     * The JSON {@code GET /v1/erasures/{id}} answers: the request's view without its internal fields.
     * This default reads {@link #request} and strips them; a client may ask the ledger for the public
     * view and relay it as it is.
     */
    default String publicRequest(String id) {
        return LedgerJson.publicRequest(LedgerJson.parse(request(id))).toString();
    }

    /**
     * As {@link #request}, after the ledger has processed the log up to {@code position}, waiting
     * at most {@code wait} for it (a 503 when it has not caught up by then).
     */
    String requestAfter(String id, Written position, Duration wait);

    /** The JSON of {@code GET /v1/erasures/{id}/audit}: the request's audit trail, oldest first. */
    String audit(String id);

    /** The registered systems. */
    List<RegisteredSystem> systems();

    /**
     * One page of the cluster-wide list, newest first: {@code {"items": [...], "next": cursor|null}}.
     *
     * @param query the list's query parameters (already checked), passed through as they are
     */
    String list(Map<String, String> query);

    /** The certificate of erasure of a finished request; a 409 {@code not_finished} otherwise. */
    String certificate(String id);

    /**
     * What the ledger knows of one subject: {@code {"subjectKey", "erased", "lastErasedAt",
     * "requests", "open": [{"id", "status", "scope"}]}}. The raw value travels in the body only.
     */
    String lookup(String namespace, String value);

    /**
     * {@link #lookup} of many subjects at once (pairs of namespace and value), in order: each
     * answer's JSON, or null where the ledger cannot answer now (the caller goes on without it, as
     * on a 503). This default asks one by one; a ledger client may ask in one call.
     */
    default List<String> lookupAll(List<Map.Entry<String, String>> subjects) {
        final List<String> answers = new java.util.ArrayList<>(subjects.size());
        for (Map.Entry<String, String> subject : subjects) {
            String answer;
            try {
                answer = lookup(subject.getKey(), subject.getValue());
            } catch (dev.lethe.gateway.http.ApiException e) {
                if (e.status() != 503 && e.status() != 404) {
                    throw e;
                }
                answer = null;
            }
            answers.add(answer);
        }
        return answers;
    }

    /** The registration of system {@code name} (404 when there is none). */
    String system(String name);

    /**
     * Checks a SQL system's registration (its JSON, with {@code name}) against the database it
     * names: returns when it fits, throws a 400 {@code ApiException} naming the field when a table
     * or column does not exist, a 503 when no ledger instance can reach SQL databases.
     */
    default void checkSql(String registrationJson) {
        throw dev.lethe.gateway.http.ApiException.unavailable("this ledger client cannot check SQL systems", 30);
    }

    /**
     * A SQL system's rows per table for one identifier, without changing anything:
     * {@code {"system", "namespace", "tables": {table: rows}, "total"}}. The raw value travels in
     * the body only.
     */
    default String previewSql(String system, String namespace, String value) {
        throw dev.lethe.gateway.http.ApiException.unavailable("this ledger client cannot preview SQL systems", 30);
    }

    /** Cluster-wide counts: {@code {"byStatus", "overdue", "pendingBySystem", "instances"}}. */
    String stats();

    /** Whether the ledger is running; never throws. */
    LedgerHealth health();
}
