package dev.lethe.ledger.topology;

import dev.lethe.ledger.domain.RequestState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The latest stored states of the requests one ledger task touched most recently, so that a
 * request's next event (the callbacks that follow its dispatch) does not read and decode its
 * state from the store again. Write-through: it holds exactly what was last read from or put into
 * the {@code ledger} store, which only its processor writes, and the processor empties it whenever
 * Kafka Streams (re)initialises or closes it, as it does after any rollback of the task's state
 * (a dirty close, a corrupted task), so it never outlives the store it mirrors. Bounded, least
 * recently used out first; used by the task's one thread only. The records it holds are never
 * changed after they are put.
 */
final class RecentStates {

    private final Map<String, RequestState> states;

    RecentStates(int capacity) {
        this.states = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, RequestState> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The state last stored for {@code requestId}, or null when it is not held here. */
    RequestState get(String requestId) {
        return states.get(requestId);
    }

    void put(String requestId, RequestState state) {
        states.put(requestId, state);
    }

    void remove(String requestId) {
        states.remove(requestId);
    }

    void clear() {
        states.clear();
    }

    int size() {
        return states.size();
    }
}
