package dev.lethe.ledger.topology;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.schemas.Topics;
import org.junit.jupiter.api.Test;

class AppliedOffsetsTest {

    private static final String ID = "00000000-0000-4000-8000-0000000000aa";

    @Test
    void shouldReachAnOffsetOnlyOnceTheLedgerHasAppliedIt() {
        final AppliedOffsets applied = new AppliedOffsets();
        try (LedgerDriver ledger = new LedgerDriver(dev.lethe.ledger.domain.LedgerPolicy.defaults(), applied)) {
            assertFalse(applied.reached(Topics.REQUESTS, 0, 0), "nothing applied yet");

            ledger.file(ID);

            assertTrue(applied.reached(Topics.REQUESTS, 0, 0));
            assertFalse(applied.reached(Topics.REQUESTS, 0, 1));
            assertFalse(applied.reached(Topics.CALLBACKS, 0, 0), "another topic is another partition");
        }
    }
}
