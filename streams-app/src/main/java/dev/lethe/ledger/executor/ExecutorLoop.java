package dev.lethe.ledger.executor;

import dev.lethe.avro.CallbackOutcome;
import dev.lethe.avro.ErasureEvent;
import dev.lethe.avro.ProcessingWindow;
import dev.lethe.avro.SystemCallback;
import dev.lethe.avro.SystemRegistration;
import dev.lethe.ledger.kafka.Committer;
import dev.lethe.ledger.kafka.ConsumerLoop;
import dev.lethe.ledger.kafka.Step;
import dev.lethe.schemas.LetheSerdes;
import dev.lethe.schemas.Topics;
import dev.lethe.schemas.crypto.KeyRing;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One executor's consumer loop over {@code erasure.events}, in its own consumer group
 * ({@code <application.id>-executor-<kind>}, read_committed, manual commits), run by a
 * {@link ConsumerLoop}.
 *
 * <p>For each event it picks the systems the event asks whose registration has this executor's
 * mode, erases each through the {@link SystemEraser} and writes the answers to
 * {@code erasure.callbacks} in one transaction together with the event's consumed offset
 * ({@code sendOffsetsToTransaction}): after a crash either both the answers and the offset are
 * there, or neither is and the (idempotent) erasure runs again. When that transaction fails to
 * commit, the loop drops the rest of the batch and goes back to the last committed offsets, so
 * no later event's offset is ever committed past an unanswered one. A reminder for a (request,
 * system) this executor already answered is not acted on again ({@link AnsweredIndex}).
 * While an event's S3 or SQL system is outside its processing window the partition is paused at
 * that event and resumed when the window opens; so it is when an eraser stops between batches
 * because the window closed ({@link WindowClosedException}): the event is erased again then. PROGRESS reports go out at once on a separate,
 * non-transactional producer; they are advisory and harmless if repeated.
 */
