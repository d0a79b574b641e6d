package dev.lethe.ledger.topology;

import dev.lethe.schemas.serde.CanonicalPartition;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.processor.StreamPartitioner;

/** Sends a re-routed input record to its request id's canonical partition. */
final class CanonicalPartitioner implements StreamPartitioner<String, byte[]> {

    @Override
    public Optional<Set<Integer>> partitions(String topic, String requestId, byte[] value, int numPartitions) {
        return Optional.of(Set.of(CanonicalPartition.of(requestId, numPartitions)));
    }
}
