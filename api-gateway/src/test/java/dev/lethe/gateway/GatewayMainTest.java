package dev.lethe.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

/** {@link GatewayMain} in a child JVM: a configuration error is one line and status 2, and nothing listens. */
class GatewayMainTest {

    @TempDir
    Path dir;

    @Test
    void shouldStopWithOneLineAndStatus2WithoutTheInternalSecret() throws Exception {
        final int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                GatewayMain.class.getName());
        builder.environment().keySet().removeIf(name -> name.startsWith("LETHE_"));
        builder.environment().putAll(Map.of("LETHE_HTTP_PORT", Integer.toString(port),
                "LETHE_BOOTSTRAP_SERVERS", "127.0.0.1:1", "LETHE_SCHEMA_REGISTRY_URL", "http://127.0.0.1:1"));
        final File out = dir.resolve("stdout").toFile();
        final File err = dir.resolve("stderr").toFile();
        final Process process = builder.redirectOutput(out).redirectError(err).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the gateway did not stop on a configuration error");
        }

        final String stderr = Files.readString(err.toPath(), StandardCharsets.UTF_8);
        assertEquals(2, process.exitValue(), stderr);
        assertEquals("lethe: configuration error: LETHE_INTERNAL_TOKEN_FILE: must be set, or LETHE_INTERNAL_TOKEN "
                + "(the secret shared by the gateway and the ledger, e.g. `openssl rand -hex 32`)\n", stderr);
        assertEquals("", Files.readString(out.toPath(), StandardCharsets.UTF_8));
        try (ServerSocket free = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertEquals(port, free.getLocalPort());
        }
    }
}
