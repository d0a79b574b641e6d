package dev.lethe.ledger.notify;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.avro.Notification;
import dev.lethe.avro.RequestStatus;
import dev.lethe.ledger.kafka.LogConsumer;
import dev.lethe.schemas.LetheSerdes;
import dev.lethe.schemas.Topics;
import dev.lethe.schemas.registry.InMemorySchemaRegistryClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The notifier's consumer loop driven by MockConsumer: what it commits when a commit or a delivery fails. */
class WebhookNotifierTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final LetheSerdes serdes = new LetheSerdes(new InMemorySchemaRegistryClient());
    private final List<String> delivered = Collections.synchronizedList(new ArrayList<>());
    private final LogConsumer consumer = new LogConsumer(Topics.NOTIFICATIONS, 2);
    private WebhookNotifier notifier;

    @AfterEach
    void stop() {
        if (notifier != null) {
            notifier.close();
        }
    }

    private void start(Predicate<Notification> sender) {
        notifier = new WebhookNotifier(consumer, serdes, sender).start();
    }

    private void publish(int partition, String requestId) {
        final Notification notification = Notification.newBuilder().setRequestId(requestId).setType("STATUS")
                .setStatus(RequestStatus.IN_PROGRESS).setAt(Instant.parse("2026-11-02T12:00:00Z")).build();
        consumer.append(partition, requestId.getBytes(StandardCharsets.UTF_8),
                serdes.notification().serialize(Topics.NOTIFICATIONS, notification));
    }

    private boolean delivering(Notification notification) {
        delivered.add(notification.getRequestId());
        return true;
    }

    @Test
    void shouldDeliverEveryNotificationWhenACommitFails() {
        // Given three notifications, and the commit after the first one fails (the group rebalanced)
        consumer.failNextCommits(1);
        publish(0, "r1");
        publish(0, "r2");
        publish(0, "r3");
        start(this::delivering);

        // When the notifier has worked through them
        await().atMost(WAIT).until(() -> consumer.committedOffset(0) == 3);

        // Then every one was delivered, the one whose commit failed again, and the notifier still runs
        assertEquals(List.of("r1", "r1", "r2", "r3"), delivered);
        assertTrue(notifier.isRunning());
    }

    @Test
    void shouldRedeliverWhatFollowedAFailedCommitInEveryPartition() {
        // Given notifications in two partitions fetched in one poll, and the first commit fails
        consumer.failNextCommits(1);
        publish(0, "a1");
        publish(0, "a2");
        publish(1, "b1");
        publish(1, "b2");
        start(this::delivering);

        // When the notifier has worked through them
        await().atMost(WAIT).until(() -> consumer.committedOffset(0) == 2 && consumer.committedOffset(1) == 2);

        // Then every one was delivered, and no offset was committed past an undelivered one
        assertEquals(Set.of("a1", "a2", "b1", "b2"), Set.copyOf(delivered));
        assertEquals(5, delivered.size(), "only the notification whose commit failed is delivered again: " + delivered);
    }

    @Test
    void shouldGoOnAfterANotificationItGaveUpOn() {
        // Given a webhook that refuses the first notification after its last attempt
        publish(0, "lost");
        publish(0, "r2");
        start(n -> !n.getRequestId().equals("lost") && delivering(n));

        // Then the notifier logs it as lost and delivers the next one
        await().atMost(WAIT).until(() -> consumer.committedOffset(0) == 2);
        assertEquals(List.of("r2"), delivered);
    }

    @Test
    void shouldSkipANotificationThatCannotBeRead() {
        // Given an unreadable record before a notification
        consumer.append(0, new byte[0], new byte[] {1, 2, 3});
        publish(0, "r2");
        start(this::delivering);

        // Then the unreadable one is skipped and the next is delivered
        await().atMost(WAIT).until(() -> consumer.committedOffset(0) == 2);
        assertEquals(List.of("r2"), delivered);
    }

    @Test
    void shouldStopPromptlyWhenClosedWhileWaitingForNotifications() {
        // Given a running notifier with nothing to deliver
        start(this::delivering);
        await().atMost(WAIT).until(() -> !consumer.assignment().isEmpty());

        // When it is closed, then it stops and closes its consumer
        notifier.close();
        assertTrue(consumer.closed());
        assertTrue(!notifier.isRunning());
    }
}
