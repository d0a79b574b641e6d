package dev.lethe.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.lethe.avro.ErasureRequested;
import dev.lethe.avro.SystemCallback;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The REST client against a tiny in-test server that speaks the Confluent Schema Registry API. */
class RestSchemaRegistryClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private FakeRegistry server;
    private RestSchemaRegistryClient client;

    @BeforeEach
    void start() throws IOException {
        server = new FakeRegistry();
        client = new RestSchemaRegistryClient(server.url());
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void shouldPostSchemaToSubjectVersionsAndReturnId() throws IOException {
        final int id = client.register("erasure.requests-value", ErasureRequested.getClassSchema());

        assertEquals(1, server.requests().size());
        final Request request = server.requests().get(0);
        assertEquals("POST", request.method());
        assertEquals("/subjects/erasure.requests-value/versions", request.path());
        assertEquals(CONTENT_TYPE, request.contentType());
        final JsonNode body = JSON.readTree(request.body());
        assertEquals(1, body.size(), "only the schema is sent: " + body);
        assertEquals(ErasureRequested.getClassSchema(), new Schema.Parser().parse(body.get("schema").asText()));
        assertEquals(server.idOf(ErasureRequested.getClassSchema()), id);
    }

    @Test
    void shouldNotCallRegistryForSecondRegistrationOfSameSchema() {
        final int first = client.register("erasure.callbacks-value", SystemCallback.getClassSchema());
        final int second = client.register("erasure.callbacks-value", SystemCallback.getClassSchema());

        assertEquals(first, second);
        assertEquals(1, server.requests().size());
    }

    @Test
    void shouldRegisterSameSchemaUnderEachSubject() {
        client.register("erasure.callbacks-value", SystemCallback.getClassSchema());
        client.register("partner.callbacks-value", SystemCallback.getClassSchema());

        assertEquals(List.of("/subjects/erasure.callbacks-value/versions", "/subjects/partner.callbacks-value/versions"),
                server.requests().stream().map(Request::path).toList());
    }

    @Test
    void shouldFetchSchemaByIdOnce() {
        final int id = server.preload(SystemCallback.getClassSchema());

        final Schema first = client.schemaById(id);
        final Schema second = client.schemaById(id);

        assertEquals(SystemCallback.getClassSchema(), first);
        assertEquals(first, second);
        assertEquals(1, server.requests().size());
        assertEquals("GET", server.requests().get(0).method());
        assertEquals("/schemas/ids/" + id, server.requests().get(0).path());
    }

    @Test
    void shouldKnowSchemaItRegisteredWithoutFetchingIt() {
        final int id = client.register("erasure.callbacks-value", SystemCallback.getClassSchema());

        assertEquals(SystemCallback.getClassSchema(), client.schemaById(id));
        assertEquals(1, server.requests().size());
    }

    @Test
    void shouldPutASubjectsCompatibilityLevel() throws IOException {
        client.setCompatibility("erasure.requests-value", Compatibility.BACKWARD_TRANSITIVE);

        final Request request = server.requests().get(0);
        assertEquals("PUT", request.method());
        assertEquals("/config/erasure.requests-value", request.path());
        assertEquals(CONTENT_TYPE, request.contentType());
        assertEquals("{\"compatibility\":\"BACKWARD_TRANSITIVE\"}", JSON.readTree(request.body()).toString());
        assertEquals(Optional.of(Compatibility.BACKWARD_TRANSITIVE), client.compatibility("erasure.requests-value"));
        assertEquals("/config/erasure.requests-value", server.requests().get(1).path());
    }

    @Test
    void shouldReadNoLevelForASubjectWithoutOneOfItsOwn() {
        assertEquals(Optional.empty(), client.compatibility("erasure.callbacks-value"));
    }

    @ParameterizedTest
    @ValueSource(ints = {409, 422, 500})
    void shouldTurnErrorAnswerIntoExceptionWithStatus(int status) {
        server.failWith(status, "{\"error_code\": " + status + "01, \"message\": \"no\"}");

        final SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
                () -> client.register("erasure.requests-value", ErasureRequested.getClassSchema()));

        assertEquals(status, e.status());
        assertTrue(e.getMessage().contains(Integer.toString(status)), e.getMessage());
        assertTrue(e.getMessage().contains("/subjects/erasure.requests-value/versions"), e.getMessage());
    }

    @Test
    void shouldSayWhenSomethingOtherThanARegistryAnswers() {
        // e.g. LETHE_SCHEMA_REGISTRY_URL pointing at a web page: reachable, but not a registry
        server.failWith(200, "<html><body>Welcome</body></html>");

        final SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
                () -> client.register("erasure.requests-value", ErasureRequested.getClassSchema()));

        assertTrue(e.getMessage().contains("not JSON"), e.getMessage());
        assertTrue(e.getMessage().contains("/subjects/erasure.requests-value/versions"), e.getMessage());
    }

    @Test
    void shouldTurnUnknownIdIntoExceptionWith404AndNotCacheIt() {
        final SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> client.schemaById(77));
        final int id = server.preload(SystemCallback.getClassSchema());

        assertEquals(404, e.status());
        assertEquals(SystemCallback.getClassSchema(), client.schemaById(id));
    }

    @Test
    void shouldRetryAfterAFailedRegistration() {
        server.failWith(500, "{}");
        assertThrows(SchemaRegistryException.class,
                () -> client.register("erasure.requests-value", ErasureRequested.getClassSchema()));
        server.recover();

        final int id = client.register("erasure.requests-value", ErasureRequested.getClassSchema());

        assertEquals(server.idOf(ErasureRequested.getClassSchema()), id);
    }

    @Test
    void shouldAcceptBaseUrlWithTrailingSlash() {
        final RestSchemaRegistryClient slashed = new RestSchemaRegistryClient(server.url() + "/");

        slashed.register("erasure.requests-value", ErasureRequested.getClassSchema());

        assertEquals("/subjects/erasure.requests-value/versions", server.requests().get(0).path());
    }

    @Test
    void shouldTurnUnreachableRegistryIntoException() throws IOException {
        final int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        final RestSchemaRegistryClient unreachable = new RestSchemaRegistryClient("http://127.0.0.1:" + closedPort);

        final SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
                () -> unreachable.register("erasure.requests-value", ErasureRequested.getClassSchema()));

        assertEquals(-1, e.status());
        assertTrue(e.getMessage().contains("127.0.0.1:" + closedPort), e.getMessage());
    }

    record Request(String method, String path, String contentType, String body) {
    }

    /**
     * Just enough of the Confluent REST API: {@code POST /subjects/{subject}/versions},
     * {@code GET /schemas/ids/{id}} and {@code GET/PUT /config/{subject}}, one global id per distinct schema, every request recorded.
     */
    private static final class FakeRegistry {

        private final HttpServer http;
        private final List<Request> requests = new CopyOnWriteArrayList<>();
        private final Map<String, Integer> idsBySchema = new ConcurrentHashMap<>();
        private final Map<Integer, String> schemasById = new ConcurrentHashMap<>();
        private final Map<String, String> levels = new ConcurrentHashMap<>();
        private final AtomicInteger nextId = new AtomicInteger(100);
        private volatile int failStatus;
        private volatile String failBody;

        FakeRegistry() throws IOException {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            http.createContext("/", this::handle);
            http.start();
        }

        String url() {
            return "http://127.0.0.1:" + http.getAddress().getPort();
        }

        void stop() {
            http.stop(0);
        }

        List<Request> requests() {
            return List.copyOf(requests);
        }

        int preload(Schema schema) {
            return idOf(schema);
        }

        int idOf(Schema schema) {
            final String text = schema.toString();
            return idsBySchema.computeIfAbsent(text, t -> {
                final int id = nextId.getAndIncrement();
                schemasById.put(id, t);
                return id;
            });
        }

        void failWith(int status, String body) {
            failBody = body;
            failStatus = status;
        }

        void recover() {
            failStatus = 0;
        }

        private void handle(HttpExchange exchange) throws IOException {
            final String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            final String path = exchange.getRequestURI().getRawPath();
            requests.add(new Request(exchange.getRequestMethod(), path,
                    exchange.getRequestHeaders().getFirst("Content-Type"), body));
            if (failStatus != 0) {
                answer(exchange, failStatus, failBody);
            } else if ("POST".equals(exchange.getRequestMethod()) && path.matches("/subjects/[^/]+/versions")) {
                final String schema = JSON.readTree(body).get("schema").asText();
                answer(exchange, 200, "{\"id\": " + idOf(new Schema.Parser().parse(schema)) + "}");
            } else if ("PUT".equals(exchange.getRequestMethod()) && path.startsWith("/config/")) {
                levels.put(path.substring("/config/".length()), JSON.readTree(body).get("compatibility").asText());
                answer(exchange, 200, body);
            } else if ("GET".equals(exchange.getRequestMethod()) && path.startsWith("/config/")) {
                final String level = levels.get(path.substring("/config/".length()));
                if (level == null) {
                    answer(exchange, 404, "{\"error_code\": 40408, \"message\": \"no subject-level config\"}");
                } else {
                    answer(exchange, 200, JSON.createObjectNode().put("compatibilityLevel", level).toString());
                }
            } else if ("GET".equals(exchange.getRequestMethod()) && path.startsWith("/schemas/ids/")) {
                final String schema = schemasById.get(Integer.parseInt(path.substring("/schemas/ids/".length())));
                if (schema == null) {
                    answer(exchange, 404, "{\"error_code\": 40403, \"message\": \"Schema not found\"}");
                } else {
                    answer(exchange, 200, JSON.createObjectNode().put("schema", schema).toString());
                }
            } else {
                answer(exchange, 404, "{\"error_code\": 404, \"message\": \"HTTP 404 Not Found\"}");
            }
        }

        private static void answer(HttpExchange exchange, int status, String body) throws IOException {
            final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
