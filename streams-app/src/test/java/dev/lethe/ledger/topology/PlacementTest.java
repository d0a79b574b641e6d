package dev.lethe.ledger.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lethe.schemas.serde.CanonicalPartition;
import org.junit.jupiter.api.Test;

/** A record is applied on its request id's canonical partition, re-routed once from elsewhere, never twice. */
class PlacementTest {

    private static final String ID = "7f6c3c1e-4b8e-4a57-9e51-0c7a6f1d2b9a";
    private static final int PARTITIONS = 6;
    private static final int CANONICAL = CanonicalPartition.of(ID, PARTITIONS);
    private static final int ELSEWHERE = (CANONICAL + 1) % PARTITIONS;

    @Test
    void shouldApplyARecordOnItsCanonicalPartition() {
        assertEquals(Placement.HERE, Placement.of(CANONICAL, ID, PARTITIONS, false));
        assertEquals(Placement.HERE, Placement.of(CANONICAL, ID, PARTITIONS, true));
    }

    @Test
    void shouldRerouteARecordThatLandedOnAnotherPartition() {
        assertEquals(Placement.REROUTE, Placement.of(ELSEWHERE, ID, PARTITIONS, false));
    }

    @Test
    void shouldRefuseARerouteThatLandedOnAnotherPartitionAgain() {
        assertEquals(Placement.LOOP, Placement.of(ELSEWHERE, ID, PARTITIONS, true));
    }

    @Test
    void shouldApplyEverythingHereWithOnePartition() {
        assertEquals(Placement.HERE, Placement.of(0, ID, 1, false));
    }
}
