package dev.lethe.ledger.topology;

import dev.lethe.schemas.serde.CanonicalPartition;

/**
 * Where the ledger handles an input record about a request: every record about one request must
 * be applied on its request id's canonical partition ({@link CanonicalPartition}), where the
 * request's state lives. A record that landed elsewhere (a librdkafka producer's CRC32
 * partitioner, a Confluent-Avro key, a custom partitioner) is re-routed there once, inside the
 * ledger's exactly-once transaction; one that was re-routed already and still landed elsewhere
 * would loop, so it is refused instead.
 */
enum Placement {
    /** On the canonical partition: apply it here. */
    HERE,
    /** Elsewhere: forward the original value to the canonical partition, apply nothing here. */
    REROUTE,
    /** Elsewhere although already re-routed once: refuse it (dead-letter topic). */
    LOOP;

    static Placement of(int partition, String requestId, int partitions, boolean rerouted) {
        if (partition == CanonicalPartition.of(requestId, partitions)) {
            return HERE;
        }
        return rerouted ? LOOP : REROUTE;
    }
}
