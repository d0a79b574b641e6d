package dev.lethe.gateway.ops;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** {@link KafkaBrokerCheck} against a port where no broker listens (a real Admin client, no fake). */
class KafkaBrokerCheckTest {

    @Test
    void shouldReportAnUnreachableBrokerAsDownWithinItsTimeout() throws IOException {
        final int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (KafkaBrokerCheck check = new KafkaBrokerCheck("127.0.0.1:" + port, Clock.systemUTC())) {
            assertFalse(check.reachable());
            // Cached: the second probe answers from the first without another round trip.
            assertFalse(check.reachable());
        }
    }
}
