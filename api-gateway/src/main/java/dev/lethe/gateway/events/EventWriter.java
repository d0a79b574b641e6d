package dev.lethe.gateway.events;

import dev.lethe.avro.Decision;
import dev.lethe.avro.ErasureRequested;
import dev.lethe.avro.SystemCallback;
import dev.lethe.avro.SystemRegistration;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the gateway's events to the log, keyed by request id (registrations by
 * system name). A call returns only once the
 * event is durable; a failure is a {@link WriteFailedException}, after which the caller must
 * not report the event as accepted.
 */
public interface EventWriter {

    /** Writes a new request to {@code erasure.requests}. */
    Written write(ErasureRequested request);

    /**
     * Writes new requests to {@code erasure.requests}, together (an implementation sends them all
     * before waiting, so that the producer batches them into few broker round trips); one outcome
     * per request, in order. Each request is durable or failed on its own. This default writes them
     * one by one.
     */
    default List<WriteOutcome> writeAll(List<ErasureRequested> requests) {
        final List<WriteOutcome> outcomes = new ArrayList<>(requests.size());
        for (ErasureRequested request : requests) {
            try {
                outcomes.add(WriteOutcome.of(write(request)));
            } catch (WriteFailedException e) {
                outcomes.add(WriteOutcome.failed(e));
            }
        }
        return outcomes;
    }

    /** Writes a system's answer to {@code erasure.callbacks}. */
    Written write(SystemCallback callback);

    /** Writes a decision about a request to {@code erasure.decisions}. */
    Written write(Decision decision);

    /** Writes a registration to {@code erasure.systems}, keyed by the system's name. */
    Written write(SystemRegistration system);

    /** Retires system {@code name}: a tombstone on {@code erasure.systems}. */
    Written retire(String name);
}
