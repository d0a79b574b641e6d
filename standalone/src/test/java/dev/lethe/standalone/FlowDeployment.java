package dev.lethe.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.lethe.ledger.executor.s3.NoExpectContinue;
import dev.lethe.schemas.Topics;
import dev.lethe.standalone.ApiClient.Response;
import dev.lethe.standalone.scan.PiiScanner;
import dev.lethe.standalone.scan.ScanReport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The embedded default ({@link LetheStandalone}, as {@code ./lethe} runs it, on free ports, data
 * under {@code dir/data}) with systems of every kind: two event systems whose partners call back
 * with their own tokens, the S3 executor on the embedded S3 server, and the HTTP executor against a
 * partner API here that fails once first. {@link #runFlow()} drives one erasure through all of it
 * (intake, manual approval, dispatch, callbacks, executors, completion, certificate, subject look-up)
 * and has the ledger refuse a third party's unreadable record to the DLQ; {@link #scan} runs
 * {@code lethe pii-scan} over the whole deployment.
 */
final class FlowDeployment implements AutoCloseable {

    static final List<String> EVENT_SYSTEMS = List.of("billing", "crm");

    /** What one flow used: every raw value that must not leak, and the request. */
    record Flow(String requestId, String userId, String email, String dlqUserId, List<String> tokens) {

        /** The raw identifiers: the request's two and the one in the record refused to the DLQ. */
        List<String> identifiers() {
            return List.of(userId, email, dlqUserId);
        }
    }

    private final Path dir;
    private final HttpServer partner;
    private final AtomicInteger partnerCalls = new AtomicInteger();
    private final Map<String, String> partnerTokens;
    private final String approverToken;
    private final LetheStandalone lethe;
    private final ApiClient admin;
    private final String adminToken;
    private boolean closed;

    private FlowDeployment(Path dir, Map<String, String> extraEnvironment) throws IOException {
        this.dir = dir;
        this.partner = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        partner.createContext("/erase", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(partnerCalls.getAndIncrement() == 0 ? 503 : 200, -1);
            exchange.close();
        });
        partner.start();
        this.partnerTokens = Map.of("billing", "tok-billing-" + UUID.randomUUID(), "crm", "tok-crm-" + UUID.randomUUID());
        this.approverToken = "tok-approver-" + UUID.randomUUID();
        final Map<String, String> env = environment(extraEnvironment);
        this.lethe = LetheStandalone.start(env, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        this.adminToken = Files.readString(dataDir().resolve("secrets/admin.token")).strip();
        this.admin = new ApiClient(lethe.httpPort(), adminToken);
    }

    /** Starts it all; {@code extraEnvironment} adds or overrides settings (LETHE_FORGET_AFTER, for instance). */
    static FlowDeployment start(Path dir, Map<String, String> extraEnvironment) {
        try {
            return new FlowDeployment(dir, extraEnvironment);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, String> environment(Map<String, String> extra) throws IOException {
        Files.createDirectories(dir);
        final Path systems = Files.writeString(dir.resolve("systems.json"), """
                [
                  {"name": "billing", "owner": "billing-team", "contact": "billing@example.com", "mode": "event",
                   "namespaces": ["user_id", "email"], "slaDays": 14, "reminderHours": 24},
                  {"name": "crm", "owner": "sales-ops", "contact": "crm@example.com", "mode": "event",
                   "namespaces": ["email"], "slaDays": 14, "reminderHours": 24},
                  {"name": "media", "owner": "media-team", "contact": "media@example.com", "mode": "s3",
                   "namespaces": ["user_id"],
                   "s3": {"buckets": ["%s"], "prefixes": ["users/{user_id}/"], "deletesPerSecond": 1000}},
                  {"name": "partner-api", "owner": "partner", "contact": "partner@example.com", "mode": "http",
                   "namespaces": ["user_id"],
                   "http": {"url": "http://127.0.0.1:%d/erase", "timeoutMs": 2000, "maxAttempts": 5}}
                ]
                """.formatted(LetheStandalone.DEMO_BUCKET, partner.getAddress().getPort()));
        final Path tokens = Files.writeString(dir.resolve("tokens"), "approver " + approverToken + "\n"
                + "partner:billing " + partnerTokens.get("billing") + "\n"
                + "partner:crm " + partnerTokens.get("crm") + "\n");
        final Map<String, String> env = new HashMap<>();
        env.put("LETHE_DATA_DIR", dataDir().toString());
        for (String port : List.of("LETHE_HTTP_PORT", "LETHE_KAFKA_PORT", "LETHE_KAFKA_CONTROLLER_PORT",
                "LETHE_REGISTRY_PORT", "LETHE_QUERY_PORT", "LETHE_S3_PORT")) {
            env.put(port, Integer.toString(LetheEnv.freePort()));
        }
        env.put("LETHE_SYSTEMS_FILE", systems.toString());
        env.put("LETHE_TOKENS_FILE", tokens.toString());
        env.put("LETHE_APPROVAL", "manual");
        env.put("LETHE_EXECUTOR_RETRY_BASE_MS", "20");
        env.putAll(extra);
        return env;
    }

    Path dataDir() {
        return dir.resolve("data");
    }

    LetheStandalone lethe() {
        return lethe;
    }

    /** A client with the admin token. */
    ApiClient api() {
        return admin;
    }

    /**
     * One erasure through every part of Lethe, to COMPLETED with a verified certificate, and one
     * unreadable record a third party wrote onto {@code erasure.requests}, refused to the DLQ.
     */
    Flow runFlow() throws Exception {
        final String user = "u-" + UUID.randomUUID();
        final String email = "Scan.Subject+" + UUID.randomUUID().toString().substring(0, 8) + "@Example.com";
        putObjects(user);
        final Response filed = admin.post("/v1/erasures", ApiClient.json(Map.of(
                "subject", Map.of("namespace", "user_id", "value", user),
                "identifiers", List.of(Map.of("namespace", "email", "value", email)),
                "jurisdiction", "GDPR", "reason", "account_deleted", "source", "accounts-service",
                "objects", List.of("s3://" + LetheStandalone.DEMO_BUCKET + "/legacy/" + user + "-photo.jpg"))));
        assertEquals(202, filed.status(), filed.body());
        final String id = filed.json().path("id").asText();

        admin.awaitStatus(id, "PENDING_APPROVAL");
        final ApiClient approver = new ApiClient(lethe.httpPort(), approverToken);
        final Response approved = approver.post("/v1/erasures/" + id + "/approve", ApiClient.json(Map.of("note", "ok")));
        assertEquals(202, approved.status(), approved.body());
        await("request " + id + " dispatched").atMost(Duration.ofSeconds(30)).until(() ->
                List.of("IN_PROGRESS", "COMPLETED").contains(admin.get("/v1/erasures/" + id).json().path("status").asText()));
        for (String system : EVENT_SYSTEMS) {
            final Response callback = new ApiClient(lethe.httpPort(), partnerTokens.get(system)).post(
                    "/v1/erasures/" + id + "/systems/" + system + "/callback", ApiClient.json(Map.of(
                            "outcome", "DONE", "itemsErased", 2, "detail", "deleted the rows of " + email.toLowerCase())));
            assertEquals(202, callback.status(), callback.body());
        }
        final JsonNode completed = admin.awaitStatus(id, "COMPLETED", Duration.ofSeconds(60));
        assertEquals(2, partnerCalls.get(), "the HTTP partner fails once, then erases: " + completed);
        final Response certificate = admin.get("/v1/erasures/" + id + "/certificate");
        assertEquals(200, certificate.status(), certificate.body());
        assertTrue(certificate.json().path("audit").path("verified").asBoolean(), certificate.body());
        assertEquals(200, admin.get("/v1/erasures/" + id + "/audit").status());
        assertEquals(200, admin.get("/v1/subjects/user_id/" + user).status());

        final String dlqUser = "u-dlq-" + UUID.randomUUID();
        refusedToTheDlq(dlqUser);
        final List<String> tokens = List.of(adminToken, approverToken, partnerTokens.get("billing"),
                partnerTokens.get("crm"), Files.readString(dataDir().resolve("secrets/internal.token")).strip());
        return new Flow(id, user, email, dlqUser, tokens);
    }

    /**
     * Waits until {@code flow}'s request is forgotten: its data key tombstoned on
     * {@code erasure.keys} ({@code LETHE_FORGET_AFTER} after it finished) and the third party's
     * plaintext trimmed from {@code erasure.requests}. Needs a short {@code LETHE_FORGET_AFTER} and
     * {@code LETHE_REQUESTS_TRIM_INTERVAL}.
     */
    void awaitForgotten(Flow flow) {
        final byte[] plaintext = flow.dlqUserId().getBytes(StandardCharsets.UTF_8);
        await("the third party's plaintext trimmed from " + Topics.REQUESTS).atMost(Duration.ofSeconds(60))
                .until(() -> rawRecords(Topics.REQUESTS).stream().noneMatch(record -> record.value() != null
                        && contains(record.value(), plaintext)));
        await("the data key of " + flow.requestId() + " destroyed").atMost(Duration.ofSeconds(60))
                .until(() -> {
                    Boolean alive = null;
                    for (ConsumerRecord<byte[], byte[]> record : rawRecords(Topics.KEYS)) {
                        if (record.key() != null
                                && flow.requestId().equals(new String(record.key(), StandardCharsets.UTF_8))) {
                            alive = record.value() != null;
                        }
                    }
                    return Boolean.FALSE.equals(alive);
                });
    }

    private List<ConsumerRecord<byte[], byte[]>> rawRecords(String topic) {
        return TopicReader.readAll(lethe.bootstrapServers(), topic, new org.apache.kafka.common.serialization
                .ByteArrayDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer());
    }

    private static boolean contains(byte[] bytes, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= bytes.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (bytes[i + j] != part[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** {@code lethe pii-scan} over everything this deployment keeps: topics, state, broker files, logs. */
    ScanReport scan(List<String> values) {
        return PiiScanner.builder().values(values).bootstrapServers(lethe.bootstrapServers())
                .stateDir(dataDir().resolve("streams")).brokerDir(dataDir().resolve("kafka"))
                .logDir(dataDir().resolve("logs")).timeout(Duration.ofSeconds(30)).build().scan();
    }

    private void putObjects(String user) throws IOException {
        final String access = Files.readString(dataDir().resolve("secrets/s3.access-key")).strip();
        final String secret = Files.readString(dataDir().resolve("secrets/s3.secret-key")).strip();
        try (S3Client s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .endpointOverride(lethe.s3Endpoint()).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(access, secret)))
                .overrideConfiguration(o -> o.addExecutionInterceptor(new NoExpectContinue())).build()) {
            for (String key : List.of("users/" + user + "/avatar.png", "legacy/" + user + "-photo.jpg")) {
                s3.putObject(r -> r.bucket(LetheStandalone.DEMO_BUCKET).key(key), RequestBody.fromString("x"));
            }
        }
    }

    private void refusedToTheDlq(String user) throws Exception {
        final long before = dlqRecords();
        final Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, lethe.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            final String json = "{\"subject\":{\"namespace\":\"user_id\",\"value\":\"" + user + "\"}}";
            producer.send(new ProducerRecord<>(Topics.REQUESTS, ("third-party-" + UUID.randomUUID())
                    .getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);
        }
        await("the unreadable record refused to " + Topics.DLQ).atMost(Duration.ofSeconds(30))
                .until(() -> dlqRecords() > before);
    }

    private long dlqRecords() {
        return rawRecords(Topics.DLQ).size();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            lethe.close();
            partner.stop(0);
        }
    }
}
