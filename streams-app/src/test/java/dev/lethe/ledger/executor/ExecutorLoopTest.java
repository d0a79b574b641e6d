package dev.lethe.ledger.executor;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.avro.CallbackOutcome;
import dev.lethe.avro.ErasureEvent;
import dev.lethe.avro.ProcessingWindow;
import dev.lethe.avro.SystemCallback;
import dev.lethe.avro.SystemRegistration;
import dev.lethe.ledger.kafka.LinkedProducer;
import dev.lethe.ledger.kafka.LogConsumer;
import dev.lethe.schemas.LetheSerdes;
import dev.lethe.schemas.Topics;
import dev.lethe.schemas.crypto.KeyRing;
import dev.lethe.schemas.registry.InMemorySchemaRegistryClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The executor's consumer loop driven by MockConsumer and MockProducer: what it commits when a
 * transaction fails, when its producer is fenced, around a processing window and for reminders.
 */
class ExecutorLoopTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final SystemRegistration CRM = Fixtures.httpSystem("crm", "http://crm.invalid/erase", 1_000, 1);

    private final LetheSerdes serdes = new LetheSerdes(new InMemorySchemaRegistryClient());
    private final List<String> erased = Collections.synchronizedList(new ArrayList<>());
    private final AtomicReference<Answer> nextAnswer = new AtomicReference<>(Answer.done(1, "erased"));
    private final SystemEraser eraser = (event, system, progress) -> {
        erased.add(event.getRequestId());
        return nextAnswer.get();
    };
    private final Map<String, SystemRegistration> systems = new ConcurrentHashMap<>(Map.of("crm", CRM));
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-02T12:00:00Z"));
    private final LogConsumer callbacks = new LogConsumer(Topics.CALLBACKS, 1);
    private LogConsumer events;
    private LinkedProducer answers;
    private ExecutorLoop loop;

    @AfterEach
    void stop() {
        if (loop != null) {
            loop.close();
        }
    }

    private ExecutorLoop start(int partitions) {
        return start(partitions, ExecutorKind.HTTP);
    }

    private ExecutorLoop start(int partitions, ExecutorKind kind) {
        return start(partitions, kind, eraser);
    }

    private ExecutorLoop start(int partitions, ExecutorKind kind, SystemEraser eraser) {
        events = new LogConsumer(Topics.EVENTS, partitions);
        answers = new LinkedProducer(events);
        final Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        loop = new ExecutorLoop(kind, eraser, name -> Optional.ofNullable(systems.get(name)), serdes,
                clock, new ExecutorLoop.Clients(events, answers,
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()), callbacks));
        return loop.start();
    }

    private void publish(int partition, ErasureEvent event) {
        events.append(partition, serdes.key().serialize(Topics.EVENTS, event.getSubjectKey()),
                serdes.event().serialize(Topics.EVENTS, event));
    }

    private static ErasureEvent event(String requestId, String... systems) {
        return Fixtures.event(requestId, "u-" + requestId, List.of(), systems);
    }

    private List<String> answered(List<ProducerRecord<byte[], byte[]>> records) {
        return records.stream()
                .map(r -> serdes.callback().deserialize(Topics.CALLBACKS, r.value()))
                .map(SystemCallback::getRequestId).toList();
    }

    /** Every committed offset lies just after an event that was answered by then, never past an unanswered one. */
    private void assertNoCommitPastAnUnansweredEvent(Map<TopicPartition, List<String>> requestsByPartition) {
        for (LinkedProducer.Commit commit : answers.commits()) {
            final Set<String> answeredSoFar = new HashSet<>(answered(commit.output()));
            commit.offsets().forEach((partition, offset) -> {
                final List<String> requests = requestsByPartition.get(partition);
                for (int i = 0; i < offset.offset() && i < requests.size(); i++) {
                    assertTrue(answeredSoFar.contains(requests.get(i)), "offset " + offset.offset() + " of " + partition
                            + " committed while " + requests.get(i) + " was not answered; answered: " + answeredSoFar);
                }
            });
        }
    }

    @Test
    void shouldAnswerEveryEventExactlyOnceWhenATransactionFailsToCommit() {
        // Given three events in one partition, and the transaction of the first fails to commit
        start(1);
        answers.failNextCommits(1);
        publish(0, event("r1", "crm"));
        publish(0, event("r2", "crm"));
        publish(0, event("r3", "crm"));

        // When the loop has worked through them
        await().atMost(WAIT).until(() -> events.committedOffset(0) == 3);

        // Then each is answered once, and no offset was committed past an unanswered event
        assertEquals(List.of("r1", "r2", "r3"), answered(answers.history()));
        assertNoCommitPastAnUnansweredEvent(Map.of(events.partition(0), List.of("r1", "r2", "r3")));
        assertEquals(List.of("r1", "r1", "r2", "r3"), erased, "only the event whose commit failed is erased again");
        assertTrue(loop.isRunning());
    }

    @Test
    void shouldStopTheWholeBatchAfterAFailedCommitAndResumeEveryPartitionFromItsCommittedOffset() {
        // Given events in two partitions fetched in one poll, and the first transaction fails
        start(2);
        answers.failNextCommits(1);
        publish(0, event("a1", "crm"));
        publish(0, event("a2", "crm"));
        publish(1, event("b1", "crm"));
        publish(1, event("b2", "crm"));

        // When the loop has worked through them
        await().atMost(WAIT).until(() -> events.committedOffset(0) == 2 && events.committedOffset(1) == 2);

        // Then every event is answered exactly once, and nothing was committed past an unanswered event
        final List<String> answered = answered(answers.history());
        assertEquals(Set.of("a1", "a2", "b1", "b2"), Set.copyOf(answered));
        assertEquals(4, answered.size(), "answered once each: " + answered);
        assertNoCommitPastAnUnansweredEvent(Map.of(events.partition(0), List.of("a1", "a2"),
                events.partition(1), List.of("b1", "b2")));
        assertEquals(5, erased.size(), "only the event whose commit failed is erased again: " + erased);
    }

    @Test
    void shouldKeepEventsForOtherExecutorsUncommittedPastAFailedAnswer() {
        // Given an event for another executor's system before one of ours, and our commit fails once
        start(1);
        systems.put("media", Fixtures.s3System("media", List.of("b"), List.of("u/{user_id}/"), Map.of(), false, null));
        answers.failNextCommits(1);
        publish(0, event("other", "media"));
        publish(0, event("ours", "crm"));

        // When the loop has worked through them
        await().atMost(WAIT).until(() -> events.committedOffset(0) == 2);

        // Then our event is answered once and the offsets only ever moved forward
        assertEquals(List.of("ours"), answered(answers.history()));
        final List<Long> offsets = answers.commits().stream()
                .map(c -> c.offsets().get(events.partition(0))).map(OffsetAndMetadata::offset).toList();
        assertEquals(offsets.stream().sorted().toList(), offsets, "committed offsets went back: " + offsets);
    }

    @Test
    void shouldStopWithoutCommittingWhenItsProducerIsFenced() {
        // Given a running loop that answered one event
        start(1);
        publish(0, event("r1", "crm"));
        await().atMost(WAIT).until(() -> events.committedOffset(0) == 1);

        // When another instance fences its producer and a new event arrives
        answers.fenceProducer();
        publish(0, event("r2", "crm"));

        // Then the loop stops, the new event is not committed, and its clients are closed
        await().atMost(WAIT).until(() -> !loop.isRunning());
        assertEquals(1, events.committedOffset(0));
        assertEquals(List.of("r1"), answered(answers.history()));
        assertTrue(events.closed());
    }

    @Test
    void shouldPauseAtAnEventOutsideItsProcessingWindowAndAnswerOnceTheWindowOpens() {
        // Given an S3 system whose window opens at 02:00 UTC, and an event for it at noon
        systems.put("media", Fixtures.s3System("media", List.of("b"), List.of("u/{user_id}/"), Map.of(), false,
                new ProcessingWindow("02:00", "06:00", "UTC")));
        start(1, ExecutorKind.S3);
        publish(0, event("r1", "media"));

        // Then the partition waits at the event: nothing erased, nothing committed
        await().atMost(WAIT).until(() -> events.paused().contains(events.partition(0)));
        assertTrue(erased.isEmpty());
        assertEquals(-1, events.committedOffset(0));

        // When the window opens, the event is erased and answered once
        now.set(Instant.parse("2026-11-03T02:00:00Z"));
        await().atMost(WAIT).until(() -> events.committedOffset(0) == 1);
        assertEquals(List.of("r1"), answered(answers.history()));
        assertEquals(List.of("r1"), erased);
    }

    @Test
    void shouldPauseAtAnEventForASqlSystemOutsideItsProcessingWindow() {
        // Given a SQL system whose window opens at 02:00 UTC, and an event for it at noon
        systems.put("app", Fixtures.sqlSystem("app", new ProcessingWindow("02:00", "06:00", "UTC")));
        start(1, ExecutorKind.SQL);
        publish(0, event("r1", "app"));

        // Then the partition waits at the event
        await().atMost(WAIT).until(() -> events.paused().contains(events.partition(0)));
        assertTrue(erased.isEmpty());

        // When the window opens, the event is erased and answered once
        now.set(Instant.parse("2026-11-03T02:00:00Z"));
        await().atMost(WAIT).until(() -> events.committedOffset(0) == 1);
        assertEquals(List.of("r1"), erased);
    }

    @Test
    void shouldPauseWhenAnEraserStopsAtAClosedWindowAndEraseAgainWhenItOpens() {
        // Given a SQL eraser that stops between batches the first time: its window closed until 02:00
        systems.put("app", Fixtures.sqlSystem("app", null));
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        start(1, ExecutorKind.SQL, (event, system, progress) -> {
            calls.add(event.getRequestId());
            if (calls.size() == 1) {
                throw new WindowClosedException(Instant.parse("2026-11-03T02:00:00Z"));
            }
            return Answer.done(5, "the rest erased");
        });
        publish(0, event("r1", "app"));

        // Then the partition is paused at the event, nothing answered or committed
        await().atMost(WAIT).until(() -> events.paused().contains(events.partition(0)));
        assertEquals(-1, events.committedOffset(0));
        assertTrue(answers.history().isEmpty());

        // When the window opens, the erasure runs again and is answered once
        now.set(Instant.parse("2026-11-03T02:00:00Z"));
        await().atMost(WAIT).until(() -> events.committedOffset(0) == 1);
        assertEquals(List.of("r1", "r1"), calls);
        assertEquals(List.of("r1"), answered(answers.history()));
    }

    @Test
    void shouldEraseAgainInsteadOfAnsweringFailedWhileTheKeysAreNotReadUpToTheirEnd() {
        // Given an eraser whose data key look-up could not read erasure.keys up to its end the first time
        // (a restart under load): the key may well exist, so "never issued" is not known yet
        systems.put("media", Fixtures.s3System("media", List.of("b"), List.of("users/{user_id}/"), Map.of(), false, null));
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        start(1, ExecutorKind.S3, (event, system, progress) -> {
            calls.add(event.getRequestId());
            if (calls.size() == 1) {
                throw new KeyRing.NotCaughtUpException("erasure.keys not read up to its end within PT10S");
            }
            return Answer.done(1, "erased");
        });
        publish(0, event("r1", "media"));

        // Then it is erased again and answered once, DONE: never a FAILED for a key it could not yet see
        await().atMost(WAIT).until(() -> events.committedOffset(0) == 1);
        assertEquals(List.of("r1", "r1"), calls);
        assertEquals(List.of(CallbackOutcome.DONE), answers.history().stream()
                .map(r -> serdes.callback().deserialize(Topics.CALLBACKS, r.value()).getOutcome()).toList());
    }

    @Test
    void shouldNotActOnAReminderAnsweredBeforeItStarted() {
        // Given an answer of this executor on erasure.callbacks from before a restart
        final SystemCallback earlier = SystemCallback.newBuilder().setEventId("cb-1").setRequestId("r1")
                .setSystem("crm").setAt(now.get()).setActor(ExecutorKind.HTTP.actor())
                .setOutcome(CallbackOutcome.DONE).setItemsErased(1L).setDetail("erased").build();
        callbacks.append(0, null, serdes.callback().serialize(Topics.CALLBACKS, earlier));
        start(1);

        // When a reminder for that request and system arrives
        publish(0, ErasureEvent.newBuilder(event("r1", "crm")).setReminder(true).build());

        // Then its offset is committed without erasing or answering
        await().atMost(WAIT).until(() -> events.committedOffset(0) == 1);
        assertTrue(erased.isEmpty());
        assertTrue(answers.history().isEmpty());
    }

    @Test
    void shouldNotActOnAReminderItHasAlreadyAnswered() {
        // Given an answered event
        start(1);
        publish(0, event("r1", "crm"));
        await().atMost(WAIT).until(() -> events.committedOffset(0) == 1);

        // When a reminder for the same request and system arrives
        publish(0, ErasureEvent.newBuilder(event("r1", "crm")).setEventId("evt-r1-reminder").setReminder(true).build());

        // Then its offset is committed without erasing or answering again
        await().atMost(WAIT).until(() -> events.committedOffset(0) == 2);
        assertEquals(List.of("r1"), erased);
        assertEquals(List.of("r1"), answered(answers.history()));
    }

    @Test
    void shouldActOnAReminderWhenItsOnlyAnswerWasProgress() {
        // Given an event answered with PROGRESS (an opendsr receipt: the processor has it, not done yet)
        nextAnswer.set(new Answer(CallbackOutcome.PROGRESS, null, "receipt"));
        start(1);
        publish(0, event("r1", "crm"));
        await().atMost(WAIT).until(() -> events.committedOffset(0) == 1);

        // When a reminder for the same request and system arrives
        nextAnswer.set(Answer.done(1, "completed"));
        publish(0, ErasureEvent.newBuilder(event("r1", "crm")).setEventId("evt-r1-reminder").setReminder(true).build());

        // Then the eraser is asked again (to poll) and its answer goes out
        await().atMost(WAIT).until(() -> events.committedOffset(0) == 2);
        assertEquals(List.of("r1", "r1"), erased);
        assertEquals(List.of("r1", "r1"), answered(answers.history()));
    }
}
