package dev.lethe.ledger.kafka;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shared consumer loop against MockConsumer and MockProducer, including its failure paths. */
class ConsumerLoopTest {

    private static final String TOPIC = "in";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final LogConsumer consumer = new LogConsumer(TOPIC, 2);
    private final List<String> handled = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean handlerClosed = new AtomicBoolean();
    private ConsumerLoop<byte[], byte[], String> loop;

    @AfterEach
    void stop() {
        if (loop != null) {
            loop.close(WAIT);
        }
    }

    private void append(int partition, String value) {
        consumer.append(partition, null, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String value(ConsumerRecord<byte[], byte[]> record) {
        return new String(record.value(), StandardCharsets.UTF_8);
    }

    /** A handler that records each value and answers with {@code step}. */
    private ConsumerLoop.Handler<byte[], byte[], String> handler(Function<String, Step<String>> step) {
        return new ConsumerLoop.Handler<>() {
            @Override
            public Step<String> handle(ConsumerRecord<byte[], byte[]> record) {
                handled.add(value(record));
                return step.apply(value(record));
            }

            @Override
            public void close() {
                handlerClosed.set(true);
            }
        };
    }

    private void start(Duration poll, ConsumerLoop.Handler<byte[], byte[], String> handler,
                       Committer<byte[], byte[], String> committer) {
        loop = new ConsumerLoop<>("test-loop", consumer, List.of(TOPIC), poll, handler, committer).start(WAIT);
    }

    private void start(Function<String, Step<String>> step) {
        start(Duration.ofMillis(50), handler(step), Committer.sync());
    }

    @Test
    void shouldCommitEachRecordAfterItsHandlerInPartitionOrder() {
        append(0, "a1");
        append(0, "a2");
        append(1, "b1");
        start(v -> Step.commit(List.of()));

        await().atMost(WAIT).until(() -> consumer.committedOffset(0) == 2 && consumer.committedOffset(1) == 1);
        assertEquals(List.of("a1", "a2"), handled.stream().filter(v -> v.startsWith("a")).toList());
        assertEquals(List.of("b1"), handled.stream().filter(v -> v.startsWith("b")).toList());
    }

    @Test
    void shouldCommitPassedRecordsWithTheNextCommitOrAtTheEndOfTheBatch() {
        append(0, "skip1");
        append(0, "skip2");
        start(v -> Step.passed());

        await().atMost(WAIT).until(() -> consumer.committedOffset(0) == 2);
        assertEquals(List.of("skip1", "skip2"), handled);
    }

    @Test
    void shouldGoBackToTheCommittedOffsetsAndDropTheWholeBatchWhenACommitFails() {
        // Given records in two partitions, fetched in one poll, and the first commit fails
        consumer.failNextCommits(1);
        append(0, "a1");
        append(0, "a2");
        append(1, "b1");
        append(1, "b2");
        start(v -> Step.commit(List.of()));

        // When the loop has worked through them
        await().atMost(WAIT).until(() -> consumer.committedOffset(0) == 2 && consumer.committedOffset(1) == 2);

        // Then only the record whose commit failed was handled twice, and offsets never went back
        assertEquals(5, handled.size(), "handled: " + handled);
        assertEquals(Set.of("a1", "a2", "b1", "b2"), Set.copyOf(handled));
        assertEquals(2, handled.stream().filter(v -> v.equals(handled.get(0))).count());
        for (int partition = 0; partition < 2; partition++) {
            final var tp = consumer.partition(partition);
            final List<Long> offsets = consumer.commits().stream().filter(c -> c.containsKey(tp))
                    .map(c -> c.get(tp).offset()).toList();
            assertEquals(offsets.stream().sorted().toList(), offsets, "offsets of " + tp + " went back");
        }
        assertTrue(loop.isRunning());
    }

    @Test
    void shouldAbortTheTransactionAndHandleAgainWhenItsCommitFails() {
        // Given a transactional committer whose first commit fails with an abortable error
        final LinkedProducer producer = new LinkedProducer(consumer);
        producer.initTransactions();
        producer.failNextCommits(1);
        append(0, "a1");
        append(0, "a2");
        start(Duration.ofMillis(50), handler(v -> Step.commit(List.of("out-" + v))),
                Committer.transactional(producer, v -> new ProducerRecord<>("out", v.getBytes(StandardCharsets.UTF_8))));

        // When the loop has worked through them
        await().atMost(WAIT).until(() -> consumer.committedOffset(0) == 2);

        // Then the failed transaction was aborted and each output was committed once
        assertEquals(List.of("out-a1", "out-a2"), producer.history().stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList());
        assertEquals(List.of("a1", "a1", "a2"), handled);
    }

    @Test
    void shouldStopWithoutCommittingWhenItsProducerIsFenced() {
        final LinkedProducer producer = new LinkedProducer(consumer);
        producer.initTransactions();
        start(Duration.ofMillis(50), handler(v -> Step.commit(List.of(v))),
                Committer.transactional(producer, v -> new ProducerRecord<>("out", v.getBytes(StandardCharsets.UTF_8))));
        producer.fenceProducer();
        append(0, "a1");

        await().atMost(WAIT).until(() -> !loop.isRunning());
        assertEquals(-1, consumer.committedOffset(0));
        assertTrue(producer.history().isEmpty());
        assertTrue(consumer.closed());
        assertTrue(handlerClosed.get());
    }

    @Test
    void shouldStopWithoutCommittingTheRecordWhoseHandlerThrew() {
        append(0, "a1");
        append(0, "boom");
        append(0, "a3");
        start(v -> {
            if (v.equals("boom")) {
                throw new IllegalStateException("handler failed");
            }
            return Step.commit(List.of());
        });

        await().atMost(WAIT).until(() -> !loop.isRunning());
        assertEquals(1, consumer.committedOffset(0));
        assertEquals(List.of("a1", "boom"), handled);
        assertTrue(consumer.closed());
    }

    @Test
    void shouldHandleARecordAgainAfterARetry() {
        final AtomicBoolean retried = new AtomicBoolean();
        append(0, "a1");
        append(0, "a2");
        start(v -> v.equals("a1") && !retried.getAndSet(true) ? Step.retry() : Step.commit(List.of()));

        await().atMost(WAIT).until(() -> consumer.committedOffset(0) == 2);
        assertEquals(List.of("a1", "a1", "a2"), handled);
    }

    @Test
    void shouldPauseThePartitionAtARecordAndLeaveTheOthersGoing() {
        append(0, "wait");
        append(0, "a2");
        append(1, "b1");
        start(v -> v.equals("wait") ? Step.pause() : Step.commit(List.of()));

        await().atMost(WAIT).until(() -> consumer.committedOffset(1) == 1);
        assertTrue(consumer.paused().contains(consumer.partition(0)));
        assertFalse(handled.contains("a2"));
        assertTrue(consumer.committedOffset(0) <= 0);
    }

    @Test
    void shouldWakeTheConsumerUpWhenClosedDuringALongPoll() {
        // Given a loop waiting in a poll of one hour
        start(Duration.ofHours(1), handler(v -> Step.commit(List.of())), Committer.sync());
        await().atMost(WAIT).until(() -> !consumer.assignment().isEmpty());

        // When it is closed, then it stops at once and closes its consumer and handler
        assertTrue(loop.close(WAIT));
        assertFalse(loop.isRunning());
        assertTrue(consumer.closed());
        assertTrue(handlerClosed.get());
    }

    @Test
    void shouldReturnFromCloseAfterItsTimeoutAndHandleNothingMore() throws InterruptedException {
        // Given a handler that does not finish its record
        final CountDownLatch inHandler = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        append(0, "slow");
        append(0, "next");
        start(v -> {
            inHandler.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Step.commit(List.of());
        });
        assertTrue(inHandler.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));

        // When it is closed, close gives up after its timeout
        assertFalse(loop.close(Duration.ofMillis(100)));

        // Then once the record in hand finishes, it is committed and nothing more is handled
        release.countDown();
        await().atMost(WAIT).until(() -> !loop.isRunning());
        assertEquals(List.of("slow"), handled);
        assertEquals(1, consumer.committedOffset(0));
    }
}
