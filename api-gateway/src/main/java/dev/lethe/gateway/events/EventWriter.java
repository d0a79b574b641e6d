package dev.lethe.gateway.events;

import dev.lethe.avro.Decision;
import dev.lethe.avro.ErasureRequested;
import dev.lethe.avro.SystemCallback;
import dev.lethe.avro.SystemRegistration;

/**
 * Writes the gateway's events to the log, keyed by request id (registrations by
 * system name). A call returns only once the
 * event is durable; a failure is a {@link WriteFailedException}, after which the caller must
 * not report the event as accepted.
 */
public interface EventWriter {

    /** Writes a new request to {@code erasure.requests}. */
    Written write(ErasureRequested request);

    /** Writes a system's answer to {@code erasure.callbacks}. */
    Written write(SystemCallback callback);

    /** Writes a decision about a request to {@code erasure.decisions}. */
    Written write(Decision decision);

    /** Writes a registration to {@code erasure.systems}, keyed by the system's name. */
    Written write(SystemRegistration system);

    /** Retires system {@code name}: a tombstone on {@code erasure.systems}. */
    Written retire(String name);
}
