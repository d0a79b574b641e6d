package dev.lethe.standalone.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code lethe pii-scan} over files only ({@code --no-kafka}): what it finds, how it reports it
 * without showing the value, and its exit status (0 clean, 1 found, 2 error).
 */
class PiiScanCommandTest {

    private static final String USER = "u-7f3a9c1e-scan-test";
    private static final String EMAIL = "Ann.Example+scan@Example.org";

    @TempDir
    Path dir;

    record Run(int status, String out, String err) {
    }

    private Run run(Map<String, String> env, String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine command = new CommandLine(new PiiScanCommand(env));
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));
        final int status = command.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    private Run run(String... args) {
        return run(Map.of("LETHE_DATA_DIR", dir.resolve("absent").toString()), args);
    }

    @Test
    void shouldReportEveryFileThatHoldsAValueInSomeFormAndExitWith1() throws Exception {
        final Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.writeString(logs.resolve("lethe.log"), "INFO something\nWARN refused " + USER + "\n");
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(logs.resolve("lethe.1.log.gz")))) {
            gz.write(("{\"msg\":\"" + Base64.getEncoder().encodeToString(("x" + EMAIL).getBytes(StandardCharsets.UTF_8))
                    + "\"}").getBytes(StandardCharsets.UTF_8));
        }
        Files.writeString(logs.resolve("clean.log"), "nothing here\n");

        final Run run = run("--no-kafka", "--log-dir", logs.toString(), "--value", USER, "--value", EMAIL);

        assertEquals(1, run.status(), run.out() + run.err());
        assertTrue(run.out().contains(logs.resolve("lethe.log").toString()), run.out());
        assertTrue(run.out().contains(logs.resolve("lethe.1.log.gz").toString()), run.out());
        assertFalse(run.out().contains(logs.resolve("clean.log") + " "), run.out());
        assertFalse(run.out().contains(USER) || run.out().toLowerCase().contains(EMAIL.toLowerCase()),
                "a value was shown in clear: " + run.out());
    }

    @Test
    void shouldReadValuesFromAFileAndPrintJson() throws Exception {
        final Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.writeString(logs.resolve("app.log"), "detail=\"deleted " + EMAIL.toLowerCase() + "\"\n");
        final Path values = Files.writeString(dir.resolve("values.txt"), USER + "\n\n" + EMAIL + "\n");

        final Run run = run("--no-kafka", "--log-dir", logs.toString(), "--values-file", values.toString(), "--json");

        assertEquals(1, run.status(), run.out() + run.err());
        final JsonNode report = new ObjectMapper().readTree(run.out());
        assertEquals("found", report.path("result").asText());
        assertEquals(2, report.path("values").size());
        assertEquals(1, report.path("hits").size(), run.out());
        final JsonNode hit = report.path("hits").get(0);
        assertEquals(2, hit.path("value").asInt());
        assertEquals("LOG_FILE", hit.path("source").asText());
        assertEquals("utf-8", hit.path("encoding").asText());
        assertEquals("byte 16", hit.path("examples").get(0).asText());
        assertFalse(run.out().contains(USER), run.out());
    }

    @Test
    void shouldExitWith0WhenNothingIsFoundAndSayWhatItReadAndSkipped() throws Exception {
        final Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.writeString(logs.resolve("app.log"), "nothing\n");

        final Run run = run("--no-kafka", "--log-dir", logs.toString(), "--value", USER);

        assertEquals(0, run.status(), run.out() + run.err());
        assertTrue(run.out().contains("log files under " + logs + ": 1 files"), run.out());
        assertTrue(run.out().contains("state directory " + dir.resolve("absent").resolve("streams") + ": not present"),
                run.out());
        assertTrue(run.out().contains("Result: clean (exit 0)"), run.out());
    }

    @Test
    void shouldReadTheEmbeddedDefaultsFolders() throws Exception {
        final Path data = dir.resolve("data");
        Files.createDirectories(data.resolve("streams/lethe/0_1"));
        Files.writeString(data.resolve("streams/lethe/0_1/.checkpoint"), "0\n1\n" + USER + " 0 12\n");

        final Run run = run(Map.of("LETHE_DATA_DIR", data.toString()), "--no-kafka", "--value", USER);

        assertEquals(1, run.status(), run.out() + run.err());
        assertTrue(run.out().contains("state-file"), run.out());
        assertTrue(run.out().contains(data.resolve("streams/lethe/0_1/.checkpoint").toString()), run.out());
    }

    @Test
    void refusesWithStatus2WithoutAValueOrWithAMissingFolderOrAnUnreachableBroker() {
        assertEquals(2, run("--no-kafka").status());
        final Run missing = run("--no-kafka", "--value", USER, "--state-dir", dir.resolve("nowhere").toString());
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("does not exist"), missing.err());
        final Run noBroker = run("--value", USER, "--bootstrap-servers", "127.0.0.1:1", "--timeout", "2",
                "--kafka-property", "client.id=pii-scan-test");
        assertEquals(2, noBroker.status(), noBroker.out());
        assertTrue(noBroker.out().contains("cannot list the topics"), noBroker.out());
    }

    @Test
    void shouldPrintItsUsageWithEveryOption() {
        final Run help = run("--help");

        assertEquals(0, help.status());
        for (String option : List.of("--value", "--values-file", "--bootstrap-servers", "--no-kafka", "--kafka-property",
                "--data-dir", "--state-dir", "--broker-dir", "--log-dir", "--json", "--timeout")) {
            assertTrue(help.out().contains(option), option + " in " + help.out());
        }
        assertTrue(help.out().startsWith("Usage: pii-scan"), help.out());
    }

    @Test
    void shouldTellWhereEachHitIsWithoutShowingAnyLineOrKey() throws Exception {
        final Path logs = Files.createDirectories(dir.resolve("logs"));
        final List<String> lines = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            lines.add("line " + i + " " + USER);
        }
        Files.write(logs.resolve("many.log"), lines);

        final Run run = run("--no-kafka", "--log-dir", logs.toString(), "--value", USER);

        assertTrue(run.out().contains("5×"), run.out());
        assertTrue(run.out().contains("byte 7, byte 35, byte 63"), run.out());
    }
}
