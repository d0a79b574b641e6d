package dev.lethe.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** What the store and archive preloaders share: a producer for bulk loads, and the wait for what it sent. */
final class Preloading {

    private Preloading() {
    }

    /** A producer of raw records for bulk loads (acks=all, large batches), with {@code extra} settings over those. */
    static KafkaProducer<byte[], byte[]> producer(BenchCluster cluster, Map<String, Object> extra) {
        final Map<String, Object> config = new HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 256L * 1024 * 1024));
        config.putAll(extra);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Flushes {@code producer}, waits until every send of {@code sent} is acknowledged, and empties it. */
    static void awaitAll(KafkaProducer<byte[], byte[]> producer, List<Future<RecordMetadata>> sent) throws Exception {
        producer.flush();
        for (Future<RecordMetadata> future : sent) {
            future.get();
        }
        sent.clear();
    }
}
