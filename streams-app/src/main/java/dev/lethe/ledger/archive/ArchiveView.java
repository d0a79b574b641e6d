package dev.lethe.ledger.archive;

import dev.lethe.avro.AuditFact;
import dev.lethe.ledger.domain.RequestState;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * Read access to the ledger's archive: finished requests past {@code LETHE_FORGET_AFTER} (their
 * data key destroyed, no identifier left) whose state and audit trail were moved out of the
 * ledger's task stores, so that a restart after a crash restores only open and recently finished
 * requests. Every ledger instance keeps a whole copy, followed from the compacted archive topic.
 */
public interface ArchiveView {

    /** An archive that holds nothing (tests, tools that run no archive). */
    ArchiveView NONE = requestId -> null;

    /**
     * The archived request {@code requestId}, or null when the archive does not hold it.
     *
     * @throws org.apache.kafka.streams.errors.InvalidStateStoreException when this copy cannot be read
     *         now (not caught up yet, failed, closed): never answered as "not held"
     */
    Archived get(String requestId);

    /** The two list orders the archive keeps an index of, as the ledger's task stores do for the requests they hold. */
    enum Order {
        /** Newest filed first: {@code IndexKeys.newestFirst(requestedAt, id)}, as the {@code by-requested} store. */
        REQUESTED,
        /** Newest finished first: {@code IndexKeys.newestFirst(finishedAt, id)}, as the {@code by-finished} store. */
        FINISHED
    }

    /**
     * The states of the archived requests whose key in {@code order} lies between {@code from} and
     * {@code to} (both inclusive, null for unbounded: the same as {@code KeyValueStore#range}), in
     * key order, each with that key; their trails are not read. The caller closes it
     * (try-with-resources).
     *
     * @throws org.apache.kafka.streams.errors.InvalidStateStoreException as {@link #get}
     */
    default KeyValueIterator<String, RequestState> range(Order order, String from, String to) {
        return new KeyValueIterator<>() {
            @Override
            public boolean hasNext() {
                return false;
            }

            @Override
            public KeyValue<String, RequestState> next() {
                throw new NoSuchElementException();
            }

            @Override
            public String peekNextKey() {
                throw new NoSuchElementException();
            }

            @Override
            public void close() {
            }
        };
    }

    /**
     * The states of every archived request of the subject {@code subjectKey} (its pseudonym), in no
     * particular order; their trails are not read.
     *
     * @throws org.apache.kafka.streams.errors.InvalidStateStoreException as {@link #get}
     */
    default List<RequestState> subject(String subjectKey) {
        return List.of();
    }

    /**
     * Returns once this copy holds everything committed to the archive before the call (the
     * read-committed end of every partition of {@code erasure.archive} as of the call: a transaction
     * counts once its markers are written, a moment after its producer's commit returns), so that a
     * request it then does not hold was not archived before the call. The ledger calls it when a
     * task starts on this instance: the task's previous owner may have released requests that only
     * its own copy had seen. An archive that holds nothing, or a copy known to be caught up, returns at once.
     *
     * @throws org.apache.kafka.streams.errors.InvalidStateStoreException when this copy cannot be read
     *         or has not caught up within {@code timeout}
     */
    default void awaitCaughtUp(java.time.Duration timeout) {
    }

    /**
     * A request as the archive holds it: its last state and its whole audit trail, oldest fact
     * first (a valid hash chain ending at {@code state.auditHead()}).
     */
    record Archived(RequestState state, List<AuditFact> trail) {

        public Archived {
            trail = List.copyOf(trail);
        }
    }
}
