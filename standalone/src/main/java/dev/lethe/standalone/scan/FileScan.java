package dev.lethe.standalone.scan;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Reads the raw bytes of every regular file under a folder (state directories, the broker's data,
 * log files), in chunks so that a large segment file is never held in memory at once. Log files
 * ending in {@code .gz} (rolled by logback) are read uncompressed. A file that disappears while the
 * scan runs (a running deployment compacts and rolls) is noted as skipped, not as a problem.
 */
final class FileScan {

    private FileScan() {
    }

    /** Every regular file under {@code root}, in path order; the root itself when it is a file. */
    static List<Path> files(Path root) throws IOException {
        if (Files.isRegularFile(root)) {
            return List.of(root);
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /**
     * Searches one file.
     *
     * @return false when the file vanished before it could be read
     */
    static boolean scan(Path file, Hit.Source source, ByteMatcher matcher, HitCollector hits) {
        final boolean gzip = source == Hit.Source.LOG_FILE && file.getFileName().toString().endsWith(".gz");
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = gzip ? new GZIPInputStream(raw) : raw) {
            matcher.search(in, (value, pattern, offset) -> hits.add(value, pattern, source, file.toString(),
                    (gzip ? "uncompressed byte " : "byte ") + offset));
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
