package dev.lethe.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the harness writes when a wait gives up: why, the stacks of the harness's own threads, and
 * for each process of the cluster whether it runs, the last lines of its log and its thread dump
 * ({@code jcmd <pid> Thread.print}, bounded), in one file beside the cluster's logs.
 */
final class Diagnostics {

    private static final long JCMD_SECONDS = 20;

    private Diagnostics() {
    }

    /** Writes the file and returns its path (or why it could not). */
    static String dump(ChaosCluster cluster, String why) {
        final StringBuilder text = new StringBuilder("# ").append(Instant.now()).append(": ").append(why).append("\n\n");
        text.append("## harness threads\n");
        for (Map.Entry<Thread, StackTraceElement[]> thread : Thread.getAllStackTraces().entrySet()) {
            text.append('"').append(thread.getKey().getName()).append("\" ").append(thread.getKey().getState()).append('\n');
            for (StackTraceElement frame : thread.getValue()) {
                text.append("    at ").append(frame).append('\n');
            }
        }
        for (Node node : cluster.all()) {
            if (node == null) {
                continue;
            }
            text.append("\n## ").append(node.name()).append(node.alive() ? " (running, pid " + node.pid() + ")" : " (not running)")
                    .append("\n### last log lines\n").append(node.tail(30));
            if (node.alive()) {
                text.append("### threads\n").append(threadDump(node.pid()));
            }
        }
        final Path file = cluster.dir().resolve("logs").resolve("diagnostics-" + System.currentTimeMillis() + ".txt");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file.toString();
        } catch (IOException e) {
            return "(diagnostics not written: " + e.getMessage() + ")";
        }
    }

    private static String threadDump(long pid) {
        final Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            final Path out = Files.createTempFile("chaos-jcmd", ".txt");
            try {
                final Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print")
                        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
                if (!process.waitFor(JCMD_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    return "    (jcmd gave no thread dump within " + JCMD_SECONDS + " s)\n";
                }
                return Files.readString(out, StandardCharsets.ISO_8859_1);
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            return "    (no thread dump: " + e.getMessage() + ")\n";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "    (interrupted)\n";
        }
    }
}
