package dev.lethe.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.lethe.avro.CallbackOutcome;
import dev.lethe.avro.ErasureEvent;
import dev.lethe.avro.Identifier;
import dev.lethe.avro.ProcessingWindow;
import dev.lethe.avro.S3Settings;
import dev.lethe.avro.SystemCallback;
import dev.lethe.avro.SystemMode;
import dev.lethe.avro.SystemRegistration;
import dev.lethe.ledger.executor.StoreSystemLookup;
import dev.lethe.gateway.GatewayConfig;
import dev.lethe.gateway.GatewayServer;
import dev.lethe.ledger.LedgerApp;
import dev.lethe.ledger.LedgerConfig;
import dev.lethe.schemas.Topics;
import dev.lethe.standalone.ApiClient.Response;
import dev.lethe.standalone.s3.EmbeddedS3Server;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import dev.lethe.ledger.executor.s3.NoExpectContinue;

/**
 * The built-in executors inside a running ledger, end to end: a request filed through the
 * gateway with object references is erased from a real S3-compatible server and from a real HTTP
 * partner (that fails twice first), and the request completes with the counts; a reminder for an
 * answered (request, system) and a restart of the ledger act on nothing twice; an event outside
 * its system's processing window waits for the window.
 */
@Tag("integration")
class ExecutorsIntegrationTest {

    private static final String APPLICATION_ID = "lethe-it-executors";
    private static final String BUCKET = "media-it";
    private static final String ACCESS = "it-s3-access";
    private static final String SECRET = "it-s3-secret-0123456789";

    @TempDir
    static Path dir;

    private static ItCluster cluster;
    private static EmbeddedS3Server s3Server;
    private static S3Client s3;
    private static HttpServer partner;
    private static final List<String> partnerKeys = new CopyOnWriteArrayList<>();
    private static final AtomicInteger partnerFailures = new AtomicInteger(2);
    private static LedgerApp ledger;
    private static GatewayServer gateway;
    private static ApiClient api;
    private static Map<String, String> ledgerEnv;

