package dev.lethe.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One process of the chaos cluster: a child JVM ({@code java -cp <classpath> <main>}) with its own
 * environment, heap and log file. It can be killed with SIGKILL ({@link #kill()}), stopped with
 * SIGTERM ({@link #stop()}, the JVM's shutdown hooks run), and started again with the same
 * settings. {@link #start()} returns once {@code ready} holds (polled, with a deadline). A shutdown
 * hook kills the child if the harness dies first.
 */
public final class Node {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final String classpath;
    private final String mainClass;
    private final List<String> args;
    private final Map<String, String> env;
    private final String heap;
    private final Path log;
    private final BooleanSupplier ready;
    private final Duration readyTimeout;
    private Process process;
    private Thread killer;
    /** The harness expects this JVM to run: it started and was ready, and was not killed or stopped since. */
    private boolean expectedUp;

    public Node(String name, String classpath, String mainClass, List<String> args, Map<String, String> env,
                String heap, Path log, BooleanSupplier ready, Duration readyTimeout) {
        this.name = name;
        this.classpath = classpath;
        this.mainClass = mainClass;
        this.args = List.copyOf(args);
        this.env = Map.copyOf(env);
        this.heap = heap;
        this.log = log;
        this.ready = ready;
        this.readyTimeout = readyTimeout;
    }

    public String name() {
        return name;
    }

    public Map<String, String> env() {
        return env;
    }

    /** Starts the JVM and waits until it is ready. */
    public synchronized Node start() {
        launch();
        awaitReady();
        return this;
    }

    /** Starts the JVM without waiting. */
    public synchronized void launch() {
        if (alive()) {
            throw new IllegalStateException(name + " is already running");
        }
        expectedUp = false;
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap, "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Xss512k", "-Dlethe.chaos.log=" + log, "-cp", classpath, mainClass));
        command.addAll(args);
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.resolveSibling(log.getFileName() + ".out").toFile()));
        builder.environment().putAll(env);
        try {
            Files.createDirectories(log.getParent());
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
        final Process started = process;
        killer = new Thread(started::destroyForcibly, "chaos-killer-" + name);
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /** Polls {@code ready} until it holds or the start deadline passes (then the node is killed). */
    public void awaitReady() {
        final long deadline = System.nanoTime() + readyTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!alive()) {
                throw new IllegalStateException(name + " exited while starting (see " + log + ".out)");
            }
            if (ready.getAsBoolean()) {
                markUp();
                return;
            }
            Pause.briefly();
        }
        final String tail = tail(20);
        kill();
        throw new IllegalStateException(name + " was not ready within " + readyTimeout + "; the last lines of " + log
                + ":\n" + tail);
    }

    /**
     * Polls until the JVM is ready (true) or has exited (false: it could not start); throws when
     * neither happened within the start deadline.
     */
    public boolean awaitReadyOrExit() {
        final long deadline = System.nanoTime() + readyTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!alive()) {
                return false;
            }
            if (ready.getAsBoolean()) {
                markUp();
                return true;
            }
            Pause.briefly();
        }
        final String tail = tail(20);
        kill();
        throw new IllegalStateException(name + " was not ready within " + readyTimeout + "; the last lines of " + log
                + ":\n" + tail);
    }

    private synchronized void markUp() {
        expectedUp = process != null;
    }

    /**
     * Compose's {@code restart: unless-stopped}: when the JVM exited although the harness expected it
     * up (it neither killed nor stopped it), starts it again without waiting and returns its exit
     * status; else returns null.
     */
    public synchronized Integer relaunchIfExitedOnItsOwn() {
        if (!expectedUp || process == null || process.isAlive()) {
            return null;
        }
        final int status = process.exitValue();
        forget();
        launch();
        return status;
    }

    /** The last {@code lines} lines of the node's log (and of its console when the log is empty). */
    public String tail(int lines) {
        final StringBuilder tail = new StringBuilder();
        for (Path file : List.of(log, log.resolveSibling(log.getFileName() + ".out"))) {
            try {
                final List<String> all = Files.readAllLines(file, java.nio.charset.StandardCharsets.ISO_8859_1);
                all.subList(Math.max(0, all.size() - lines), all.size())
                        .forEach(line -> tail.append("    ").append(line, 0, Math.min(line.length(), 400)).append('\n'));
            } catch (IOException e) {
                tail.append("    (no ").append(file.getFileName()).append(")\n");
            }
            if (tail.length() > 0) {
                break;
            }
        }
        return tail.toString();
    }

    /** The last lines of the node's console (a JVM that died while starting prints why there). */
    public String lastWords() {
        try {
            final List<String> lines = Files.readAllLines(log.resolveSibling(log.getFileName() + ".out"));
            return lines.stream().filter(l -> l.contains("Exception") || l.startsWith("Caused by"))
                    .map(String::strip).distinct().limit(4).reduce((a, b) -> a + " / " + b).orElse("(nothing printed)");
        } catch (IOException e) {
            return "(no console)";
        }
    }

    public synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    /** {@code kill -9}: the JVM gets no chance to clean up. */
    public synchronized void kill() {
        expectedUp = false;
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        await(process);
        forget();
    }

    /** SIGTERM, then waits for the JVM to exit (SIGKILL after {@link #STOP_TIMEOUT}). */
    public synchronized void stop() {
        expectedUp = false;
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                await(process);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        forget();
    }

    private static void await(Process process) {
        try {
            process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void forget() {
        expectedUp = false;
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already exiting; the hook runs anyway
        }
        process = null;
    }

    @Override
    public String toString() {
        return name;
    }
}
