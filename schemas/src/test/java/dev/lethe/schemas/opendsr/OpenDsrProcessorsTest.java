package dev.lethe.schemas.opendsr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lethe.avro.OpenDsrSettings;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** When a bad signature makes {@link Processors} fetch the processor's certificate again. */
class OpenDsrProcessorsTest {

    private final FakeProcessor processor = new FakeProcessor();
    private final MovableClock clock = new MovableClock(Instant.now());
    private final Processors processors = new Processors(HttpClient.newHttpClient(),
            TrustedRoots.of(List.of(processor.ca().certificate())), clock, Duration.ofMinutes(60));
    private final OpenDsrSettings settings = OpenDsrSettings.newBuilder().setUrl(processor.url())
            .setDomain(FakeProcessor.DOMAIN).setIdentities(List.of()).build();

    @AfterEach
    void stop() {
        processor.close();
    }

    private void verifyForged() {
        final FakeProcessor.Signed forged = processor.callback("s-1", "http://localhost/cb", "completed", true);
        final Map<String, String> headers = Map.of(OpenDsrHeaders.SIGNATURE, forged.signature(),
                OpenDsrHeaders.DOMAIN, FakeProcessor.DOMAIN);
        assertThrows(SignatureException.class, () -> processors.verify(settings, forged.body(), headers::get));
    }

    @Test
    void refetchesForABadSignatureAtMostOncePerMinimumInterval() {
        verifyForged();
        verifyForged();
        assertEquals(1, processor.discoveryFetches(), "fetched just now: a bad signature does not fetch again");

        clock.advance(Processors.MIN_REFRESH_INTERVAL.plusSeconds(1));
        verifyForged();
        verifyForged();
        verifyForged();
        assertEquals(2, processor.discoveryFetches(), "one refresh once the interval has passed (a rotated key)");

        clock.advance(Processors.MIN_REFRESH_INTERVAL.minusSeconds(1));
        verifyForged();
        assertEquals(2, processor.discoveryFetches(), "not again within the interval");

        clock.advance(Duration.ofSeconds(2));
        verifyForged();
        assertEquals(3, processor.discoveryFetches());
    }

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {

        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
