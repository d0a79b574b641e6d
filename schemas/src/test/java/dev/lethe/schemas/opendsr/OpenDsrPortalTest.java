package dev.lethe.schemas.opendsr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lethe.avro.ErasureRequested;
import dev.lethe.avro.Identifier;
import dev.lethe.avro.OpenDsrPortal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The portal travels on ErasureRequested: the sealing copies (newBuilder(request)) must keep it whole. */
class OpenDsrPortalTest {
    @Test
    void shouldSurviveTheDeepCopyOfTheRequestThatSealingMakes() {
        final ErasureRequested r = ErasureRequested.newBuilder().setRequestId("r").setSubject(new Identifier("a", "b"))
                .setJurisdiction("GDPR").setReason("x").setSource("s").setRequestedAt(Instant.EPOCH)
                .setOpendsr(new OpenDsrPortal("id", "c", "1970-01-31T00:00:00Z", List.of("https://x"))).build();
        assertEquals(r, ErasureRequested.newBuilder(r).build());
    }
}
