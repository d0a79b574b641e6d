package dev.lethe.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LedgerMain} in a child JVM: a configuration error is one line and status 2, before
 * Streams starts (no state folder) or the query port listens.
 */
class LedgerMainTest {

    @TempDir
    Path dir;

    @Test
    void shouldStopWithOneLineAndStatus2OnABlankNumber() throws Exception {
        final int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        final Path state = dir.resolve("state");
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LedgerMain.class.getName());
        builder.environment().keySet().removeIf(name -> name.startsWith("LETHE_"));
        builder.environment().putAll(Map.of("LETHE_QUERY_PORT", Integer.toString(port),
                "LETHE_QUERY_BIND", "127.0.0.1", "LETHE_STATE_DIR", state.toString(),
                "LETHE_BOOTSTRAP_SERVERS", "127.0.0.1:1", "LETHE_SCHEMA_REGISTRY_URL", "http://127.0.0.1:1",
                "LETHE_PSEUDONYM_SECRET", "test-pseudonym-secret-0123456789abcdef",
                "LETHE_INTERNAL_TOKEN", "test-internal-token-0123456789abcdef",
                "LETHE_STREAM_THREADS", " "));
        final File out = dir.resolve("stdout").toFile();
        final File err = dir.resolve("stderr").toFile();
        final Process process = builder.redirectOutput(out).redirectError(err).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the ledger did not stop on a configuration error");
        }

        final String stderr = Files.readString(err.toPath(), StandardCharsets.UTF_8);
        assertEquals(2, process.exitValue(), stderr);
        assertEquals("lethe: configuration error: LETHE_STREAM_THREADS: is set but empty; give it a value or unset it\n",
                stderr);
        assertEquals("", Files.readString(out.toPath(), StandardCharsets.UTF_8));
        assertFalse(Files.exists(state), "Kafka Streams created its state folder");
        try (ServerSocket free = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertEquals(port, free.getLocalPort());
        }
    }
}
