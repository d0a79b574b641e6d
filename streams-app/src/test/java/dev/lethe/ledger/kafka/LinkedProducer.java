package dev.lethe.ledger.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TransactionAbortableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A transactional {@link MockProducer} whose committed transactions commit their consumed offsets
 * on a {@link LogConsumer}, as the broker would for {@code sendOffsetsToTransaction}.
 * {@link #failNextCommits} makes the next {@code commitTransaction} calls fail with an abortable
 * error. Each successful commit is kept with what the producer had committed by then.
 */
public final class LinkedProducer extends MockProducer<byte[], byte[]> {

    /** One committed transaction: its offsets, and every record committed up to and including it. */
    public record Commit(Map<TopicPartition, OffsetAndMetadata> offsets, List<ProducerRecord<byte[], byte[]>> output) {
    }

    private final LogConsumer consumer;
    private final AtomicInteger commitFailures = new AtomicInteger();
    private final List<Commit> commits = new ArrayList<>();

    public LinkedProducer(LogConsumer consumer) {
        super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        this.consumer = consumer;
    }

    public void failNextCommits(int count) {
        commitFailures.set(count);
    }

    public synchronized List<Commit> commits() {
        return List.copyOf(commits);
    }

    @Override
    public synchronized void commitTransaction() {
        if (!closed() && transactionInFlight() && commitFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new TransactionAbortableException("injected: the transaction could not commit");
        }
        final Map<String, Map<TopicPartition, OffsetAndMetadata>> offsets = Map.copyOf(uncommittedOffsets());
        super.commitTransaction();
        offsets.values().forEach(consumer::commitFromTransaction);
        commits.add(new Commit(offsets.values().stream().findFirst().orElse(Map.of()), List.copyOf(history())));
    }
}
