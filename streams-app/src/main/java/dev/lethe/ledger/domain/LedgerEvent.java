package dev.lethe.ledger.domain;

/** Everything that can happen to a request: the inputs of the fold. */
public sealed interface LedgerEvent {

    String requestId();

    /** A request was filed; {@code subjectKey} is the pseudonym of its subject. */
    record Received(ErasureRequest request, String subjectKey) implements LedgerEvent {
        @Override
        public String requestId() {
            return request.requestId();
        }
    }

    record Decided(Decision decision) implements LedgerEvent {
        @Override
        public String requestId() {
            return decision.requestId();
        }
    }

    /** The wall clock reached a time the request asked to be woken at (grace end, reminder, deadline). */
    record Woken(String requestId) implements LedgerEvent {
    }

    record CalledBack(Callback callback) implements LedgerEvent {
        @Override
        public String requestId() {
            return callback.requestId();
        }
    }

    /**
     * The subject gate's {@code verdict} about the request: a new request waits in RECEIVED until
     * it is {@link Verdict.Admitted} or a {@link Verdict.DuplicateOf} an open one.
     */
    record Gated(String requestId, Verdict verdict) implements LedgerEvent {
    }
}
