package dev.lethe.gateway.events;

import dev.lethe.avro.Decision;
import dev.lethe.avro.ErasureRequested;
import dev.lethe.avro.SystemCallback;
import dev.lethe.avro.SystemRegistration;
import dev.lethe.schemas.LetheSerdes;
import dev.lethe.schemas.Topics;
import dev.lethe.schemas.crypto.Sealing;
import java.util.Optional;
import dev.lethe.schemas.registry.SchemaRegistryException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The {@link EventWriter} on Kafka: one idempotent producer ({@code acks=all}) of bytes, with
 * keys and values written by {@link LetheSerdes} in the Confluent wire format. Each write blocks
 * on the send until the broker acknowledges it or the send timeout passes, so an HTTP 202 is
 * given only for a durable event.
 */
public final class KafkaEventWriter implements EventWriter, AutoCloseable {

    /** How long a caller waits for one acknowledged write. */
    public static final Duration SEND_TIMEOUT = Duration.ofSeconds(16);
    static final int DELIVERY_TIMEOUT_MS = 15_000;
    static final int REQUEST_TIMEOUT_MS = 10_000;
    static final int MAX_BLOCK_MS = 10_000;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final Producer<byte[], byte[]> producer;
    private final LetheSerdes serdes;
    private final Duration sendTimeout;
    private final Optional<Sealing> sealing;

    public KafkaEventWriter(Producer<byte[], byte[]> producer, LetheSerdes serdes, Duration sendTimeout) {
        this(producer, serdes, sendTimeout, Optional.empty());
    }

    /**
     * @param sealing when present, every request's identifier values are sealed under a new data
     *                key before they leave the process (issue 12); absent, they are written in the clear
     */
    public KafkaEventWriter(Producer<byte[], byte[]> producer, LetheSerdes serdes, Duration sendTimeout,
                            Optional<Sealing> sealing) {
        this.producer = producer;
        this.serdes = serdes;
        this.sendTimeout = sendTimeout;
        this.sealing = sealing;
    }

