package dev.lethe.gateway.events;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lethe.avro.CallbackOutcome;
import dev.lethe.avro.DeadlineExtended;
import dev.lethe.avro.Decision;
import dev.lethe.avro.ErasureRequested;
import dev.lethe.avro.Identifier;
import dev.lethe.avro.SystemCallback;
import dev.lethe.avro.SystemMode;
import dev.lethe.avro.SystemRegistration;
import dev.lethe.schemas.LetheSerdes;
import dev.lethe.schemas.Topics;
import dev.lethe.schemas.registry.InMemorySchemaRegistryClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

class KafkaEventWriterTest {

    private static final String ID = "6f1c2a3e-8b4d-4c5e-9f60-718293a4b5c6";
    private static final Instant NOW = Instant.parse("2026-03-01T10:15:30.123Z");

    private final LetheSerdes serdes = new LetheSerdes(new InMemorySchemaRegistryClient());

    private static MockProducer<byte[], byte[]> producer(boolean autoComplete) {
        return new MockProducer<>(autoComplete, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static ErasureRequested request() {
        return new ErasureRequested(ID, new Identifier("user_id", "u-1842"), List.of(), "GDPR", "account_deleted",
                "accounts-service", null, List.of(), 0, NOW, "submitter", null, null, null);
    }

    @Test
    void shouldWriteARequestKeyedByItsIdToTheRequestsTopic() {
        final MockProducer<byte[], byte[]> producer = producer(true);
        final KafkaEventWriter writer = new KafkaEventWriter(producer, serdes, Duration.ofSeconds(1));

        final Written written = writer.write(request());

        final ProducerRecord<byte[], byte[]> sent = producer.history().get(0);
        assertEquals(Topics.REQUESTS, sent.topic());
        assertEquals(ID, serdes.key().deserialize(Topics.REQUESTS, sent.key()));
        assertEquals(request(), serdes.request().deserialize(Topics.REQUESTS, sent.value()));
        assertEquals(Topics.REQUESTS, written.topic());
        assertEquals(0L, written.offset());
    }

    @Test
    void shouldWriteACallbackKeyedByItsRequestIdToTheCallbacksTopic() {
        final MockProducer<byte[], byte[]> producer = producer(true);
        final KafkaEventWriter writer = new KafkaEventWriter(producer, serdes, Duration.ofSeconds(1));
        final SystemCallback callback = new SystemCallback("e-1", ID, "billing", NOW, "partner:billing",
                CallbackOutcome.DONE, 12L, null, null, null);

        final Written written = writer.write(callback);

        final ProducerRecord<byte[], byte[]> sent = producer.history().get(0);
        assertEquals(Topics.CALLBACKS, sent.topic());
        assertEquals(ID, serdes.key().deserialize(Topics.CALLBACKS, sent.key()));
        assertEquals(callback, serdes.callback().deserialize(Topics.CALLBACKS, sent.value()));
        assertEquals(Topics.CALLBACKS, written.topic());
    }

    @Test
    void shouldWriteADecisionKeyedByItsRequestIdToTheDecisionsTopic() {
        final MockProducer<byte[], byte[]> producer = producer(true);
        final KafkaEventWriter writer = new KafkaEventWriter(producer, serdes, Duration.ofSeconds(1));
        final Decision decision = new Decision("e-2", ID, NOW, "approver", new DeadlineExtended("complex", 30));

        assertEquals(Topics.DECISIONS, writer.write(decision).topic());

        final ProducerRecord<byte[], byte[]> sent = producer.history().get(0);
        assertEquals(ID, serdes.key().deserialize(Topics.DECISIONS, sent.key()));
        assertEquals(decision, serdes.decision().deserialize(Topics.DECISIONS, sent.value()));
    }

    @Test
    void shouldKeyEveryRecordByItsIdAsPlainUtf8Text() {
        final MockProducer<byte[], byte[]> producer = producer(true);
        final KafkaEventWriter writer = new KafkaEventWriter(producer, serdes, Duration.ofSeconds(1));

        writer.write(request());
        writer.write(new SystemCallback("e-1", ID, "billing", NOW, "partner:billing", CallbackOutcome.DONE, 12L,
                null, null, null));
        writer.write(new Decision("e-2", ID, NOW, "approver", new DeadlineExtended("complex", 30)));
        writer.retire("media");

        final StringDeserializer text = new StringDeserializer();
        final List<String> keys = producer.history().stream().map(r -> text.deserialize(r.topic(), r.key())).toList();
        assertEquals(List.of(ID, ID, ID, "media"), keys);
    }

    @Test
    void shouldWriteARegistrationByNameAndRetireItWithATombstone() {
        final MockProducer<byte[], byte[]> producer = producer(true);
        final KafkaEventWriter writer = new KafkaEventWriter(producer, serdes, Duration.ofSeconds(1));
        final SystemRegistration media = SystemRegistration.newBuilder().setName("media").setOwner("o")
                .setContact("c").setMode(SystemMode.MANUAL).setNamespaces(List.of("user_id")).build();

        writer.write(media);
        writer.retire("media");

        final ProducerRecord<byte[], byte[]> registered = producer.history().get(0);
        final ProducerRecord<byte[], byte[]> retired = producer.history().get(1);
        assertEquals(Topics.SYSTEMS, registered.topic());
        assertEquals("media", serdes.key().deserialize(Topics.SYSTEMS, registered.key()));
        assertEquals(media, serdes.system().deserialize(Topics.SYSTEMS, registered.value()));
        assertEquals(Topics.SYSTEMS, retired.topic());
        assertEquals("media", serdes.key().deserialize(Topics.SYSTEMS, retired.key()));
        assertNull(retired.value());
    }

    @Test
    void shouldFailWhenTheBrokerRefusesTheWrite() {
        final MockProducer<byte[], byte[]> producer = producer(false);
        final KafkaEventWriter writer = new KafkaEventWriter(producer, serdes, Duration.ofSeconds(10));

        final CompletableFuture<Written> writing = CompletableFuture.supplyAsync(() -> writer.write(request()));
        await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 1);
        producer.errorNext(new NotEnoughReplicasException("test"));

        final CompletionException e = assertThrows(CompletionException.class, writing::join);
        assertEquals(WriteFailedException.class, e.getCause().getClass());
    }

    @Test
    void shouldFailWhenTheWriteIsNotAcknowledgedInTime() {
        final KafkaEventWriter writer = new KafkaEventWriter(producer(false), serdes, Duration.ofMillis(100));

        assertThrows(WriteFailedException.class, () -> writer.write(request()));
    }

    @Test
    void shouldConfigureAnIdempotentProducerAcknowledgedByAllReplicas() {
        final Map<String, Object> config = KafkaEventWriter.producerConfig("broker:9092");

        assertEquals("broker:9092", config.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
        assertEquals(true, config.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG));
        assertEquals("all", config.get(ProducerConfig.ACKS_CONFIG));
        final int delivery = (int) config.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG);
        final int request = (int) config.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG);
        final int linger = (int) config.get(ProducerConfig.LINGER_MS_CONFIG);
        assertEquals(true, delivery >= request + linger, "delivery.timeout.ms >= request.timeout.ms + linger.ms");
        assertEquals(true, KafkaEventWriter.SEND_TIMEOUT.toMillis() > delivery, "the caller outwaits delivery");
    }

    /**
     * With the broker unreachable each send blocks for max.block.ms and then fails on a timeout: a
     * batch of 1,000 must not try them one after the other (hours), but answer the rest at once.
     */
    @Test
    void shouldNotSendTheRestOfABatchOnceASendTimedOut() {
        final AtomicInteger sends = new AtomicInteger();
        final MockProducer<byte[], byte[]> unreachable = new MockProducer<>(true, null, new ByteArraySerializer(),
                new ByteArraySerializer()) {
            @Override
            public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
                sends.incrementAndGet();
                return CompletableFuture.failedFuture(new org.apache.kafka.common.errors.TimeoutException(
                        "Topic " + record.topic() + " not present in metadata after 10000 ms."));
            }
        };
        final KafkaEventWriter writer = new KafkaEventWriter(unreachable, serdes, Duration.ofSeconds(1));

        final List<WriteOutcome> outcomes = writer.writeAll(Collections.nCopies(50, request()));

        assertEquals(1, sends.get(), "only the first send is attempted");
        assertEquals(50, outcomes.size());
        outcomes.forEach(outcome -> assertNull(outcome.written()));
    }
}
