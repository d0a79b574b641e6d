package dev.lethe.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.schemas.Topics;
import dev.lethe.standalone.scan.Hit;
import dev.lethe.standalone.scan.PiiScanCommand;
import dev.lethe.standalone.scan.PiiScanner;
import dev.lethe.standalone.scan.ScanReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue 12, points 4 and 5, on the embedded default: a full flow ({@link FlowDeployment}) logged at
 * {@code LETHE_LOG_LEVEL=TRACE} prints no raw identifier and no token; once a short
 * {@code LETHE_FORGET_AFTER} has passed and the request's data key is destroyed, {@code lethe
 * pii-scan} finds its identifiers nowhere (topics, stores, broker files, logs) while its certificate
 * still verifies. The one place a value is left is the documented bound of a third party's
 * plaintext: the broker's files of the trimmed {@code erasure.requests}, until its segment rolls.
 * (Before crypto-shredding the same flow left the identifiers on erasure.requests, erasure.events,
 * erasure.callbacks, erasure.dlq and the ledger's changelog: docs/privacy.md.)
 */
@Tag("integration")
class PiiScanIntegrationTest {

    @TempDir
    static Path dir;

    private static LogCapture logs;
    private static FlowDeployment deployment;
    private static FlowDeployment.Flow flow;
    /** The scan of the running deployment. */
    private static ScanReport report;
    /** The scan of its files once stopped (every store flushed to disk). */
    private static ScanReport stopped;
    /** The certificate of the flow's request, read after its data key was destroyed. */
    private static JsonNode certificate;

    @BeforeAll
    static void runTheFlowAndScan() throws Exception {
        final long started = System.nanoTime();
        logs = LogCapture.start(dir.resolve("data/logs"), "TRACE");
        deployment = FlowDeployment.start(dir, Map.of("LETHE_LOG_LEVEL", "TRACE",
                "LETHE_FORGET_AFTER", "PT5S", "LETHE_REQUESTS_TRIM_INTERVAL", "PT1S"));
        final long running = System.nanoTime();
        flow = deployment.runFlow();
        deployment.awaitForgotten(flow);
        final ApiClient.Response answer = deployment.api().get("/v1/erasures/" + flow.requestId() + "/certificate");
        assertEquals(200, answer.status(), answer.body());
        certificate = answer.json();
        final long flowed = System.nanoTime();
        final List<String> values = new ArrayList<>(flow.identifiers());
        values.addAll(flow.tokens());
        report = deployment.scan(values);
        final long scanned = System.nanoTime();
        deployment.close();
        stopped = PiiScanner.builder().values(values).stateDir(deployment.dataDir().resolve("streams"))
                .brokerDir(deployment.dataDir().resolve("kafka")).build().scan();
        System.out.printf("start %d ms, flow %d ms, scan %d ms, stopped scan %d ms; %d log lines by logger %s%n",
                (running - started) / 1_000_000, (flowed - running) / 1_000_000, (scanned - flowed) / 1_000_000,
                (System.nanoTime() - scanned) / 1_000_000, logs.lines(), logs.linesPerLogger());
        System.out.println("Running deployment:\n" + report.human());
        System.out.println("Stopped deployment:\n" + stopped.human());
    }

    @AfterAll
    static void stop() {
        if (deployment != null) {
            deployment.close();
        }
        if (logs != null) {
            logs.close();
        }
    }

    @Test
    void shouldPrintNoRawIdentifierAndNoTokenInAnyLogLineOfAFullFlowAtTrace() {
        final List<String> secrets = new ArrayList<>(flow.identifiers());
        secrets.addAll(flow.tokens());

        final List<String> leaks = logs.linesContaining(secrets);

        assertTrue(logs.lines() > 50, "the flow was logged: " + logs.lines() + " lines");
        assertEquals(List.of(), leaks, "log lines with a raw identifier or a token");
    }

    @Test
    void shouldFindNoValueInTheLogFilesAndNoTokenAnywhere() {
        assertEquals(List.of(), report.problems(), report.human());
        assertFalse(report.containers().containsKey(Hit.Source.LOG_FILE), report.human());
        for (int token = flow.identifiers().size() + 1; token <= flow.identifiers().size() + flow.tokens().size(); token++) {
            assertEquals(List.of(), report.hitsOf(token), report.human());
        }
        assertTrue(report.read().stream().anyMatch(line -> line.startsWith("log files under ")), report.human());
    }

    @Test
    void shouldReadEveryTopicIncludingInternalAndChangelogTopics() {
        final List<String> topics = report.read().stream().filter(line -> line.startsWith("topic ")).toList();
        for (String topic : List.of(Topics.REQUESTS, Topics.EVENTS, Topics.DLQ, "_schemas", "__consumer_offsets")) {
            assertTrue(topics.stream().anyMatch(line -> line.startsWith("topic " + topic + ": ")), topic + " in " + topics);
        }
        assertTrue(topics.stream().anyMatch(line -> line.contains("-changelog: ")), topics.toString());
        assertTrue(report.read().stream().anyMatch(line -> line.startsWith("RocksDB store ")), report.human());
    }

    @Test
    void shouldFindNoIdentifierOfTheFinishedRequestAnywhereOnceItsDataKeyIsDestroyed() {
        assertEquals(List.of(), report.problems(), report.human());
        // value 1 is the subject's user id, value 2 its e-mail (filed over HTTP, sealed at intake)
        assertEquals(List.of(), report.hitsOf(1), report.human());
        assertEquals(List.of(), report.hitsOf(2), report.human());
        assertTrue(certificate.path("audit").path("verified").asBoolean(), certificate.toString());
        assertEquals("COMPLETED", certificate.path("status").asText(), certificate.toString());
    }

    @Test
    void shouldLeaveAThirdPartysPlaintextOnlyInTheBrokersFilesOfTheTrimmedInputTopic() {
        // value 3: a third party's unreadable plaintext record, refused (sealed) to the DLQ and trimmed
        // from erasure.requests; its bytes stay in the broker's segment file until the segment rolls
        // (segment.ms 1 h on erasure.requests) and is deleted: docs/privacy.md
        final List<Hit> hits = report.hitsOf(3);
        assertFalse(hits.isEmpty(), "the scan still sees the plaintext in the broker's files: " + report.human());
        for (Hit hit : hits) {
            assertEquals(Hit.Source.BROKER_FILE, hit.source(), report.human());
            assertTrue(hit.container().contains(Topics.REQUESTS + "-"), report.human());
        }
    }

    @Test
    void shouldFindNothingOfTheFinishedRequestInTheFilesOfTheStoppedDeploymentEither() {
        assertEquals(List.of(), stopped.problems(), stopped.human());
        assertEquals(List.of(), stopped.hitsOf(1), stopped.human());
        assertEquals(List.of(), stopped.hitsOf(2), stopped.human());
        stopped.hitsOf(3).forEach(hit -> assertEquals(Hit.Source.BROKER_FILE, hit.source(), stopped.human()));
        assertTrue(stopped.read().stream().anyMatch(line -> line.matches("RocksDB store .*/ledger: [1-9].*")),
                "the stopped ledger's stores hold its requests (sealed): " + stopped.read());
    }

    @Test
    void shouldReportThroughTheCommandWithExitStatus1OrCleanWith0AndNeverShowAValue() {
        final StringWriter out = new StringWriter();
        final CommandLine command = new CommandLine(new PiiScanCommand(Map.of()));
        command.setOut(new PrintWriter(out));
        final int found = command.execute("--value", flow.dlqUserId(), "--no-kafka",
                "--data-dir", deployment.dataDir().toString(), "--json");

        assertEquals(1, found, out.toString());
        assertTrue(out.toString().contains("\"BROKER_FILE\""), out.toString());
        assertFalse(out.toString().contains(flow.dlqUserId()), out.toString());

        final StringWriter clean = new StringWriter();
        final CommandLine again = new CommandLine(new PiiScanCommand(Map.of()));
        again.setOut(new PrintWriter(clean));
        assertEquals(0, again.execute("--value", flow.userId(), "--value", flow.email(), "--no-kafka",
                "--data-dir", deployment.dataDir().toString()), clean.toString());
    }
}
