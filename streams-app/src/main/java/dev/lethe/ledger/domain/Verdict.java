package dev.lethe.ledger.domain;

/**
 * What the subject gate decided about a new request, or tells an open one. The gate sees every
 * request of one subject in one order (the subject index, partitioned by subject key), so it, not
 * a look-up before the write, decides which of two racing submissions came first.
 */
public sealed interface Verdict {

    /** No other open request of the subject has the same scope: the request goes on. */
    record Admitted() implements Verdict {
    }

    /** An open request of the subject with the same scope, {@code first}, came before: end, dispatch nothing. */
    record DuplicateOf(String first) implements Verdict {
    }

    /** Told to the first request: a later one, {@code duplicate} from {@code source}, was judged its duplicate. */
    record DuplicateFiled(String duplicate, String source) implements Verdict {
    }
}