public final class ExecutorLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorLoop.class);
    /** The MDC key of the erasure request a log line is about (a JSON log line's {@code requestId}). */
    static final String REQUEST_ID = "requestId";
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final ExecutorKind kind;
    private final SystemEraser eraser;
    private final SystemLookup lookup;
    private final LetheSerdes serdes;
    private final Clock clock;
    private final Producer<byte[], byte[]> producer;
    private final Producer<byte[], byte[]> progressProducer;
    private final AnsweredIndex index;
    private final Map<TopicPartition, Instant> pausedUntil = new HashMap<>();
    private final ConsumerLoop<byte[], byte[], SystemCallback> loop;

    /**
     * @param kafka  client settings shared by every client of the loop (at least bootstrap servers)
     * @param groupId the executor's consumer group
     * @param transactionalId stable per instance and executor, so a restarted instance fences its predecessor
     */
    public ExecutorLoop(ExecutorKind kind, SystemEraser eraser, SystemLookup lookup, LetheSerdes serdes, Clock clock,
                        Map<String, Object> kafka, String groupId, String transactionalId, Duration maxPollInterval) {
        this(kind, eraser, lookup, serdes, clock, Clients.create(kafka, groupId, transactionalId, maxPollInterval));
    }

    /** A loop over the given clients, which it owns and closes (tests pass mock clients). */
    ExecutorLoop(ExecutorKind kind, SystemEraser eraser, SystemLookup lookup, LetheSerdes serdes, Clock clock,
                 Clients clients) {
        this.kind = kind;
        this.eraser = eraser;
        this.lookup = lookup;
        this.serdes = serdes;
        this.clock = clock;
        this.producer = clients.answers();
        this.progressProducer = clients.progress();
        this.index = new AnsweredIndex(clients.callbacks(), serdes, kind.actor());
        this.loop = new ConsumerLoop<>("lethe-executor-" + kind.id(), clients.events(), List.of(Topics.EVENTS), POLL,
                new Events(), Committer.transactional(producer, this::record));
    }

    /**
     * The Kafka clients of one loop: the events consumer, the transactional producer of answers,
     * the producer of PROGRESS reports and the consumer that reads past answers.
     */
    record Clients(Consumer<byte[], byte[]> events, Producer<byte[], byte[]> answers,
                   Producer<byte[], byte[]> progress, Consumer<byte[], byte[]> callbacks) {

        static Clients create(Map<String, Object> kafka, String groupId, String transactionalId,
                              Duration maxPollInterval) {
            final Map<String, Object> consumerProps = new HashMap<>(kafka);
            consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
            consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20);
            consumerProps.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) maxPollInterval.toMillis());
            final Map<String, Object> producerProps = new HashMap<>(kafka);
            producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
            producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            final Map<String, Object> transactionalProps = new HashMap<>(producerProps);
            transactionalProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
            return new Clients(
                    new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                    new KafkaProducer<>(transactionalProps, new ByteArraySerializer(), new ByteArraySerializer()),
                    new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer()),
                    AnsweredIndex.consumer(kafka));
        }
    }

    /** Starts the loop on its own thread and returns once it has caught up with its past answers. */
    public ExecutorLoop start() {
        loop.start(START_TIMEOUT);
        return this;
    }

    public boolean isRunning() {
        return loop.isRunning();
    }

    @Override
    public void close() {
        loop.close(CLOSE_TIMEOUT);
    }

    /** Handles one event: erase and answer, skip, wait for the registry, or pause for a window. */
    private Step<SystemCallback> handle(ConsumerRecord<byte[], byte[]> record) {
        final TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        final ErasureEvent event = decode(record);
        final List<SystemRegistration> targets;
        try {
            targets = event == null ? List.of() : targets(event);
        } catch (InvalidStateStoreException e) {
            LOG.info("executor {}: the system registry is not readable yet ({}); trying again", kind.id(),
                    e.getMessage());
            return Step.retry();
        }
        if (targets.isEmpty()) {
            return Step.passed();
        }
        final Optional<Instant> closedUntil = closedUntil(targets);
        if (closedUntil.isPresent()) {
            pausedUntil.put(partition, closedUntil.get());
            LOG.info("executor {} pauses partition {} until its processing window opens at {}",
                    kind.id(), partition, closedUntil.get());
            return Step.pause();
        }
        try (MDC.MDCCloseable ignored = MDC.putCloseable(REQUEST_ID, event.getRequestId())) {
            return Step.commit(answer(event, targets));
        } catch (WindowClosedException e) {
            pausedUntil.put(partition, e.opensAt());
            LOG.info("executor {} stopped between batches and pauses partition {} until its processing window "
                    + "opens at {}", kind.id(), partition, e.opensAt());
            return Step.pause();
        } catch (KeyRing.NotCaughtUpException e) {
            // the data key may exist: "never issued" is not known until the keys are read up to their end
            LOG.info("executor {}: {}; trying again", kind.id(), e.getMessage());
            return Step.retry();
        }
    }

    /** Erases in each target system, or skips a reminder it has answered already. */
    private List<SystemCallback> answer(ErasureEvent event, List<SystemRegistration> targets) {
        final List<SystemCallback> answers = new ArrayList<>();
        for (SystemRegistration system : targets) {
            if (event.getReminder() && index.answered(event.getRequestId(), system.getName())) {
                LOG.info("executor {} skips a reminder for request {} system {}: already answered",
                        kind.id(), event.getRequestId(), system.getName());
                continue;
            }
            answers.add(callback(event, system.getName(), erase(event, system)));
        }
        return answers;
    }

    private Answer erase(ErasureEvent event, SystemRegistration system) {
        try {
            return eraser.erase(event, system, (items, detail) -> progress(event, system.getName(), items, detail));
        } catch (WindowClosedException | KeyRing.NotCaughtUpException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("executor {} failed request {} system {}: {}", kind.id(), event.getRequestId(),
                    system.getName(), e.getClass().getSimpleName());
            return Answer.failed("executor error: " + e.getClass().getSimpleName());
        }
    }

    private List<SystemRegistration> targets(ErasureEvent event) {
        final List<SystemRegistration> targets = new ArrayList<>();
        for (String name : event.getSystems()) {
            lookup.find(name).filter(r -> r.getMode() == kind.mode()).ifPresent(targets::add);
        }
        return targets;
    }

    private Optional<Instant> closedUntil(List<SystemRegistration> targets) {
        final Instant now = clock.instant();
        return targets.stream()
                .map(t -> WindowGate.closedUntil(window(t), now))
                .flatMap(Optional::stream)
                .max(Instant::compareTo);
    }

    /** A system's processing window, whichever executor's settings carry it (null: always open). */
    private static ProcessingWindow window(SystemRegistration system) {
        if (system.getS3() != null) {
            return system.getS3().getWindow();
        }
        return system.getSql() != null ? system.getSql().getWindow() : null;
    }

    private ErasureEvent decode(ConsumerRecord<byte[], byte[]> record) {
        try {
            return serdes.event().deserialize(Topics.EVENTS, record.value());
        } catch (SerializationException e) {
            LOG.warn("executor {} skips an unreadable event at {}-{} offset {}", kind.id(), record.topic(),
                    record.partition(), record.offset());
            return null;
        }
    }

    private void resumeDue(Consumer<byte[], byte[]> consumer) {
        final Instant now = clock.instant();
        final List<TopicPartition> due = pausedUntil.entrySet().stream()
                .filter(e -> !e.getValue().isAfter(now)).map(Map.Entry::getKey).toList();
        if (!due.isEmpty()) {
            due.forEach(pausedUntil::remove);
            consumer.resume(due);
            LOG.info("executor {} resumes partitions {}", kind.id(), due);
        }
    }

    private void progress(ErasureEvent event, String system, long items, String detail) {
        final SystemCallback callback = SystemCallback.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setRequestId(event.getRequestId()).setSystem(system).setAt(clock.instant())
                .setActor(kind.actor()).setOutcome(CallbackOutcome.PROGRESS)
                .setItemsErased(items).setDetail(detail).build();
        progressProducer.send(record(callback));
    }

    private SystemCallback callback(ErasureEvent event, String system, Answer answer) {
        final String id = kind.actor() + '|' + event.getEventId() + '|' + system;
        return SystemCallback.newBuilder()
                .setEventId(UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8)).toString())
                .setRequestId(event.getRequestId()).setSystem(system).setAt(clock.instant())
                .setActor(kind.actor()).setOutcome(answer.outcome())
                .setItemsErased(answer.itemsErased()).setDetail(answer.detail()).build();
    }

    private ProducerRecord<byte[], byte[]> record(SystemCallback callback) {
        return new ProducerRecord<>(Topics.CALLBACKS,
                serdes.key().serialize(Topics.CALLBACKS, callback.getRequestId()),
                serdes.callback().serialize(Topics.CALLBACKS, callback));
    }

    /** The executor's side of its {@link ConsumerLoop}. */
    private final class Events implements ConsumerLoop.Handler<byte[], byte[], SystemCallback> {

        @Override
        public void open() {
            index.catchUp(START_TIMEOUT);
            producer.initTransactions();
        }

        @Override
        public void beforePoll(Consumer<byte[], byte[]> consumer) {
            resumeDue(consumer);
            index.refresh(Duration.ZERO);
        }

        @Override
        public Step<SystemCallback> handle(ConsumerRecord<byte[], byte[]> record) {
            return ExecutorLoop.this.handle(record);
        }

        @Override
        public void committed(List<SystemCallback> answers) {
            // a PROGRESS answer (an opendsr receipt) is not final: a reminder must still reach the eraser
            answers.stream().filter(a -> a.getOutcome() != CallbackOutcome.PROGRESS)
                    .forEach(a -> index.add(a.getRequestId(), a.getSystem()));
        }

        @Override
        public void revoked(Collection<TopicPartition> partitions) {
            partitions.forEach(pausedUntil::remove);
        }

        @Override
        public void close() {
            for (AutoCloseable client : List.<AutoCloseable>of(producer, progressProducer, index)) {
                try {
                    client.close();
                } catch (Exception e) {
                    LOG.warn("executor {}: closing a client failed: {}", kind.id(), e.getMessage());
                }
            }
        }
    }
}
