package dev.lethe.gateway.events;

import dev.lethe.avro.ErasureRequested;
import dev.lethe.avro.SystemCallback;

/**
 * Writes the gateway's events to the log, keyed by request id. A call returns only once the
 * event is durable; a failure is a {@link WriteFailedException}, after which the caller must
 * not report the event as accepted.
 */
public interface EventWriter {

    /** Writes a new request to {@code erasure.requests}. */
    Written write(ErasureRequested request);

    /** Writes a system's answer to {@code erasure.callbacks}. */
    Written write(SystemCallback callback);
}
