package dev.lethe.gateway.ledger;

import dev.lethe.gateway.events.Written;
import java.time.Duration;
import java.util.List;

/**
 * Reads the ledger (the streams-app's query endpoint). Answers are the ledger's own JSON,
 * relayed as they are. An unknown request is an {@code ApiException} 404; a ledger that cannot
 * answer now (store migrating, not caught up, unreachable) an {@code ApiException} 503 with a
 * {@code Retry-After}.
 */
public interface LedgerClient {

    /** The JSON of {@code GET /v1/erasures/{id}} for request {@code id}. */
    String request(String id);

    /**
     * As {@link #request}, after the ledger has processed the log up to {@code position}, waiting
     * at most {@code wait} for it (a 503 when it has not caught up by then).
     */
    String requestAfter(String id, Written position, Duration wait);

    /** The JSON of {@code GET /v1/erasures/{id}/audit}: the request's audit trail, oldest first. */
    String audit(String id);

    /** The registered systems. */
    List<RegisteredSystem> systems();

    /** Whether the ledger is running; never throws. */
    LedgerHealth health();
}
