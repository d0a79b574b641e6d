package dev.lethe.ledger.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.lethe.ledger.domain.RequestState;
import org.junit.jupiter.api.Test;

class RecentStatesTest {

    private static RequestState state(String id) {
        return RequestState.awaiting(id);
    }

    @Test
    void shouldForgetTheLeastRecentlyUsedStateBeyondItsCapacity() {
        final RecentStates recent = new RecentStates(2);
        final RequestState first = state("r-1");
        recent.put("r-1", first);
        recent.put("r-2", state("r-2"));
        assertSame(first, recent.get("r-1")); // r-1 used: r-2 is now the least recently used

        recent.put("r-3", state("r-3"));

        assertEquals(2, recent.size());
        assertSame(first, recent.get("r-1"));
        assertNull(recent.get("r-2"));
    }

    @Test
    void shouldHoldNothingOnceCleared() {
        final RecentStates recent = new RecentStates(8);
        recent.put("r-1", state("r-1"));

        recent.clear();

        assertNull(recent.get("r-1"));
    }
}
