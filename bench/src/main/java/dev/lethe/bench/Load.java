package dev.lethe.bench;

import dev.lethe.avro.CallbackOutcome;
import dev.lethe.avro.ErasureRequested;
import dev.lethe.avro.Identifier;
import dev.lethe.avro.SystemCallback;
import dev.lethe.schemas.LetheSerdes;
import dev.lethe.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes benchmark input straight onto Lethe's input topics with a batching, idempotent producer
 * (acks=all): erasure requests for new subjects, each followed by a DONE callback from every one
 * of the {@link BenchCluster#SYSTEMS} systems, so that each request runs its whole life. Every
 * batch is acknowledged before {@link #requestsWithCallbacks} returns.
 */
public final class Load implements AutoCloseable {

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(120);

    private final KafkaProducer<byte[], byte[]> producer;
    private final LetheSerdes serdes;

    public Load(BenchCluster cluster) {
        this.serdes = cluster.serdes();
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 10,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Writes {@code requests} new requests and all their callbacks; returns how many events that was. */
    public long requestsWithCallbacks(int requests) {
        final List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            final String id = UUID.randomUUID().toString();
            final Instant now = Instant.now();
            final byte[] key = serdes.key().serialize(Topics.REQUESTS, id);
            sent.add(send(Topics.REQUESTS, key, serdes.request().serialize(Topics.REQUESTS, request(id, now))));
            for (int s = 0; s < BenchCluster.SYSTEMS; s++) {
                sent.add(send(Topics.CALLBACKS, key,
                        serdes.callback().serialize(Topics.CALLBACKS, done(id, BenchCluster.system(s), now))));
            }
            if (sent.size() >= 50_000) {
                awaitAcks(sent);
            }
        }
        awaitAcks(sent);
        return (long) requests * (1 + BenchCluster.SYSTEMS);
    }

    /** Writes {@code count} new requests (no callbacks) and returns their ids. */
    public List<String> requests(int count) {
        final List<Future<RecordMetadata>> sent = new ArrayList<>();
        final List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            final String id = UUID.randomUUID().toString();
            ids.add(id);
            sent.add(send(Topics.REQUESTS, serdes.key().serialize(Topics.REQUESTS, id),
                    serdes.request().serialize(Topics.REQUESTS, request(id, Instant.now()))));
        }
        awaitAcks(sent);
        return ids;
    }

    /** A GDPR request for a new user id. */
    public static ErasureRequested request(String id, Instant at) {
        return ErasureRequested.newBuilder().setRequestId(id)
                .setSubject(new Identifier("user_id", "bench-" + id))
                .setJurisdiction("GDPR").setReason("account_deleted").setSource("lethe-bench")
                .setRequestedAt(at).setSubmittedBy("bench").build();
    }

    private static SystemCallback done(String id, String system, Instant at) {
        return new SystemCallback(UUID.randomUUID().toString(), id, system, at, "partner:" + system,
                CallbackOutcome.DONE, 1L, null, null, null);
    }

    private Future<RecordMetadata> send(String topic, byte[] key, byte[] value) {
        return producer.send(new ProducerRecord<>(topic, key, value));
    }

    private void awaitAcks(List<Future<RecordMetadata>> sent) {
        producer.flush();
        try {
            for (Future<RecordMetadata> future : sent) {
                future.get(ACK_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the broker did not acknowledge the benchmark load", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the benchmark load", e);
        }
        sent.clear();
    }

    /** The underlying producer, for writers of other topics (store preloads). */
    KafkaProducer<byte[], byte[]> producer() {
        return producer;
    }

    void flush(List<Future<RecordMetadata>> sent) {
        awaitAcks(sent);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