    /** A writer with its own {@link KafkaProducer} to {@code bootstrapServers}, sealing with {@code sealing}. */
    public static KafkaEventWriter create(String bootstrapServers, LetheSerdes serdes, Optional<Sealing> sealing) {
        final KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(bootstrapServers),
                new ByteArraySerializer(), new ByteArraySerializer());
        return new KafkaEventWriter(producer, serdes, SEND_TIMEOUT, sealing);
    }

    /** The value of {@code request} on {@code erasure.requests}: sealed when this writer seals. */
    private byte[] value(ErasureRequested request) {
        final ErasureRequested written = sealing.map(s -> s.sealRequest(request)).orElse(request);
        return serialize(() -> serdes.request().serialize(Topics.REQUESTS, written));
    }

    /** The producer's settings: idempotent, every in-sync replica acknowledges, bounded waits. */
    public static Map<String, Object> producerConfig(String bootstrapServers) {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, "lethe-api-gateway",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, DELIVERY_TIMEOUT_MS,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK_MS);
    }

    @Override
    public Written write(ErasureRequested request) {
        final byte[] value = value(request);
        return send(Topics.REQUESTS, request.getRequestId(), value);
    }

    /**
     * Sends every request first, then waits for each acknowledgement, all within one send timeout
     * overall. A send can block up to {@code max.block.ms} when the broker cannot be reached (no
     * metadata, a full buffer): once one send has failed that way, or the time is up, the requests
     * left are answered as not written without being sent, so a batch never holds its caller for
     * more than about one send timeout.
     */
    @Override
    public List<WriteOutcome> writeAll(List<ErasureRequested> requests) {
        final long deadline = System.nanoTime() + sendTimeout.toNanos();
        final List<Future<RecordMetadata>> sent = new ArrayList<>(requests.size());
        final List<WriteOutcome> refused = new ArrayList<>(requests.size());
        String stalled = null;
        for (ErasureRequested request : requests) {
            if (stalled == null && System.nanoTime() - deadline > 0) {
                stalled = "the batch's " + sendTimeout.toMillis() + " ms ran out before it was sent";
            }
            if (stalled != null) {
                sent.add(null);
                refused.add(WriteOutcome.failed(new WriteFailedException("write of request " + request.getRequestId()
                        + " to " + Topics.REQUESTS + " not attempted: " + stalled, null)));
                continue;
            }
            try {
                final byte[] value = value(request);
                final byte[] key = serialize(() -> serdes.key().serialize(Topics.REQUESTS, request.getRequestId()));
                final Future<RecordMetadata> future = producer.send(new ProducerRecord<>(Topics.REQUESTS, key, value));
                sent.add(future);
                refused.add(null);
                if (timedOut(future)) {
                    stalled = "an earlier send of the batch timed out (the log is unreachable)";
                }
            } catch (WriteFailedException e) {
                sent.add(null);
                refused.add(WriteOutcome.failed(e));
            } catch (KafkaException e) {
                sent.add(null);
                refused.add(WriteOutcome.failed(new WriteFailedException("write of request " + request.getRequestId()
                        + " to " + Topics.REQUESTS + " refused", e)));
            }
        }
        final List<WriteOutcome> outcomes = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            outcomes.add(sent.get(i) == null ? refused.get(i)
                    : await(sent.get(i), requests.get(i).getRequestId(), deadline));
        }
        return outcomes;
    }

    /** True when the send has already failed on a timeout: it blocked for {@code max.block.ms} and gave up. */
    private static boolean timedOut(Future<RecordMetadata> future) {
        if (!future.isDone()) {
            return false;
        }
        try {
            future.get();
            return false;
        } catch (ExecutionException e) {
            return e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private WriteOutcome await(Future<RecordMetadata> sent, String requestId, long deadline) {
        try {
            final RecordMetadata metadata = sent.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return WriteOutcome.of(new Written(metadata.topic(), metadata.partition(), metadata.offset()));
        } catch (ExecutionException e) {
            return WriteOutcome.failed(new WriteFailedException("write of request " + requestId + " to "
                    + Topics.REQUESTS + " failed", e.getCause()));
        } catch (TimeoutException e) {
            return WriteOutcome.failed(new WriteFailedException("write of request " + requestId + " to "
                    + Topics.REQUESTS + " not acknowledged within " + sendTimeout.toMillis() + " ms", e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return WriteOutcome.failed(new WriteFailedException("interrupted while writing request " + requestId
                    + " to " + Topics.REQUESTS, e));
        }
    }

    @Override
    public Written write(SystemCallback callback) {
        final byte[] value = serialize(() -> serdes.callback().serialize(Topics.CALLBACKS, callback));
        return send(Topics.CALLBACKS, callback.getRequestId(), value);
    }

    @Override
    public Written write(Decision decision) {
        final byte[] value = serialize(() -> serdes.decision().serialize(Topics.DECISIONS, decision));
        return send(Topics.DECISIONS, decision.getRequestId(), value);
    }

    @Override
    public Written write(SystemRegistration system) {
        final byte[] value = serialize(() -> serdes.system().serialize(Topics.SYSTEMS, system));
        return send(Topics.SYSTEMS, system.getName(), value);
    }

    @Override
    public Written retire(String name) {
        return send(Topics.SYSTEMS, name, null);
    }

    private Written send(String topic, String requestId, byte[] value) {
        final byte[] key = serialize(() -> serdes.key().serialize(topic, requestId));
        try {
            final Future<RecordMetadata> sent = producer.send(new ProducerRecord<>(topic, key, value));
            final RecordMetadata metadata = sent.get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Written(metadata.topic(), metadata.partition(), metadata.offset());
        } catch (ExecutionException e) {
            throw new WriteFailedException("write of request " + requestId + " to " + topic + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new WriteFailedException("write of request " + requestId + " to " + topic + " not acknowledged within "
                    + sendTimeout.toMillis() + " ms", e);
        } catch (KafkaException e) {
            throw new WriteFailedException("write of request " + requestId + " to " + topic + " refused", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WriteFailedException("interrupted while writing request " + requestId + " to " + topic, e);
        }
    }

    private static byte[] serialize(Supplier<byte[]> serializer) {
        try {
            return serializer.get();
        } catch (KafkaException | SchemaRegistryException e) {
            throw new WriteFailedException("cannot serialize the event (schema registry)", e);
        }
    }

    @Override
    public void close() {
        producer.close(CLOSE_TIMEOUT);
    }
}
