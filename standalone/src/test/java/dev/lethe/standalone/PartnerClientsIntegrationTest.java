package dev.lethe.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.schemas.TopicContracts;
import dev.lethe.schemas.TopicContracts.Contract;
import dev.lethe.schemas.Topics;
import dev.lethe.schemas.registry.Compatibility;
import dev.lethe.schemas.registry.RestSchemaRegistryClient;
import dev.lethe.schemas.serde.CanonicalPartition;
import dev.lethe.standalone.ApiClient.Response;
import dev.lethe.standalone.PartnerProcess.Run;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Any producer can file a request": partners' clients in other languages, in their usual setup,
 * against a freshly started Lethe (broker, embedded registry, ledger, gateway) that nothing has
 * written to yet. Each client uses the schemas Lethe registered at start (no auto-registration),
 * files requests straight onto {@code erasure.requests}, reads {@code erasure.events} with its
 * usual deserializers and answers on {@code erasure.callbacks}; the requests must complete and
 * nothing may reach the DLQ. The clients and their pinned dependencies are under
 * {@code src/test/interop/}: JavaScript (kafkajs, installed by {@code npm ci}) and Python
 * (Debian's python3-confluent-kafka and python3-avro for {@code /usr/bin/python3}, installed by
 * {@code python/install-deps.sh} when missing; skipped, saying why, when that is impossible).
 * One class, one cluster, to keep the build fast.
 */
