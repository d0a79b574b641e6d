package dev.lethe.ledger.kafka;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * Makes what a {@link ConsumerLoop} handled durable: a record's output together with the consumed
 * offsets, all or nothing. Throws {@link NotCommittedException} when nothing was written and
 * the loop may go on from its last committed offsets; any other exception stops the loop.
 *
 * @param <W> the output of a record
 */
@FunctionalInterface
public interface Committer<K, V, W> {

    void commit(List<W> output, Map<TopicPartition, OffsetAndMetadata> offsets, Consumer<K, V> consumer);

    /**
     * Commits the offsets with the consumer ({@code commitSync}); for loops whose handler has no
     * output to write. A commit refused by a rebalance or a retriable error is not committed.
     */
    static <K, V, W> Committer<K, V, W> sync() {
        return (output, offsets, consumer) -> {
            if (!output.isEmpty()) {
                throw new IllegalArgumentException("a consumer commit cannot write output");
            }
            try {
                consumer.commitSync(offsets);
            } catch (CommitFailedException | RebalanceInProgressException | RetriableException e) {
                throw new NotCommittedException("the offsets were not committed: " + e.getMessage(), e);
            }
        };
    }

    /**
     * Writes the output with {@code producer} and the offsets into the same transaction
     * ({@code sendOffsetsToTransaction}, so the offsets commit only with the output). An error the
     * producer can recover from aborts the transaction and is not committed; a fenced producer, a
     * failed authorization and the producer's other fatal errors (or a failed abort) stop the loop.
     */
    static <K, V, W, PK, PV> Committer<K, V, W> transactional(Producer<PK, PV> producer,
                                                              Function<W, ProducerRecord<PK, PV>> record) {
        return (output, offsets, consumer) -> {
            try {
                producer.beginTransaction();
                for (W item : output) {
                    producer.send(record.apply(item));
                }
                producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                producer.commitTransaction();
            } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException
                     | UnsupportedVersionException e) {
                throw e;
            } catch (KafkaException e) {
                producer.abortTransaction();
                throw new NotCommittedException("the transaction was aborted: " + e.getMessage(), e);
            }
        };
    }
}
