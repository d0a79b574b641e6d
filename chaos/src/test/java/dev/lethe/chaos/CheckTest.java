package dev.lethe.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CheckTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A request view whose systems ended as their partners' plans say. */
    private static ObjectNode finished(String id) {
        final ObjectNode view = JSON.createObjectNode().put("id", id)
                .put("status", Plan.finalStatus(id, ChaosCluster.PARTNER_SYSTEMS));
        final ArrayNode systems = view.putArray("systems");
        ChaosCluster.PARTNER_SYSTEMS.forEach(name -> systems.addObject().put("name", name)
                .put("status", Plan.of(id, name).finalSystemStatus()));
        systems.addObject().put("name", ChaosCluster.S3_SYSTEM).put("status", "NOT_FOUND");
        return view;
    }

    @Test
    void shouldAcceptARequestInItsPlannedFinalState() {
        final String id = UUID.randomUUID().toString();

        assertNull(Check.wrongState(id, finished(id)));
    }

    @Test
    void shouldFindARequestThatIsNotFinishedOrEndedWrong() {
        final String id = UUID.randomUUID().toString();
        final ObjectNode inProgress = finished(id).put("status", "IN_PROGRESS");
        final ObjectNode failedSystem = finished(id);
        ((ObjectNode) failedSystem.path("systems").get(0)).put("status", "FAILED");

        assertNotNull(Check.wrongState(id, inProgress));
        assertNotNull(Check.wrongState(id, failedSystem));
    }

    @Test
    void shouldExpectExceptionsExactlyWhenAPartnerRetains() {
        for (int i = 0; i < 200; i++) {
            final String id = UUID.randomUUID().toString();
            final boolean retained = ChaosCluster.PARTNER_SYSTEMS.stream().anyMatch(s -> Plan.of(id, s) == Plan.RETAINED);

            assertEquals(retained ? "COMPLETED_WITH_EXCEPTIONS" : "COMPLETED",
                    Plan.finalStatus(id, ChaosCluster.PARTNER_SYSTEMS));
        }
    }

    @Test
    void shouldTakeTheNearestRankPercentile() {
        assertEquals(2L, Result.percentile(List.of(3L, 1L, 2L), 50));
        assertEquals(3L, Result.percentile(List.of(3L, 1L, 2L), 99));
        assertNull(Result.percentile(List.of(), 50));
    }
}