@Tag("integration")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PartnerClientsIntegrationTest {

    private static final String APPLICATION_ID = "lethe-it-partner-clients";
    /** The systems of {@link LetheEnv#SYSTEMS_JSON} that hold user ids under GDPR. */
    private static final List<String> ROUTED = List.of("analytics", "billing");
    private static final int REQUESTS_PER_CLIENT = 2;
    /** The partition count of {@link LetheEnv#ledger}'s topics. */
    private static final int PARTITIONS = 2;
    private static final Duration CLIENT_TIMEOUT = Duration.ofMinutes(3);
    private static final Path JS = PartnerProcess.INTEROP.resolve("js");
    private static final Path PYTHON = PartnerProcess.INTEROP.resolve("python");
    private static final String SYSTEM_PYTHON = "/usr/bin/python3";

    @TempDir
    static Path dir;

    private static ItLethe lethe;
    private static ItCluster cluster;
    private static ApiClient api;
    private static boolean npmInstalled;

    @BeforeAll
    static void start() {
        lethe = ItLethe.start(dir, APPLICATION_ID);
        cluster = lethe.cluster();
        api = lethe.api();
    }

    @AfterAll
    static void stop() {
        if (lethe != null) {
            lethe.close();
        }
    }

    @Test
    @Order(1)
    void shouldRegisterEverySubjectOfEveryTopicWithItsCompatibilityBeforeAnythingIsWritten() throws Exception {
        // Given a fresh start, before any request
        for (String input : List.of(Topics.REQUESTS, Topics.DECISIONS, Topics.CALLBACKS)) {
            assertEquals(0, TopicReader.endOffsetSum(cluster.admin(), input), input + " must still be empty");
        }
        final RestSchemaRegistryClient registry = new RestSchemaRegistryClient(cluster.registryUrl());

        // Then every topic's key and value subjects hold Lethe's schema at BACKWARD_TRANSITIVE
        for (Contract contract : TopicContracts.ALL) {
            assertEquals(contract.value(), latestSchema(contract.valueSubject()), contract.valueSubject());
            assertEquals(Schema.create(Schema.Type.STRING), latestSchema(contract.keySubject()), contract.keySubject());
            for (String subject : List.of(contract.keySubject(), contract.valueSubject())) {
                assertEquals(Optional.of(Compatibility.BACKWARD_TRANSITIVE), registry.compatibility(subject), subject);
            }
        }
        assertEquals(Set.of("erasure.requests", "erasure.decisions", "erasure.callbacks", "erasure.events",
                "erasure.audit", "erasure.dataset", "erasure.notifications", "erasure.dlq", "erasure.systems",
                "erasure.subject-index", "erasure.admissions", "erasure.keys"), new TreeSet<>(TopicContracts.ALL.stream().map(Contract::topic).toList()));
    }

    @Test
    @Order(2)
    void shouldCompleteRequestsAJavaScriptPartnerFilesAndAnswersWithTextKeys() {
        final Run run = javaScript("text", idsOnTheirCanonicalPartition());

        assertCompletedWithoutDeadLetters(run);
        assertFiledOnTheCanonicalPartition(run);
        assertEventKeysAreTheSubjectKeyAsText(run);
    }

    @Test
    @Order(3)
    void shouldCompleteRequestsAJavaScriptPartnerFilesAndAnswersWithSchemaRegistryEncodedAvroKeys() {
        final Run run = javaScript("avro", List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString()));

        assertCompletedWithoutDeadLetters(run);
        assertEventKeysAreTheSubjectKeyAsText(run);
    }

    @Test
    @Order(4)
    void shouldCompleteRequestsAPythonPartnerFilesWithLibrdkafkasDefaultPartitionerAndTextKeys() {
        // the first id's CRC32 partition (librdkafka's consistent_random) is not its canonical one
        final Run run = python("text", List.of(idOffItsCanonicalPartition(), UUID.randomUUID().toString()));

        assertCompletedWithoutDeadLetters(run);
        final JsonNode first = run.linesWith("filed").get(0);
        assertNotEquals(CanonicalPartition.of(first.path("filed").asText(), PARTITIONS), first.path("partition").asInt(),
                () -> "librdkafka should have placed " + first + " off its canonical partition: " + run);
        assertEventKeysAreTheSubjectKeyAsText(run);
    }

    @Test
    @Order(5)
    void shouldCompleteRequestsAPythonPartnerFilesAndAnswersWithAvroKeys() {
        final Run run = python("avro", List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString()));

        assertCompletedWithoutDeadLetters(run);
        assertEventKeysAreTheSubjectKeyAsText(run);
    }

    private static Run javaScript(String keyMode, List<String> ids) {
        if (!npmInstalled) {
            PartnerProcess.succeed(JS, List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(),
                    Duration.ofMinutes(5));
            npmInstalled = true;
        }
        return PartnerProcess.succeed(JS, List.of("node", "partner.js"), clientEnv(keyMode, ids), CLIENT_TIMEOUT);
    }

    private static Run python(String keyMode, List<String> ids) {
        assumePythonClientInstalled();
        return PartnerProcess.succeed(PYTHON, List.of(SYSTEM_PYTHON, "partner.py"), clientEnv(keyMode, ids),
                CLIENT_TIMEOUT);
    }

    /** Installs the Python client's Debian packages when missing; skips the test, saying why, when it cannot. */
    private static void assumePythonClientInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(Path.of(SYSTEM_PYTHON)),
                SYSTEM_PYTHON + " is missing: the Python partner client needs Debian's system Python");
        final Run install = PartnerProcess.run(PYTHON, List.of("sh", "install-deps.sh"), Map.of(),
                Duration.ofMinutes(10));
        Assumptions.assumeTrue(install.exit() == 0,
                () -> "cannot install the Python partner client's packages: " + install);
    }

    private static Map<String, String> clientEnv(String keyMode, List<String> ids) {
        return Map.of(
                "LETHE_BOOTSTRAP_SERVERS", cluster.bootstrapServers(),
                "LETHE_SCHEMA_REGISTRY_URL", cluster.registryUrl(),
                "PARTNER_KEY", keyMode,
                "PARTNER_REQUEST_IDS", String.join(",", ids),
                "PARTNER_TIMEOUT_MS", Long.toString(CLIENT_TIMEOUT.minusSeconds(30).toMillis()));
    }

    /** Fresh ids, each placed on its canonical partition by a murmur2 partitioner (kafkajs' default). */
    private static List<String> idsOnTheirCanonicalPartition() {
        return List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString());
    }

    /** A fresh id whose CRC32 partition (librdkafka's default partitioner) is not its canonical one. */
    private static String idOffItsCanonicalPartition() {
        while (true) {
            final String id = UUID.randomUUID().toString();
            final CRC32 crc = new CRC32();
            crc.update(id.getBytes(StandardCharsets.UTF_8));
            if (crc.getValue() % PARTITIONS != CanonicalPartition.of(id, PARTITIONS)) {
                return id;
            }
        }
    }

    /** kafkajs' default partitioner put each text-keyed request where Lethe looks for it. */
    private static void assertFiledOnTheCanonicalPartition(Run run) {
        run.linesWith("filed").forEach(filed -> assertEquals(
                CanonicalPartition.of(filed.path("filed").asText(), PARTITIONS), filed.path("partition").asInt(),
                filed.toString()));
    }

    /** Every request the client filed completed with the routed systems DONE, and none of its input was refused. */
    private static void assertCompletedWithoutDeadLetters(Run run) {
        final List<String> filed = run.values("filed");
        assertEquals(REQUESTS_PER_CLIENT, filed.size(), run::toString);
        assertEquals(new TreeSet<>(filed), new TreeSet<>(run.values("answered")), run::toString);
        for (JsonNode event : run.linesWith("event")) {
            assertEquals(ROUTED, Stream.of(ApiClient.JSON.convertValue(event.path("systems"), String[].class))
                    .sorted().toList(), event.toString());
        }
        for (String id : filed) {
            await("request " + id + " completed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> "COMPLETED".equals(status(id)));
            final JsonNode request = api.get("/v1/erasures/" + id).json();
            assertEquals(ROUTED, FullFlowIntegrationTest.names(request), request.toString());
            request.path("systems").forEach(system ->
                    assertEquals("DONE", system.path("status").asText(), request.toString()));
        }
        assertEquals(0, TopicReader.endOffsetSum(cluster.admin(), Topics.DLQ), "nothing may be dead-lettered");
    }

    /** The client read each event's key with a plain text deserializer and got the subject key. */
    private static void assertEventKeysAreTheSubjectKeyAsText(Run run) {
        final List<JsonNode> events = run.linesWith("event");
        assertEquals(REQUESTS_PER_CLIENT, events.size(), run::toString);
        events.forEach(event -> assertEquals(event.path("subjectKey").asText(), event.path("key").asText(),
                event.toString()));
    }

    /** The schema of the subject's latest version, as a client with auto-registration off fetches it. */
    private static Schema latestSchema(String subject) throws Exception {
        final HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(cluster.registryUrl() + "/subjects/" + subject + "/versions/latest")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), subject + ": " + answer.body());
        return new Schema.Parser().parse(ApiClient.JSON.readTree(answer.body()).path("schema").asText());
    }

    private static String status(String id) {
        final Response response = api.get("/v1/erasures/" + id);
        return response.status() == 200 ? response.json().path("status").asText() : "HTTP " + response.status();
    }
}
