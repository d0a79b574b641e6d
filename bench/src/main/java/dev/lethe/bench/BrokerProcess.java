package dev.lethe.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A KRaft broker and schema registry in a child JVM ({@link BrokerMain}), so that the load and
 * the systems under test in this JVM do not share a heap and GC with the broker. {@link #close()}
 * closes the child's stdin (it stops cleanly) and kills it if it has not exited in time; a
 * shutdown hook kills it if this JVM dies first.
 */
public final class BrokerProcess implements AutoCloseable {

    /** Generous: on a saturated 2-core machine the broker JVM took more than 90 s to start. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(300);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Thread killer;
    private final String bootstrapServers;
    private final String registryUrl;

    private BrokerProcess(Process process, Thread killer, String bootstrapServers, String registryUrl) {
        this.process = process;
        this.killer = killer;
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl;
    }

    /** Starts the child with {@code classpath} and data under {@code dataDir}; returns once it serves. */
    public static BrokerProcess start(String classpath, Path dataDir) {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx1g",
                "-Dlethe.bench.log=" + dataDir.resolve("broker.log"), "-cp", classpath,
                BrokerMain.class.getName(), dataDir.toString()))
                .redirectErrorStream(true);
        final Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the broker JVM", e);
        }
        final Thread killer = new Thread(process::destroyForcibly, "bench-broker-killer");
        Runtime.getRuntime().addShutdownHook(killer);
        final CompletableFuture<String> ready = new CompletableFuture<>();
        final Thread reader = new Thread(() -> drain(process, ready), "bench-broker-output");
        reader.setDaemon(true);
        reader.start();
        try {
            final String[] line = ready.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS).split(" ");
            return new BrokerProcess(process, killer, line[1], line[2]);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while starting the broker JVM", e);
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException("the broker JVM did not start within " + START_TIMEOUT
                    + " (see " + dataDir.resolve("broker.log") + ")", e);
        }
    }

    /** Reads the child's output: completes {@code ready} with the ready line, keeps the rest flowing. */
    private static void drain(Process process, CompletableFuture<String> ready) {
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (!ready.isDone() && line.startsWith(BrokerMain.READY + " ")) {
                    ready.complete(line);
                }
            }
            ready.completeExceptionally(new IllegalStateException("the broker JVM exited"));
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String registryUrl() {
        return registryUrl;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } finally {
            Runtime.getRuntime().removeShutdownHook(killer);
        }
    }
}
