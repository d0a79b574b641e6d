package dev.lethe.ledger.notify;

import dev.lethe.avro.Notification;
import dev.lethe.schemas.LetheSerdes;
import dev.lethe.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the notification webhook for every record of {@code erasure.notifications}: one consumer
 * (own group {@code <application id>-notifier}, read_committed, so only notifications of
 * committed ledger transactions) on its own thread, in order. Each record's offset is committed
 * after the webhook took it, or after its last retry failed: then the notification is logged
 * as lost and the notifier goes on (a webhook that is down must not stop the next ones for ever).
 * A record that cannot be decoded is logged and skipped.
 */
public final class WebhookNotifier implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookNotifier.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final Consumer<byte[], byte[]> consumer;
    private final LetheSerdes serdes;
    private final Predicate<Notification> sender;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;

    /** A notifier over {@code consumer} (which it owns) that hands each notification to {@code sender}. */
    WebhookNotifier(Consumer<byte[], byte[]> consumer, LetheSerdes serdes, Predicate<Notification> sender) {
        this.consumer = consumer;
        this.serdes = serdes;
        this.sender = sender;
        this.thread = new Thread(this::run, "lethe-webhook-notifier");
    }

    /** Starts a notifier reading from {@code bootstrapServers} in group {@code applicationId + "-notifier"}. */
    public static WebhookNotifier start(String bootstrapServers, String applicationId, LetheSerdes serdes,
                                        NotifierConfig config) {
        final Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, applicationId + "-notifier",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50,
                ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Duration.ofMinutes(15).toMillis());
        final KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props,
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        final WebhookNotifier notifier = new WebhookNotifier(consumer, serdes, new WebhookSender(config)::send);
        LOG.info("notification webhook on; calling {}://{}", config.url().getScheme(), config.url().getHost());
        return notifier.start();
    }

    /** Subscribes and starts the notifier's thread. */
    WebhookNotifier start() {
        consumer.subscribe(List.of(Topics.NOTIFICATIONS));
        thread.start();
        return this;
    }

    private void run() {
        try {
            while (running) {
                final ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    deliver(record);
                    consumer.commitSync(Map.of(new TopicPartition(record.topic(),
                            record.partition()), new OffsetAndMetadata(
                            record.offset() + 1)));
                    if (!running) {
                        break;
                    }
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (RuntimeException e) {
            LOG.error("the notification webhook stopped", e);
        } finally {
            consumer.close();
            stopped.countDown();
        }
    }

    private void deliver(ConsumerRecord<byte[], byte[]> record) {
        final Notification notification;
        try {
            notification = serdes.notification().deserialize(record.topic(), record.value());
        } catch (SerializationException e) {
            LOG.warn("skipping notification {}-{}@{} that cannot be read: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return;
        }
        if (notification != null && !sender.test(notification)) {
            LOG.warn("gave up on notification {} of request {}; continuing with the next",
                    notification.getType(), notification.getRequestId());
        }
    }

    /** Stops after the notification in hand (it is committed once its attempts are done). */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            if (!stopped.await(60, TimeUnit.SECONDS)) {
                LOG.warn("the notification webhook did not stop within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
