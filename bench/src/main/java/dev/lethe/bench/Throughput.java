package dev.lethe.bench;

import dev.lethe.schemas.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;

/**
 * Measures how fast a paused Kafka Streams application works off input that is already on the
 * broker: note the input topics' end offsets, resume the application, wait (polling every 20 ms)
 * until its committed offsets reach them, pause it again. The time includes the last commit, as
 * it should under exactly-once: input counts as processed only once its output is committed.
 */
public final class Throughput {

    private static final List<String> INPUTS = List.of(Topics.REQUESTS, Topics.DECISIONS, Topics.CALLBACKS);
    private static final Duration POLL = Duration.ofMillis(20);

    private final Admin admin;

    public Throughput(Admin admin) {
        this.admin = admin;
    }

    /** The end offset of every input partition now. */
    public Map<TopicPartition, Long> inputEnds() {
        final Map<TopicPartition, OffsetSpec> latest = IntStream.range(0, BenchCluster.PARTITIONS).boxed()
                .flatMap(p -> INPUTS.stream().map(t -> new TopicPartition(t, p)))
                .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        try {
            return admin.listOffsets(latest).all().get().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the input end offsets", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Resumes {@code streams} (application {@code applicationId}) until it has committed up to
     * {@code targets}, pauses it again and returns {@code events} per second of that time.
     */
    public double eventsPerSecond(KafkaStreams streams, String applicationId, Map<TopicPartition, Long> targets,
                                  long events, Duration timeout) {
        final long start = System.nanoTime();
        streams.resume();
        try {
            awaitCommitted(applicationId, targets, timeout);
        } finally {
            streams.pause();
        }
        return events / ((System.nanoTime() - start) / 1e9);
    }

    /** Waits until group {@code applicationId} has committed at least {@code targets}. */
    public void awaitCommitted(String applicationId, Map<TopicPartition, Long> targets, Duration timeout) {
        Awaitility.await("application " + applicationId + " to commit its input").atMost(timeout)
                .pollDelay(Duration.ZERO).pollInterval(POLL).until(() -> reached(applicationId, targets));
    }

    /** Sets the committed offsets of a group that is not running yet, so that it starts there. */
    public void startAt(String applicationId, Map<TopicPartition, Long> offsets) {
        final Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        offsets.forEach((tp, offset) -> commits.put(tp, new OffsetAndMetadata(offset)));
        try {
            admin.alterConsumerGroupOffsets(applicationId, commits).all().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot set the offsets of " + applicationId, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private boolean reached(String applicationId, Map<TopicPartition, Long> targets) throws Exception {
        final Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get();
        for (Map.Entry<TopicPartition, Long> target : targets.entrySet()) {
            final OffsetAndMetadata offset = committed.get(target.getKey());
            final long at = offset == null ? 0 : offset.offset();
            if (at < target.getValue()) {
                return false;
            }
        }
        return true;
    }
}
