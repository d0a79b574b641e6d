package dev.lethe.ledger.kafka;

import java.util.List;

/**
 * What a {@link ConsumerLoop.Handler} did with one record, and so what the loop does next.
 *
 * @param <W> what the handler writes for a record (committed with its offset)
 */
public sealed interface Step<W> {

    /** Done: commit {@code output} together with this record's offset, now. */
    static <W> Step<W> commit(List<W> output) {
        return new Commit<>(List.copyOf(output));
    }

    /** Done with nothing to write: the offset goes with the next commit (cheap to redo after a crash). */
    static <W> Step<W> passed() {
        return new Passed<>();
    }

    /** Not done, try again: the partition's next poll starts at this record. */
    static <W> Step<W> retry() {
        return new Retry<>();
    }

    /** Not done, wait: the partition is paused at this record until the handler resumes it. */
    static <W> Step<W> pause() {
        return new Pause<>();
    }

    record Commit<W>(List<W> output) implements Step<W> {
    }

    record Passed<W>() implements Step<W> {
    }

    record Retry<W>() implements Step<W> {
    }

    record Pause<W>() implements Step<W> {
    }
}
