package dev.lethe.ledger.notify;

import dev.lethe.avro.Notification;
import dev.lethe.ledger.kafka.Committer;
import dev.lethe.ledger.kafka.ConsumerLoop;
import dev.lethe.ledger.kafka.Step;
import dev.lethe.schemas.LetheSerdes;
import dev.lethe.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the notification webhook for every record of {@code erasure.notifications}: one consumer
 * (own group {@code <application id>-notifier}, read_committed, so only notifications of
 * committed ledger transactions) on its own thread ({@link ConsumerLoop}), in order. Each record's
 * offset is committed after the webhook took it, or after its last retry failed: then the
 * notification is logged as lost and the notifier goes on (a webhook that is down must not stop
 * the next ones for ever). A record that cannot be decoded is logged and skipped. When a commit
 * fails (e.g. the group rebalanced), the notifier goes back to the last committed offsets and
 * delivers from there again: a notification may then arrive twice, none is skipped.
 */
public final class WebhookNotifier implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookNotifier.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    /** Enough for the notification in hand to finish its attempts. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);

    private final LetheSerdes serdes;
    private final Predicate<Notification> sender;
    private final ConsumerLoop<byte[], byte[], Void> loop;

    /** A notifier over {@code consumer} (which it owns) that hands each notification to {@code sender}. */
    WebhookNotifier(Consumer<byte[], byte[]> consumer, LetheSerdes serdes, Predicate<Notification> sender) {
        this.serdes = serdes;
        this.sender = sender;
        this.loop = new ConsumerLoop<>("lethe-webhook-notifier", consumer, List.of(Topics.NOTIFICATIONS), POLL,
                this::deliver, Committer.sync());
    }

    /** Starts a notifier reading from {@code bootstrapServers} in group {@code applicationId + "-notifier"}. */
    public static WebhookNotifier start(String bootstrapServers, String applicationId, LetheSerdes serdes,
                                        NotifierConfig config) {
        final KafkaConsumer<byte[], byte[]> consumer = NotificationConsumers.create(bootstrapServers,
                applicationId + "-notifier", 50, Duration.ofMinutes(15));
        final WebhookNotifier notifier = new WebhookNotifier(consumer, serdes, new WebhookSender(config)::send);
        LOG.info("notification webhook on; calling {}://{}", config.url().getScheme(), config.url().getHost());
        return notifier.start();
    }

    /** Subscribes and starts the notifier's thread. */
    WebhookNotifier start() {
        loop.start(START_TIMEOUT);
        return this;
    }

    public boolean isRunning() {
        return loop.isRunning();
    }

    /** Delivers one notification; its offset is committed at once, whether the webhook took it or not. */
    private Step<Void> deliver(ConsumerRecord<byte[], byte[]> record) {
        final Notification notification = NotificationConsumers.read(serdes, record);
        if (notification != null && !sender.test(notification)) {
            LOG.warn("gave up on notification {} of request {}; continuing with the next",
                    notification.getType(), notification.getRequestId());
        }
        return Step.commit(List.of());
    }

    /** Stops after the notification in hand (it is committed once its attempts are done). */
    @Override
    public void close() {
        loop.close(CLOSE_TIMEOUT);
    }
}
