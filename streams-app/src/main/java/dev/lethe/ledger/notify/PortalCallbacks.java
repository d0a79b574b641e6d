package dev.lethe.ledger.notify;

import dev.lethe.avro.Notification;
import dev.lethe.ledger.kafka.Committer;
import dev.lethe.ledger.kafka.ConsumerLoop;
import dev.lethe.ledger.kafka.Step;
import dev.lethe.schemas.LetheSerdes;
import dev.lethe.schemas.Topics;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls portals back for the requests they filed in OpenDSR form: one consumer of
 * {@code erasure.notifications} (own group {@code <application id>-opendsr-callbacks},
 * read_committed, so only status changes of committed ledger transactions) on its own thread
 * ({@link ConsumerLoop}), handing each notification to the {@link PortalCallbackSender}, which
 * makes each callback's first attempt before the offset is committed and retries on its own timer.
 * A record that cannot be decoded is logged and skipped. When a commit fails, the consumer goes
 * back to the last committed offsets: a callback may then arrive twice, none is skipped.
 */
public final class PortalCallbacks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PortalCallbacks.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);
    /** Notifications per poll: each may hold the loop for the sender's budget plus one call. */
    static final int MAX_POLL_RECORDS = 10;
    private static final Duration MIN_POLL_INTERVAL = Duration.ofMinutes(15);

    /**
     * The consumer's {@code max.poll.interval.ms}: longer than a poll of {@link #MAX_POLL_RECORDS}
     * notifications can take against silent portals (each: {@link PortalCallbackSender#FIRST_ATTEMPTS_BUDGET}
     * of first attempts, then one more call of up to connect + request timeout), so a backlog for
     * a portal that never answers cannot get the consumer evicted and rewound.
     */
    static Duration maxPollInterval(Duration callTimeout) {
        final Duration worst = PortalCallbackSender.FIRST_ATTEMPTS_BUDGET.plus(callTimeout.multipliedBy(2))
                .multipliedBy(MAX_POLL_RECORDS).plus(Duration.ofMinutes(1));
        return worst.compareTo(MIN_POLL_INTERVAL) > 0 ? worst : MIN_POLL_INTERVAL;
    }

    private final LetheSerdes serdes;
    private final PortalCallbackSender sender;
    private final ConsumerLoop<byte[], byte[], Void> loop;

    PortalCallbacks(Consumer<byte[], byte[]> consumer, LetheSerdes serdes, PortalCallbackSender sender) {
        this.serdes = serdes;
        this.sender = sender;
        this.loop = new ConsumerLoop<>("lethe-opendsr-callbacks", consumer, List.of(Topics.NOTIFICATIONS), POLL,
                this::deliver, Committer.sync());
    }

    /** Starts the sender reading from {@code bootstrapServers} in group {@code applicationId + "-opendsr-callbacks"}. */
    public static PortalCallbacks start(String bootstrapServers, String applicationId, LetheSerdes serdes,
                                        PortalCallbackConfig config) {
        final KafkaConsumer<byte[], byte[]> consumer = NotificationConsumers.create(bootstrapServers,
                applicationId + "-opendsr-callbacks", MAX_POLL_RECORDS, maxPollInterval(config.timeout()));
        final PortalCallbacks callbacks = new PortalCallbacks(consumer, serdes, new PortalCallbackSender(config));
        LOG.info("opendsr portal callbacks on; allowed hosts {}", config.hosts().hosts());
        callbacks.loop.start(START_TIMEOUT);
        return callbacks;
    }

    public boolean isRunning() {
        return loop.isRunning();
    }

    private Step<Void> deliver(ConsumerRecord<byte[], byte[]> record) {
        final Notification notification = NotificationConsumers.read(serdes, record);
        if (notification != null) {
            sender.deliver(notification);
        }
        return Step.commit(List.of());
    }

    /** Stops after the notification in hand; retries still waiting are dropped. */
    @Override
    public void close() {
        loop.close(CLOSE_TIMEOUT);
        sender.close();
    }
}
