package dev.lethe.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * {@code LETHE_LOG_LEVEL=TRACE} prints no raw identifier and no token, and {@code lethe pii-scan}
 * then reports where the deployment keeps the identifiers. The places asserted in
 * {@link #shouldFindTheIdentifiersWhereTheLedgerKeepsThemInClear} are the "before" figure of the
 * issue: what Lethe keeps before crypto-shredding.
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

    @BeforeAll
    static void runTheFlowAndScan() throws Exception {
        final long started = System.nanoTime();
        logs = LogCapture.start(dir.resolve("data/logs"), "TRACE");
        deployment = FlowDeployment.start(dir, Map.of("LETHE_LOG_LEVEL", "TRACE"));
        final long running = System.nanoTime();
        flow = deployment.runFlow();
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
    void shouldFindTheIdentifiersWhereTheLedgerKeepsThemInClear() {
        // the third party's record, refused: on the input topic and in the DLQ
        assertTrue(topics(3).containsAll(List.of(Topics.REQUESTS, Topics.DLQ)), report.human());
        // the request's identifiers: on the input topic (as filed) and on the partners' topic (as dispatched)
        assertTrue(topics(1).containsAll(List.of(Topics.REQUESTS, Topics.EVENTS)), report.human());
        assertTrue(topics(2).containsAll(List.of(Topics.REQUESTS, Topics.EVENTS)), report.human());
    }

    @Test
    void shouldFindTheIdentifiersInTheFilesOfTheStoppedDeploymentToo() {
        assertEquals(List.of(), stopped.problems(), stopped.human());
        assertTrue(stopped.containers().containsKey(Hit.Source.BROKER_FILE), stopped.human());
        assertTrue(stopped.read().stream().anyMatch(line -> line.matches("RocksDB store .*/ledger: [1-9].*")),
                "the stopped ledger's stores hold its requests: " + stopped.read());
    }

    @Test
    void shouldReportThroughTheCommandWithExitStatus1AndNeverShowAValue() {
        final StringWriter out = new StringWriter();
        final CommandLine command = new CommandLine(new PiiScanCommand(Map.of()));
        command.setOut(new PrintWriter(out));
        final int status = command.execute("--value", flow.userId(), "--value", flow.email(), "--no-kafka",
                "--data-dir", deployment.dataDir().toString(), "--json");

        assertEquals(1, status, out.toString());
        assertTrue(out.toString().contains("\"BROKER_FILE\""), out.toString());
        assertFalse(out.toString().contains(flow.userId()), out.toString());
        assertFalse(out.toString().toLowerCase().contains(flow.email().toLowerCase()), out.toString());
    }

    private static List<String> topics(int value) {
        return report.hitsOf(value).stream().filter(hit -> hit.source() == Hit.Source.TOPIC)
                .map(Hit::container).distinct().toList();
    }
}
