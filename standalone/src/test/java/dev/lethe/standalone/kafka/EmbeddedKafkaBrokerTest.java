package dev.lethe.standalone.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.schemas.TopicProvisioner;
import dev.lethe.schemas.TopicSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
class EmbeddedKafkaBrokerTest {

    private static final String TOPIC = "broker-test";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    @Test
    void shouldKeepRecordsAcrossARestartOnTheSameDataDir() throws Exception {
        // Given a broker that was formatted, written to and stopped
        final List<String> written = IntStream.range(0, 10).mapToObj(i -> "value-" + i).toList();
        final int clientPort;
        final int controllerPort;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.onFreePorts(dataDir).start()) {
            clientPort = broker.clientPort();
            controllerPort = broker.controllerPort();
            createTopic(broker.bootstrapServers());
            produce(broker.bootstrapServers(), written);
            assertEquals(written, consumeAll(broker.bootstrapServers(), written.size()));
        }
        assertTrue(Files.exists(dataDir.resolve("kafka-logs").resolve("meta.properties")));

        // When it starts again on the same data and ports
        try (EmbeddedKafkaBroker broker =
                     new EmbeddedKafkaBroker(dataDir, clientPort, controllerPort, Map.of()).start()) {
            // Then the topic and its records are still there, and it takes new ones
            assertEquals(written, consumeAll(broker.bootstrapServers(), written.size()));
            produce(broker.bootstrapServers(), List.of("after-restart"));
            assertEquals("after-restart", consumeAll(broker.bootstrapServers(), written.size() + 1).get(written.size()));
        }
    }

    @Test
    void shouldRestartOnTheSameDataDirWithOtherPorts() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.onFreePorts(dataDir).start()) {
            createTopic(broker.bootstrapServers());
            produce(broker.bootstrapServers(), List.of("kept"));
        }
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.onFreePorts(dataDir).start()) {
            assertEquals(List.of("kept"), consumeAll(broker.bootstrapServers(), 1));
        }
    }

    @Test
    void shouldLetARestartAfterACrashRegisterWithoutWaitingOutTheDeadBrokersSession() throws Exception {
        // Given a running broker
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.onFreePorts(dataDir).start()) {
            // Then the settings it runs with hold a dead incarnation's registration for at most 4 s
            // (not Kafka's 9 s), and a restarted broker is unfenced within a second of catching up
            final java.util.Properties running = new java.util.Properties();
            try (java.io.InputStream in = Files.newInputStream(dataDir.resolve("server.properties"))) {
                running.load(in);
            }
            assertTrue(Integer.parseInt(running.getProperty("broker.session.timeout.ms", "9000")) <= 4_000,
                    running.toString());
            assertTrue(Integer.parseInt(running.getProperty("broker.heartbeat.interval.ms", "2000")) <= 1_000,
                    running.toString());
            // and it serves with them
            createTopic(broker.bootstrapServers());
            produce(broker.bootstrapServers(), List.of("served"));
            assertEquals(List.of("served"), consumeAll(broker.bootstrapServers(), 1));
        }
    }

    private static void createTopic(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            new TopicProvisioner(admin, TIMEOUT).ensure(List.of(new TopicSpec(TOPIC, 1, (short) 1, Map.of())));
        }
    }

    private static void produce(String bootstrapServers, List<String> values)
            throws ExecutionException, InterruptedException {
        final Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(TOPIC, "key", value)).get();
            }
        }
    }

    /** Reads the topic from the beginning until {@code expected} records arrived or the timeout passed. */
    private static List<String> consumeAll(String bootstrapServers, int expected) {
        final Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        final List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            final TopicPartition partition = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            final Instant deadline = Instant.now().plus(TIMEOUT);
            while (values.size() < expected && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
