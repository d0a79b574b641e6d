package dev.lethe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's resident memory, from {@code /proc/self/status} (Linux only; -1 elsewhere). */
final class Rss {

    private Rss() {
    }

    /** The Java heap this JVM has committed (part of the resident memory), in megabytes. */
    static double heapCommittedMegabytes() {
        return Runtime.getRuntime().totalMemory() / (1024.0 * 1024.0);
    }

    /** VmRSS in megabytes, or -1 when it cannot be read. */
    static double megabytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
