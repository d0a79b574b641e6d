package dev.lethe.schemas.serde;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * The canonical partition of a key: Kafka's default for the key's UTF-8 bytes,
 * {@code toPositive(murmur2(utf8)) % partitions}, the partition Java's and kafkajs' default
 * partitioners pick for a {@link KeySerde} key. Every record about one request belongs on its
 * request id's canonical partition of each input topic; the ledger re-routes one that is not.
 */
public final class CanonicalPartition {

    private CanonicalPartition() {
    }

    /** The canonical partition of {@code key} among {@code partitions}. */
    public static int of(String key, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
