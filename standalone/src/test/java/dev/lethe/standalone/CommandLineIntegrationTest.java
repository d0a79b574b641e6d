package dev.lethe.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.avro.AuditFact;
import dev.lethe.avro.ErasureEvent;
import dev.lethe.ledger.topology.AuditChain;
import dev.lethe.schemas.Topics;
import dev.lethe.standalone.ApiClient.Response;
import dev.lethe.standalone.cli.LetheCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lethe <subcommand>} against a real broker, registry, ledger and gateway: import (refused
 * rows reported, nothing filed twice, resumed after an interruption), export of the dataset (the
 * Avro file read back by Avro's generic reader, which knows nothing of Lethe's classes), replay and
 * cover (new obligations on finished requests, sent the subject key), and audit verify (real chains
 * hold; a tampered one is reported with a non-zero exit status).
 */
@Tag("integration")
class CommandLineIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final AtomicInteger SUBJECTS = new AtomicInteger();

    @TempDir
    static Path dir;

    private static ItLethe lethe;
    private static ApiClient api;
    private static Map<String, String> env;

    @BeforeAll
    static void start() {
        lethe = ItLethe.start(dir.resolve("lethe"), "lethe-it-cli");
        api = lethe.api();
        env = Map.of("LETHE_URL", "http://127.0.0.1:" + lethe.httpPort(),
                "LETHE_TOKEN", LetheEnv.ADMIN_TOKEN,
                "LETHE_BOOTSTRAP_SERVERS", lethe.cluster().bootstrapServers(),
                "LETHE_SCHEMA_REGISTRY_URL", lethe.cluster().registryUrl());
    }

    @AfterAll
    static void stop() {
        if (lethe != null) {
            lethe.close();
        }
    }

    /** What one command printed and its exit status. */
    record Ran(int status, String out, String err) {
    }

    private static Ran lethe(String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int status = LetheCommand.run(args, env, new PrintWriter(out), new PrintWriter(err));
        return new Ran(status, out.toString(), err.toString());
    }

    private static String subject(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "-" + SUBJECTS.incrementAndGet();
    }

    /** The ids of the requests Lethe holds for user id {@code value}. */
    private static List<String> requestsOf(String value) {
        final Response response = api.get("/v1/subjects/user_id/" + value);
        assertEquals(200, response.status(), response.body());
        final List<String> ids = new ArrayList<>();
        response.json().path("requests").forEach(id -> ids.add(id.asText()));
        return ids;
    }

    private static String file(String userId, String email, String jurisdiction) {
        final Response filed = api.post("/v1/erasures", ApiClient.json(Map.of(
                "subject", Map.of("namespace", "user_id", "value", userId),
                "identifiers", List.of(Map.of("namespace", "email", "value", email)),
                "jurisdiction", jurisdiction, "reason", "account_deleted", "source", "it-cli")));
        assertEquals(202, filed.status(), filed.body());
        return filed.json().path("id").asText();
    }

    /** Every target system answers DONE; the request ends COMPLETED. */
    private static JsonNode complete(String id) {
        final JsonNode dispatched = api.awaitStatus(id, "IN_PROGRESS");
        for (JsonNode system : dispatched.path("systems")) {
            // a system registered a moment ago (warehouse) may be routed to before this gateway's registry has it
            await("callback of " + system.path("name").asText()).atMost(WAIT).untilAsserted(() -> {
                final Response callback = api.post("/v1/erasures/" + id + "/systems/" + system.path("name").asText()
                        + "/callback", "{\"outcome\": \"DONE\", \"itemsErased\": 1}");
                assertEquals(202, callback.status(), callback.body());
            });
        }
        return api.awaitStatus(id, "COMPLETED");
    }

    @Test
    void importShouldFileEachRowOnceReportEveryRefusedRowAndFileNothingTwiceWhenRunAgain() throws Exception {
        final String a = subject("imp");
        final String b = subject("imp");
        final String c = subject("imp");
        final Path csv = dir.resolve("withdrawn.csv");
        Files.writeString(csv, String.join("\n",
                "user_id,email,jurisdiction",
                a + "," + a + "@example.com,",
                b + ",,CCPA",
                "\"" + c + "\",\"" + c + "@example.com\",GDPR",
                ",nobody@example.com,",
                subject("imp") + ",mars@example.com,MARS",
                "too,many,fields,here") + "\n");

        final Path ids = dir.resolve("withdrawn.ids.csv");
        final Ran first = lethe("import", csv.toString(), "--jurisdiction", "GDPR", "--reason", "account_deleted",
                "--source", "membership-export", "--ids", ids.toString());

        assertEquals(LetheCommand.FOUND_PROBLEMS, first.status(), first.out() + first.err());
        assertTrue(first.out().matches("(?s).*filed +3 .*"), first.out());
        assertTrue(first.out().matches("(?s).*refused +3 .*"), first.out());
        final List<String> report = Files.readAllLines(dir.resolve("withdrawn.csv.refused.csv"));
        assertEquals("row,code,error,field,message", report.get(0));
        assertEquals(4, report.size(), report.toString());
        assertTrue(report.get(1).startsWith("4,0,unreadable_row,,") && report.get(1).contains("blank"), report.get(1));
        assertTrue(report.get(2).startsWith("5,400,unknown_jurisdiction,jurisdiction,"), report.get(2));
        assertTrue(report.get(3).startsWith("6,0,unreadable_row,,") && report.get(3).contains("4 fields"),
                report.get(3));
        final List<String> filed = Files.readAllLines(ids);
        assertEquals(4, filed.size(), filed.toString());
        final String idOfB = filed.get(2).split(",")[2];
        await("the subjects' requests").atMost(WAIT).untilAsserted(() -> {
            assertEquals(List.of(filed.get(1).split(",")[2]), requestsOf(a));
            assertEquals(List.of(idOfB), requestsOf(b));
            assertEquals(List.of(filed.get(3).split(",")[2]), requestsOf(c));
        });
        assertEquals("CCPA", api.get("/v1/erasures/" + idOfB).json().path("jurisdiction").asText());
        assertFalse(Files.exists(dir.resolve("withdrawn.csv.progress")), "the progress file goes once all is answered");

        final Ran again = lethe("import", csv.toString(), "--jurisdiction", "GDPR", "--reason", "account_deleted",
                "--source", "membership-export", "--ids", ids.toString());

        assertEquals(LetheCommand.FOUND_PROBLEMS, again.status(), again.out() + again.err());
        assertEquals(filed.stream().map(l -> l.split(",")[2]).toList(),
                Files.readAllLines(ids).stream().map(l -> l.split(",")[2]).toList(), "every row answers its first id");
    }

    @Test
    void importShouldResumeAfterAnInterruptionFromItsProgressFile() throws Exception {
        final List<String> users = new ArrayList<>();
        final StringBuilder ndjson = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            users.add(subject("res"));
            ndjson.append(ApiClient.json(Map.of("subject", Map.of("namespace", "user_id", "value", users.get(i)))))
                    .append('\n');
        }
        final Path file = dir.resolve("monthly.ndjson");
        Files.writeString(file, ndjson);
        final Path progress = dir.resolve("monthly.ndjson.progress");
        final String[] args = {"import", file.toString(), "--jurisdiction", "GDPR", "--reason", "account_deleted",
                "--source", "membership-export", "--rate", "4", "--batch-size", "1"};
        final Ran[] interrupted = new Ran[1];
        final Thread run = new Thread(() -> interrupted[0] = lethe(args), "it-import");
        run.start();
        await("two rows answered").atMost(WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> rowsDone(progress) >= 2);
        run.interrupt();
        run.join(WAIT.toMillis());

        assertEquals(LetheCommand.FAILED, interrupted[0].status(), interrupted[0].out() + interrupted[0].err());
        assertTrue(interrupted[0].err().contains("run the same command again to resume"), interrupted[0].err());
        final long done = rowsDone(progress);
        assertTrue(done >= 2 && done < 6, "rows done " + done);

        final Ran resumed = lethe(args);

        assertEquals(0, resumed.status(), resumed.out() + resumed.err());
        assertTrue(resumed.err().contains("resuming after row " + done), resumed.err());
        assertFalse(Files.exists(progress));
        await("one request per row").atMost(WAIT).untilAsserted(() -> {
            for (String user : users) {
                assertEquals(1, requestsOf(user).size(), user);
            }
        });
    }

    private static long rowsDone(Path progress) {
        try {
            final List<String> lines = Files.readAllLines(progress, StandardCharsets.UTF_8);
            return lines.size() < 2 ? 0 : Long.parseLong(lines.get(1).substring("rows ".length()));
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    @Test
    void exportShouldWriteTheDatasetAsAnAvroFileAGenericReaderReadsAndAsCsvAndNdjson() throws Exception {
        final String gdpr = complete(file(subject("exp"), subject("exp") + "@example.com", "GDPR")).path("id").asText();
        final String ccpa = complete(file(subject("exp"), subject("exp") + "@example.com", "CCPA")).path("id").asText();
        final Path avro = dir.resolve("dataset.avro");
        await("both erasures in the exported dataset").atMost(WAIT).untilAsserted(() -> {
            final Ran export = lethe("export", "dataset", "--format", "avro", "--out", avro.toString());
            assertEquals(0, export.status(), export.out() + export.err());
            final List<String> ids = new ArrayList<>();
            readAvro(avro).forEach(r -> ids.add(r.get("requestId").toString()));
            assertTrue(ids.containsAll(List.of(gdpr, ccpa)), ids.toString());
        });

        try (DataFileReader<GenericRecord> reader = new DataFileReader<>(avro.toFile(), new GenericDatumReader<>())) {
            assertTrue(reader.getMetaString("lethe.dataset.offsets").startsWith(Topics.DATASET + " at offsets "));
            final GenericRecord record = StreamSupport.stream(reader.spliterator(), false)
                    .filter(r -> r.get("requestId").toString().equals(gdpr)).findFirst().orElseThrow();
            assertEquals("GDPR", record.get("jurisdiction").toString());
            assertEquals(64, record.get("subjectKey").toString().length());
            assertEquals("COMPLETED", record.get("status").toString());
        }

        final Path csv = dir.resolve("ccpa.csv");
        final Ran onlyCcpa = lethe("export", "dataset", "--format", "csv", "--out", csv.toString(),
                "--jurisdiction", "CCPA");
        assertEquals(0, onlyCcpa.status(), onlyCcpa.err());
        assertTrue(onlyCcpa.out().contains("consistent to " + Topics.DATASET + " at offsets "), onlyCcpa.out());
        final List<String> lines = Files.readAllLines(csv);
        assertEquals("subjectKey,requestId,status,jurisdiction,namespaces,requestedAt,finishedAt,systems", lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.contains(ccpa)), lines.toString());
        assertTrue(lines.stream().noneMatch(l -> l.contains(gdpr)), lines.toString());

        final Path ndjson = dir.resolve("recent.ndjson");
        final Ran none = lethe("export", "dataset", "--format", "ndjson", "--out", ndjson.toString(),
                "--since", Instant.now().plus(Duration.ofDays(1)).toString());
        assertEquals(0, none.status(), none.err());
        assertEquals(List.of(), Files.readAllLines(ndjson));
        lethe("export", "dataset", "--format", "ndjson", "--out", ndjson.toString());
        final JsonNode line = ApiClient.JSON.readTree(Files.readAllLines(ndjson).stream()
                .filter(l -> l.contains(gdpr)).findFirst().orElseThrow());
        assertEquals("COMPLETED", line.path("status").asText());
        assertTrue(line.path("systems").size() > 0, line.toString());
    }

    @Test
    void exportedAvroFileShouldBeReadByPythonsOwnAvroLibrary() throws Exception {
        final String id = complete(file(subject("py"), subject("py") + "@example.com", "GDPR")).path("id").asText();
        final Path avro = dir.resolve("dataset-for-python.avro");
        await("the erasure in the exported dataset").atMost(WAIT).untilAsserted(() -> {
            final Ran export = lethe("export", "dataset", "--format", "avro", "--out", avro.toString());
            assertEquals(0, export.status(), export.out() + export.err());
            assertTrue(readAvro(avro).stream().anyMatch(r -> r.get("requestId").toString().equals(id)));
        });
        // a third-party reader: Debian's python3-avro, installed like the Python partner client's
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "no /usr/bin/python3");
        final Path python = PartnerProcess.INTEROP.resolve("python");
        final PartnerProcess.Run install = PartnerProcess.run(python, List.of("sh", "install-deps.sh"), Map.of(),
                Duration.ofMinutes(10));
        Assumptions.assumeTrue(install.exit() == 0, () -> "cannot install python3-avro: " + install);

        final PartnerProcess.Run read = PartnerProcess.run(python,
                List.of("/usr/bin/python3", "read_export.py", avro.toAbsolutePath().toString()), Map.of(),
                Duration.ofMinutes(1));

        assertEquals(0, read.exit(), read.toString());
        final JsonNode record = read.lines().stream().filter(l -> id.equals(l.path("requestId").asText()))
                .findFirst().orElseThrow(() -> new AssertionError(read.toString()));
        assertEquals("COMPLETED", record.path("status").asText());
        assertEquals("GDPR", record.path("jurisdiction").asText());
        assertEquals(64, record.path("subjectKey").asText().length());
        assertTrue(read.lines().get(read.lines().size() - 1).path("offsets").asText()
                .startsWith(Topics.DATASET + " at offsets "), read.toString());
    }

    private static List<GenericRecord> readAvro(Path file) throws Exception {
        try (DataFileReader<GenericRecord> reader = new DataFileReader<>(file.toFile(), new GenericDatumReader<>())) {
            final List<GenericRecord> records = new ArrayList<>();
            reader.forEach(records::add);
            return records;
        }
    }

    @Test
    void replayAndCoverShouldGiveFinishedErasuresNewObligationsSentWithTheSubjectKeyOnly() {
        final Instant backup = Instant.now().minusSeconds(1);
        final String user = subject("rep");
        final JsonNode done = complete(file(user, user + "@example.com", "GDPR"));
        final String id = done.path("id").asText();
        final String subjectKey = done.path("subjectKey").asText();

        final Ran dryRun = lethe("replay", "--system", "billing", "--since", backup.toString(), "--dry-run");
        assertEquals(0, dryRun.status(), dryRun.out() + dryRun.err());
        assertTrue(dryRun.out().contains(id), dryRun.out());
        assertEquals("DONE", systemStatus(api.get("/v1/erasures/" + id).json(), "billing"), "a dry run sends nothing");

        final Ran replay = lethe("replay", "--system", "billing", "--since", backup.toString());
        assertEquals(0, replay.status(), replay.out() + replay.err());
        final JsonNode replayed = api.get("/v1/erasures/" + id).json();
        assertEquals("COMPLETED", replayed.path("status").asText());
        assertEquals("DISPATCHED", systemStatus(replayed, "billing"));
        assertTrue(auditTypes(id).contains("REPLAYED"), auditTypes(id).toString());
        final ErasureEvent event = await("the replayed erasure event").atMost(WAIT).until(() -> events(id).stream()
                .filter(e -> e.getSystems().equals(List.of("billing")) && e.getAttempt() == 2)
                .findFirst().orElse(null), java.util.Objects::nonNull);
        assertEquals("subject_key", event.getSubject().getNamespace());
        assertEquals(subjectKey, event.getSubject().getValue());
        assertEquals(List.of(), event.getIdentifiers());
        assertEquals(202, api.post("/v1/erasures/" + id + "/systems/billing/callback",
                "{\"outcome\": \"NOT_FOUND\"}").status());
        await("billing answered the replay").atMost(WAIT).until(() ->
                "NOT_FOUND".equals(systemStatus(api.get("/v1/erasures/" + id).json(), "billing")));

        final Response registered = api.put("/v1/systems/warehouse", ApiClient.json(Map.of("owner", "data-platform",
                "contact", "data@example.com", "mode", "event", "namespaces", List.of("user_id"))));
        assertTrue(registered.status() == 200 || registered.status() == 202, registered.body());
        await("the dataset holds the request").atMost(WAIT).untilAsserted(() -> {
            final Ran coverDry = lethe("cover", "--system", "warehouse", "--dry-run");
            assertEquals(0, coverDry.status(), coverDry.out() + coverDry.err());
            assertTrue(coverDry.out().contains(id), coverDry.out());
        });
        await("the ledger knows warehouse").atMost(WAIT).untilAsserted(() -> {
            final Ran cover = lethe("cover", "--system", "warehouse");
            assertEquals(0, cover.status(), cover.out() + cover.err());
            assertEquals("DISPATCHED", systemStatus(api.get("/v1/erasures/" + id).json(), "warehouse"), cover.out());
        });
        assertTrue(auditTypes(id).contains("COVERED"), auditTypes(id).toString());

        final Ran coverAgain = lethe("cover", "--system", "warehouse");
        assertEquals(0, coverAgain.status(), coverAgain.out());
        assertTrue(coverAgain.out().contains("already_targeted"), coverAgain.out());
        final Ran verify = lethe("audit", "verify", "--request", id);
        assertEquals(0, verify.status(), verify.out() + verify.err());
        assertTrue(verify.out().contains("every chain holds"), verify.out());
    }

    private static String systemStatus(JsonNode request, String system) {
        for (JsonNode target : request.path("systems")) {
            if (target.path("name").asText().equals(system)) {
                return target.path("status").asText();
            }
        }
        return null;
    }

    private static List<String> auditTypes(String id) {
        final List<String> types = new ArrayList<>();
        api.get("/v1/erasures/" + id + "/audit").json().forEach(fact -> types.add(fact.path("type").asText()));
        return types;
    }

    private static List<ErasureEvent> events(String requestId) {
        return TopicReader.readAll(lethe.cluster().bootstrapServers(), Topics.EVENTS, lethe.cluster().serdes().key().deserializer(),
                        lethe.cluster().serdes().event().deserializer()).stream()
                .map(ConsumerRecord::value).filter(e -> e.getRequestId().equals(requestId)).toList();
    }

    @Test
    void auditVerifyShouldFindRealChainsWholeAndReportATamperedOneWithAFailingStatus() {
        final String id = complete(file(subject("aud"), subject("aud") + "@example.com", "GDPR")).path("id").asText();
        final Ran whole = lethe("audit", "verify", "--request", id);
        assertEquals(0, whole.status(), whole.out() + whole.err());
        assertTrue(whole.out().contains("every chain holds"), whole.out());

        final String forged = "tampered-" + UUID.randomUUID();
        final AuditFact first = AuditChain.link(new AuditFact(forged, 1, Instant.now(), "RECEIVED", "submitter",
                null, "jurisdiction GDPR", "k", null, null, null), null);
        final AuditFact second = AuditChain.link(new AuditFact(forged, 2, Instant.now(), "COMPLETED", "lethe",
                null, "3 systems answered", "k", null, null, null), first.getHash());
        second.setDetail("0 systems answered"); // edited after it was chained
        publish(first, second);

        final Ran broken = lethe("audit", "verify");

        assertEquals(LetheCommand.FOUND_PROBLEMS, broken.status(), broken.out() + broken.err());
        assertTrue(broken.out().contains("BROKEN  request " + forged + ": fact 2 (COMPLETED) does not match its hash"),
                broken.out());
        assertTrue(broken.out().lines().filter(l -> l.startsWith("BROKEN")).allMatch(l -> l.contains("tampered-")),
                broken.out());
        assertEquals(0, lethe("audit", "verify", "--request", id).status());
        assertNotNull(broken.err());
    }

    private static void publish(AuditFact... facts) {
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, lethe.cluster().bootstrapServers());
        try (KafkaProducer<String, AuditFact> producer = new KafkaProducer<>(props,
                lethe.cluster().serdes().key().serializer(), lethe.cluster().serdes().audit().serializer())) {
            for (AuditFact fact : facts) {
                producer.send(new ProducerRecord<>(Topics.AUDIT, fact.getRequestId(), fact));
            }
            producer.flush();
        }
    }
}
