package dev.lethe.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a partner's client in another language (a command in a folder of
 * {@code src/test/interop/}) to its end, with its output in files so a chatty child never blocks
 * on a full pipe. The clients print one JSON document a line on stdout.
 */
final class PartnerProcess {

    /** The folder of the non-Java clients, relative to the module (Maven's working directory). */
    static final Path INTEROP = Path.of("src", "test", "interop");

    /** How a run ended: exit code, stdout lines that were JSON, and both streams as text. */
    record Run(int exit, List<JsonNode> lines, String stdout, String stderr) {

        /** The {@code field} of every line that has it, as text. */
        List<String> values(String field) {
            return lines.stream().filter(line -> line.has(field)).map(line -> line.path(field).asText()).toList();
        }

        /** The lines that have {@code field}. */
        List<JsonNode> linesWith(String field) {
            return lines.stream().filter(line -> line.has(field)).toList();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private PartnerProcess() {
    }

    /** Runs {@code command} in {@code dir} with {@code env} added to this JVM's environment. */
    static Run run(Path dir, List<String> command, Map<String, String> env, Duration timeout) {
        try {
            final File out = Files.createTempFile("partner-out", ".txt").toFile();
            final File err = Files.createTempFile("partner-err", ".txt").toFile();
            final ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out).redirectError(err);
            builder.environment().putAll(env);
            final Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail(command + " did not end within " + timeout + "\n--- stdout\n" + read(out) + "--- stderr\n"
                        + read(err));
            }
            final String stdout = read(out);
            return new Run(process.exitValue(), jsonLines(stdout), stdout, read(err));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command + " in " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code command} and fails the test, with its output, unless it exits 0. */
    static Run succeed(Path dir, List<String> command, Map<String, String> env, Duration timeout) {
        final Run run = run(dir, command, env, timeout);
        assertEquals(0, run.exit(), () -> command + " failed: " + run);
        return run;
    }

    private static List<JsonNode> jsonLines(String stdout) {
        final List<JsonNode> lines = new ArrayList<>();
        for (String line : stdout.split("\n")) {
            if (line.startsWith("{")) {
                try {
                    lines.add(ApiClient.JSON.readTree(line));
                } catch (JsonProcessingException e) {
                    throw new AssertionError("a client printed a line that is not JSON: " + line, e);
                }
            }
        }
        return lines;
    }

    private static String read(File file) throws IOException {
        return Files.readString(file.toPath(), StandardCharsets.UTF_8);
    }
}
