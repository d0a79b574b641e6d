package dev.lethe.standalone.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The rows an import could not file, as CSV ({@code row,code,error,field,message}): created at
 * the first refusal; a fresh import replaces an earlier report, a resumed one adds to it.
 */
final class RefusedReport implements AutoCloseable {

    private final Path file;
    private final boolean append;
    private BufferedWriter writer;

    RefusedReport(Path file, boolean resuming) throws IOException {
        this.file = file;
        this.append = resuming && Files.exists(file);
        if (!resuming) {
            Files.deleteIfExists(file);
        }
    }

    /** One refused row: {@code code} is the HTTP status it got, 0 when the file itself could not give a request. */
    record Refusal(long row, int code, String error, String field, String message) {
    }

    void add(Refusal r) throws IOException {
        add(r.row(), r.code(), r.error(), r.field(), r.message());
    }

    void add(long row, int code, String error, String field, String message) throws IOException {
        if (writer == null) {
            writer = append ? Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND)
                    : Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            if (!append) {
                writer.write(Csv.line(Arrays.asList("row", "code", "error", "field", "message")));
                writer.newLine();
            }
        }
        writer.write(Csv.line(Arrays.asList(Long.toString(row), Integer.toString(code), error, field, message)));
        writer.newLine();
        writer.flush();
    }

    @Override
    public void close() throws IOException {
        if (writer != null) {
            writer.close();
            writer = null;
        }
    }
}
