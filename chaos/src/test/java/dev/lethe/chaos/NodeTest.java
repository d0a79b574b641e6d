package dev.lethe.chaos;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node of the chaos cluster (a child JVM): one that dies when the harness did not kill it is
 * started again, as compose's {@code restart: unless-stopped} would; one the harness killed is not;
 * and a node that does not get ready fails with the last lines of its log instead of waiting on.
 */
class NodeTest {

    @TempDir
    Path dir;

    /** A child JVM that prints a line and then waits to be killed. */
    public static final class Idle {
        public static void main(String[] args) throws InterruptedException {
            System.out.println("idle and waiting");
            System.out.flush();
            new CountDownLatch(1).await(); // never counted down: waits until the test kills this JVM
        }
    }

    private Node node(Duration readyTimeout, boolean ready) {
        return new Node("idle", System.getProperty("java.class.path"), Idle.class.getName(), List.of(), Map.of(), "32m",
                dir.resolve("logs").resolve("idle.log"), () -> ready, readyTimeout);
    }

    @Test
    void shouldStartAgainANodeThatDiedWithoutTheHarnessKillingIt() {
        final Node node = node(Duration.ofSeconds(60), true).start();
        try {
            final long first = node.pid();
            ProcessHandle.of(first).orElseThrow().destroyForcibly();
            await().atMost(Duration.ofSeconds(30)).until(() -> !node.alive());

            final Integer status = node.relaunchIfExitedOnItsOwn();

            assertEquals(137, status, "SIGKILL's exit status");
            assertTrue(node.alive());
            assertNotEquals(first, node.pid());
        } finally {
            node.kill();
        }
    }

    @Test
    void shouldNotStartAgainANodeTheHarnessKilled() {
        final Node node = node(Duration.ofSeconds(60), true).start();
        node.kill();

        assertNull(node.relaunchIfExitedOnItsOwn());
        assertTrue(!node.alive());
    }

    @Test
    void shouldFailWithTheLastLogLinesWhenANodeIsNotReadyInTime() throws Exception {
        final Node node = node(Duration.ofSeconds(3), false);
        Files.createDirectories(dir.resolve("logs"));
        node.launch();

        final IllegalStateException failed = assertThrows(IllegalStateException.class, node::awaitReady);

        assertTrue(failed.getMessage().startsWith("idle was not ready within PT3S"), failed.getMessage());
        assertTrue(!node.alive(), "killed when it was not ready");
        assertNull(node.relaunchIfExitedOnItsOwn());
    }
}
