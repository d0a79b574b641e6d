package dev.lethe.gateway.erasure;

import dev.lethe.gateway.events.Written;
import dev.lethe.gateway.http.ApiException;
import dev.lethe.gateway.ledger.LedgerClient;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits, after a durable write, until the ledger has applied it, so that a read right after
 * the 202 sees the change. The write is accepted either way: a ledger that has not caught up
 * in time is logged (with the request id only) and the caller still answers 202.
 */
public final class Confirmation {

    private static final Logger LOG = LoggerFactory.getLogger(Confirmation.class);

    private final LedgerClient ledger;
    private final Duration wait;

    public Confirmation(LedgerClient ledger, Duration wait) {
        this.ledger = ledger;
        this.wait = wait;
    }

    /**
     * Waits for the ledger to apply {@code written} for request {@code requestId}: the request's
     * view once applied, or null when the ledger did not confirm in time.
     */
    public String await(String requestId, Written written) {
        try {
            return ledger.requestAfter(requestId, written, wait);
        } catch (ApiException e) {
            LOG.warn("request {} is written at {}-{}@{} but the ledger did not confirm it within {} ms ({} {})",
                    requestId, written.topic(), written.partition(), written.offset(), wait.toMillis(), e.status(),
                    e.code());
            return null;
        } catch (RuntimeException e) {
            // The event is durable: answering anything but 202 would invite a duplicate retry.
            LOG.error("request {} is written at {}-{}@{} but confirming it with the ledger failed", requestId,
                    written.topic(), written.partition(), written.offset(), e);
            return null;
        }
    }
}
