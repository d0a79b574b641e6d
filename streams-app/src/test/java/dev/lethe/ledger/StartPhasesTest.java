package dev.lethe.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StartPhasesTest {

    @Test
    void shouldNameEachPhaseWithItsOwnDurationAndTheTotal() {
        final AtomicLong clock = new AtomicLong(5_000_000_000L);
        final StartPhases phases = new StartPhases(clock::get);
        clock.addAndGet(1_500_000_000L);
        phases.mark("broker");
        clock.addAndGet(250_000_000L);
        phases.mark("registry");

        assertEquals("1750 ms (broker 1500 ms, registry 250 ms)", phases.summary());
    }
}
