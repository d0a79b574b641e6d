package dev.lethe.ledger.kafka;

import dev.lethe.schemas.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the life of what is written on {@code erasure.requests} (issue 12, point 3): a request
 * a third-party producer wrote in the clear cannot be sealed afterwards, and one the gateway
 * sealed carries its wrapped intake key. Every {@code interval} it deletes
 * ({@code Admin#deleteRecords}) each partition's records below the offset the ledger's consumer
 * group (the application id) has committed: under exactly-once, a committed offset means the
 * ledger's store already holds those requests, sealed under their own data keys, and its
 * changelog and outputs are committed with it. Records the ledger has not committed past are
 * never touched. Every instance may run one; the deletes are idempotent.
 */
public final class RequestsTrimmer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RequestsTrimmer.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);

    private final Admin admin;
    private final String applicationId;
    private final ScheduledExecutorService scheduler;

    private RequestsTrimmer(Admin admin, String applicationId) {
        this.admin = admin;
        this.applicationId = applicationId;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread thread = new Thread(r, "lethe-requests-trimmer");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A trimmer that has not started; {@link #trimOnce()} runs one pass. */
    public static RequestsTrimmer create(String bootstrapServers, String applicationId) {
        return new RequestsTrimmer(Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers)),
                applicationId);
    }

    /** Starts a pass every {@code interval}, the first one an interval from now. */
    public RequestsTrimmer start(Duration interval) {
        scheduler.scheduleWithFixedDelay(this::trimQuietly, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        return this;
    }

    private void trimQuietly() {
        try {
            trimOnce();
        } catch (RuntimeException e) {
            LOG.warn("trimming {} failed, will try again: {}", Topics.REQUESTS, e.toString());
        }
    }

    /**
     * One pass: deletes every partition's records below the ledger's committed offset.
     *
     * @return the offset each partition is now trimmed to
     */
    public Map<TopicPartition, Long> trimOnce() {
        final Map<TopicPartition, RecordsToDelete> deletes = new HashMap<>();
        final Map<TopicPartition, Long> trimmed = new HashMap<>();
        try {
            final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                    .partitionsToOffsetAndMetadata().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            committed.forEach((tp, offset) -> {
                if (Topics.REQUESTS.equals(tp.topic()) && offset != null && offset.offset() > 0) {
                    deletes.put(tp, RecordsToDelete.beforeOffset(offset.offset()));
                    trimmed.put(tp, offset.offset());
                }
            });
            if (!deletes.isEmpty()) {
                admin.deleteRecords(deletes).all().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                LOG.debug("trimmed {} up to {}", Topics.REQUESTS, trimmed);
            }
            return trimmed;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("trimming " + Topics.REQUESTS + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while trimming " + Topics.REQUESTS, e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        admin.close(Duration.ofSeconds(5));
    }
}
