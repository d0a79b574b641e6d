package dev.lethe.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Which process has a TCP connection open to a loopback port (Linux {@code /proc}): how the
 * harness finds the ledger instance whose S3 executor is busy with a large erasure (both run one,
 * each over its own partitions of {@code erasure.events}).
 */
final class Sockets {

    private Sockets() {
    }

    static Optional<Node> connectedTo(List<Node> nodes, int port) {
        final Set<String> inodes = inodesTo(port);
        for (Node node : nodes) {
            final Path fds = Path.of("/proc", Long.toString(node.pid()), "fd");
            try (Stream<Path> links = Files.list(fds)) {
                final boolean connected = links.map(Sockets::target)
                        .anyMatch(t -> t.startsWith("socket:[") && inodes.contains(t.substring(8, t.length() - 1)));
                if (connected) {
                    return Optional.of(node);
                }
            } catch (IOException | RuntimeException e) {
                // not Linux, or the process is gone: fall back to the caller's choice
            }
        }
        return Optional.empty();
    }

    private static String target(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return "";
        }
    }

    /** The inodes of established TCP sockets whose remote end is {@code port} (IPv4 and IPv6). */
    private static Set<String> inodesTo(int port) {
        final Set<String> inodes = new HashSet<>();
        final String hex = String.format(":%04X", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    final String[] f = line.trim().split("\\s+");
                    if (f.length > 9 && f[2].endsWith(hex)) {
                        inodes.add(f[9]);
                    }
                }
            } catch (IOException e) {
                // no such table
            }
        }
        return inodes;
    }
}