    @BeforeAll
    static void start() throws IOException {
        cluster = ItCluster.withRegistry(dir);
        s3Server = EmbeddedS3Server.start(dir.resolve("s3"), 0, ACCESS, SECRET, BUCKET);
        s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .endpointOverride(s3Server.endpoint()).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)))
                .overrideConfiguration(o -> o.addExecutionInterceptor(new NoExpectContinue()))
                .build();
        partner = startPartner();
        final Path systems = Files.writeString(dir.resolve("systems.json"), """
                [
                  {"name": "media", "owner": "media-team", "contact": "media@example.com", "mode": "s3",
                   "namespaces": ["user_id"],
                   "s3": {"buckets": ["%s"], "prefixes": ["users/{user_id}/"],
                          "cdnDomains": {"cdn.media.test": "%s"}, "deletesPerSecond": 1000}},
                  {"name": "partner-api", "owner": "partner", "contact": "partner@example.com", "mode": "http",
                   "namespaces": ["user_id"],
                   "http": {"url": "http://127.0.0.1:%d/erase", "timeoutMs": 2000, "maxAttempts": 5}}
                ]
                """.formatted(BUCKET, BUCKET, partner.getAddress().getPort()));
        final Path access = Files.writeString(dir.resolve("s3.access"), ACCESS);
        final Path secret = Files.writeString(dir.resolve("s3.secret"), SECRET);
        ledgerEnv = new java.util.HashMap<>(LetheEnv.ledger(cluster, APPLICATION_ID, dir.resolve("streams"),
                LetheEnv.freePort(), systems));
        ledgerEnv.put("LETHE_EXECUTORS", "s3,http");
        ledgerEnv.put("LETHE_S3_ENDPOINT", s3Server.endpoint().toString());
        ledgerEnv.put("LETHE_S3_PATH_STYLE", "true");
        ledgerEnv.put("LETHE_S3_ACCESS_KEY_FILE", access.toString());
        ledgerEnv.put("LETHE_S3_SECRET_KEY_FILE", secret.toString());
        ledgerEnv.put("LETHE_EXECUTOR_RETRY_BASE_MS", "20");
        ledger = LedgerApp.start(LedgerConfig.fromEnvironment(ledgerEnv));
        gateway = new GatewayServer(GatewayConfig.fromEnvironment(LetheEnv.gateway(cluster, ledger.queryPort())))
                .start();
        api = new ApiClient(gateway.port(), LetheEnv.ADMIN_TOKEN);
    }

    private static HttpServer startPartner() throws IOException {
        final HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/erase", exchange -> {
            exchange.getRequestBody().readAllBytes();
            partnerKeys.add(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
            exchange.sendResponseHeaders(partnerFailures.getAndDecrement() > 0 ? 503 : 200, -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (ledger != null) {
            ledger.close();
        }
        if (partner != null) {
            partner.stop(0);
        }
        if (s3 != null) {
            s3.close();
        }
        try {
            if (s3Server != null) {
                s3Server.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static void put(String key) {
        s3.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromString("x"));
    }

    private static boolean exists(String key) {
        return s3.listObjectsV2(r -> r.bucket(BUCKET).prefix(key)).contents().stream().anyMatch(o -> o.key().equals(key));
    }

    @Test
    void shouldEraseS3ObjectsAndCallThePartnerThenCompleteAndNeverActTwice() throws Exception {
        final String user = "u" + UUID.randomUUID().toString().substring(0, 8);
        put("users/" + user + "/avatar.png");
        put("users/" + user + "/albums/1.jpg");
        put("legacy/" + user + "-photo 1.jpg");
        put("legacy/" + user + "-photo 2.jpg");
        put("users/" + user + "0/keep.png");

        // Given a request filed over HTTP with references in two legacy shapes
        final Response filed = api.post("/v1/erasures", ApiClient.json(Map.of(
                "subject", Map.of("namespace", "user_id", "value", user),
                "jurisdiction", "GDPR", "reason", "account_deleted", "source", "accounts-service",
                "objects", List.of("s3://" + BUCKET + "/legacy/" + user + "-photo 1.jpg",
                        "https://cdn.media.test/legacy/" + user + "-photo%202.jpg"))));
        assertEquals(202, filed.status(), filed.body());
        final String id = filed.json().path("id").asText();

        // Then both executors answer and the request completes with the S3 count
        await("request " + id + " completed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> "COMPLETED".equals(api.get("/v1/erasures/" + id).json().path("status").asText()));
        final JsonNode request = api.get("/v1/erasures/" + id).json();
        final JsonNode media = system(request, "media");
        assertEquals("DONE", media.path("status").asText(), request.toString());
        assertEquals(4, media.path("itemsErased").asLong(), request.toString());
        assertEquals("DONE", system(request, "partner-api").path("status").asText(), request.toString());
        assertTrue(!exists("users/" + user + "/avatar.png") && !exists("legacy/" + user + "-photo 2.jpg"));
        assertTrue(exists("users/" + user + "0/keep.png"), "a neighbour's objects stay");
        assertEquals(3, partnerKeys.size(), "two 503s, then success");
        assertEquals(1, Set.copyOf(partnerKeys).size(), "one idempotency key for every attempt");

        // When a reminder for the answered request arrives, followed by a fresh event
        final ErasureEvent dispatched = TopicReader.readAll(cluster.bootstrapServers(), Topics.EVENTS,
                cluster.serdes().key().deserializer(), cluster.serdes().event().deserializer()).stream()
                .map(r -> r.value()).filter(e -> e.getRequestId().equals(id)).findFirst().orElseThrow();
        final ErasureEvent reminder = ErasureEvent.newBuilder(dispatched).setEventId("reminder-" + id)
                .setReminder(true).setAttempt(2).setIssuedAt(Instant.now()).build();
        // (the fresh event of another request is written in the clear, as a third party would: the
        // dispatched one is sealed under this request's data key, which opens no other request's event)
        final ErasureEvent opened = dev.lethe.schemas.crypto.Sealing.openEvent(dispatched,
                LetheEnv.dataKey(cluster, id));
        final ErasureEvent fresh = ErasureEvent.newBuilder(opened).setEventId("fresh-" + id)
                .setRequestId("other-" + id).setSystems(List.of("partner-api")).build();
        publish(dispatched.getSubjectKey(), reminder, fresh);

        // Then only the fresh event reaches the partner
        await("the fresh event reached the partner").atMost(Duration.ofSeconds(30))
                .until(() -> partnerKeys.size() == 4);
        TopicReader.awaitConsumed(cluster.admin(), APPLICATION_ID + "-executor-http", Set.of(Topics.EVENTS),
                Duration.ofSeconds(30));
        assertEquals(4, partnerKeys.size());

        // And after a restart of the ledger nothing is acted on again
        ledger.close();
        ledger = LedgerApp.start(LedgerConfig.fromEnvironment(ledgerEnv));
        TopicReader.awaitConsumed(cluster.admin(), APPLICATION_ID + "-executor-http", Set.of(Topics.EVENTS),
                Duration.ofSeconds(30));
        TopicReader.awaitConsumed(cluster.admin(), APPLICATION_ID + "-executor-s3", Set.of(Topics.EVENTS),
                Duration.ofSeconds(30));
        assertEquals(4, partnerKeys.size(), "a restart must not call the partner again");
    }

    @Test
    void shouldWaitForTheProcessingWindowThenErase() throws Exception {
        // Given an s3 system whose window opens a few seconds from now
        final Instant opens = Instant.now().plusSeconds(6).truncatedTo(ChronoUnit.SECONDS);
        final String from = LocalTime.ofInstant(opens, ZoneOffset.UTC).toString();
        final String to = LocalTime.ofInstant(opens.plusSeconds(3600), ZoneOffset.UTC).toString();
        final SystemRegistration night = SystemRegistration.newBuilder()
                .setName("night-media").setOwner("media-team").setContact("media@example.com")
                .setMode(SystemMode.S3).setNamespaces(List.of("user_id"))
                .setS3(new S3Settings(List.of(BUCKET), List.of("night/{user_id}/"), Map.of(), 1000, false,
                        new ProcessingWindow(from, to, "UTC")))
                .build();
        publishSystem(night);
        final StoreSystemLookup lookup = new StoreSystemLookup(ledger.streams(), cluster.serdes());
        await("night-media registered").atMost(Duration.ofSeconds(20)).until(() -> lookup.find("night-media").isPresent());
        final String user = "n" + UUID.randomUUID().toString().substring(0, 8);
        put("night/" + user + "/1.png");

        // When an event for it arrives while the window is closed
        final String requestId = "night-" + user;
        final ErasureEvent event = ErasureEvent.newBuilder()
                .setEventId("evt-" + requestId).setRequestId(requestId).setSubjectKey("sk-" + user)
                .setSystems(List.of("night-media")).setSubject(new Identifier("user_id", user))
                .setJurisdiction("GDPR").setDeadline(opens.plusSeconds(86_400)).setIssuedAt(Instant.now()).build();
        publish(event.getSubjectKey(), event);
        assertTrue(Instant.now().isBefore(opens), "the event must arrive before the window opens");

        // Then the object is erased, and the answer is given only once the window is open
        await("object erased").atMost(Duration.ofSeconds(40)).until(() -> !exists("night/" + user + "/1.png"));
        final SystemCallback done = await("DONE callback").atMost(Duration.ofSeconds(20)).until(
                () -> TopicReader.readAll(cluster.bootstrapServers(), Topics.CALLBACKS, cluster.serdes().key().deserializer(),
                        cluster.serdes().callback().deserializer()).stream().map(r -> r.value())
                        .filter(c -> c.getRequestId().equals(requestId)).findFirst().orElse(null),
                c -> c != null);
        assertEquals(CallbackOutcome.DONE, done.getOutcome(), done.toString());
        assertEquals("executor:s3", done.getActor());
        assertTrue(!done.getAt().isBefore(opens), "answered at " + done.getAt() + ", window opens " + opens);
    }

    private static void publishSystem(SystemRegistration system) throws Exception {
        final Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, SystemRegistration> producer = new KafkaProducer<>(props,
                cluster.serdes().key().serializer(), cluster.serdes().system().serializer())) {
            producer.send(new ProducerRecord<>(Topics.SYSTEMS, system.getName(), system)).get(10, TimeUnit.SECONDS);
        }
    }

    private static void publish(String key, ErasureEvent... events) throws Exception {
        final Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, ErasureEvent> producer = new KafkaProducer<>(props,
                cluster.serdes().key().serializer(), cluster.serdes().event().serializer())) {
            for (ErasureEvent event : events) {
                producer.send(new ProducerRecord<>(Topics.EVENTS, key, event)).get(10, TimeUnit.SECONDS);
            }
        }
    }

    private static JsonNode system(JsonNode request, String name) {
        for (JsonNode system : request.path("systems")) {
            if (name.equals(system.path("name").asText())) {
                return system;
            }
        }
        throw new AssertionError("no system " + name + " in " + request);
    }
}
