package dev.lethe.standalone.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.avro.ErasureRequested;
import dev.lethe.avro.Identifier;
import dev.lethe.schemas.TopicContracts;
import dev.lethe.schemas.Topics;
import dev.lethe.schemas.registry.Compatibility;
import dev.lethe.schemas.registry.RestSchemaRegistryClient;
import dev.lethe.schemas.registry.SchemaRegistryException;
import dev.lethe.schemas.serde.AvroCodec;
import dev.lethe.schemas.serde.ConfluentAvroSerde;
import dev.lethe.standalone.kafka.EmbeddedKafkaBroker;
import dev.lethe.standalone.registry.RegistryHttp.Response;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded registry against a real embedded broker, driven by Lethe's own client and serde and by raw HTTP. */
@Tag("integration")
class EmbeddedSchemaRegistryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema STRING = Schema.create(Schema.Type.STRING);
    private static final Schema REQUESTED = ErasureRequested.getClassSchema();

    @TempDir
    static Path dataDir;

    private static EmbeddedKafkaBroker broker;
    private static EmbeddedSchemaRegistry registry;
    private static RegistryHttp http;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.onFreePorts(dataDir).start();
        registry = new EmbeddedSchemaRegistry(broker.bootstrapServers(), 0).start();
        http = new RegistryHttp(registry.url());
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldGiveTheSameSchemaTheSameIdUnderEverySubject() {
        final RestSchemaRegistryClient client = new RestSchemaRegistryClient(registry.url());

        final int requestedId = client.register(ConfluentAvroSerde.subject(Topics.REQUESTS, false), REQUESTED);
        final int firstStringId = client.register("ids-a-key", STRING);
        final int secondStringId = client.register("ids-b-key", STRING);

        assertEquals(firstStringId, secondStringId);
        assertNotEquals(requestedId, firstStringId);
        final RestSchemaRegistryClient fresh = new RestSchemaRegistryClient(registry.url());
        assertEquals(REQUESTED, fresh.schemaById(requestedId));
        assertEquals(STRING, fresh.schemaById(firstStringId));
    }

    @Test
    void shouldReturnTheExistingIdWithoutANewVersionWhenASchemaIsRegisteredAgain() throws Exception {
        final int id = new RestSchemaRegistryClient(registry.url()).register("again-value", REQUESTED);

        // Given the same schema again, from another client and pretty-printed differently
        final String reformatted = REQUESTED.toString(true);
        final Response again = http.post("/subjects/again-value/versions",
                JSON.createObjectNode().put("schema", reformatted).put("schemaType", "AVRO").toString());

        assertEquals(200, again.status());
        assertEquals(id, again.body().path("id").asInt());
        assertEquals("[1]", http.get("/subjects/again-value/versions").body().toString());
    }

    @Test
    void shouldRoundTripThroughTheConfluentSerde() throws Exception {
        final ErasureRequested request = ErasureRequested.newBuilder()
                .setRequestId("req-registry-1")
                .setSubject(new Identifier("user_id", "u-42"))
                .setJurisdiction("KR")
                .setReason("withdrawal")
                .setSource("registry-test")
                .setRequestedAt(Instant.parse("2025-03-01T09:30:15.123Z"))
                .build();
        final ConfluentAvroSerde<ErasureRequested> writer = new ConfluentAvroSerde<>(
                new RestSchemaRegistryClient(registry.url()), AvroCodec.specific(ErasureRequested.class), false);
        final ConfluentAvroSerde<ErasureRequested> reader = new ConfluentAvroSerde<>(
                new RestSchemaRegistryClient(registry.url()), AvroCodec.specific(ErasureRequested.class), false);

        final byte[] bytes = writer.serialize("serde-topic", request);

        assertEquals(request, reader.deserialize("serde-topic", bytes));
        final Response latest = http.get("/subjects/serde-topic-value/versions/latest");
        assertEquals(latest.body().path("id").asInt(), ByteBuffer.wrap(bytes, 1, 4).getInt());
        assertEquals(ConfluentAvroSerde.MAGIC_BYTE, bytes[0]);
    }

    @Test
    void shouldAcceptABackwardCompatibleChangeAndRefuseAnIncompatibleOne() throws Exception {
        final String subject = "compat-value";
        final RestSchemaRegistryClient client = new RestSchemaRegistryClient(registry.url());
        final int firstId = client.register(subject, REQUESTED);
        final Schema withDefault = withField(REQUESTED, "channel", true);
        final Schema withoutDefault = withField(REQUESTED, "channel", false);

        assertTrue(isCompatible(subject, "latest", withDefault));
        assertFalse(isCompatible(subject, "1", withoutDefault));

        final SchemaRegistryException refused = assertThrows(SchemaRegistryException.class,
                () -> client.register(subject, withoutDefault));
        assertEquals(409, refused.status());
        final Response conflict = http.postSchema("/subjects/" + subject + "/versions", withoutDefault);
        assertEquals(409, conflict.status());
        assertEquals(409, conflict.body().path("error_code").asInt());

        final int secondId = client.register(subject, withDefault);
        assertNotEquals(firstId, secondId);
        assertEquals("[1,2]", http.get("/subjects/" + subject + "/versions").body().toString());
    }

    @Test
    void shouldListSubjectsAndVersionsAndLookUpASchemaUnderASubject() throws Exception {
        final String subject = "listing-value";
        final RestSchemaRegistryClient client = new RestSchemaRegistryClient(registry.url());
        final int firstId = client.register(subject, REQUESTED);
        final Schema second = withField(REQUESTED, "note", true);
        final int secondId = client.register(subject, second);

        assertTrue(http.get("/subjects").body().toString().contains("\"" + subject + "\""));
        assertEquals("[1,2]", http.get("/subjects/" + subject + "/versions").body().toString());
        final Response first = http.get("/subjects/" + subject + "/versions/1");
        assertEquals(subject, first.body().path("subject").asText());
        assertEquals(1, first.body().path("version").asInt());
        assertEquals(firstId, first.body().path("id").asInt());
        assertEquals(REQUESTED, new Schema.Parser().parse(first.body().path("schema").asText()));
        final Response latest = http.get("/subjects/" + subject + "/versions/latest");
        assertEquals(2, latest.body().path("version").asInt());
        assertEquals(secondId, latest.body().path("id").asInt());
        assertEquals(RegistryRoutes.CONTENT_TYPE, latest.contentType());

        final Response found = http.postSchema("/subjects/" + subject, second);
        assertEquals(200, found.status());
        assertEquals(2, found.body().path("version").asInt());
        assertEquals(secondId, found.body().path("id").asInt());
        assertTrue(http.get("/schemas/ids/" + secondId + "/subjects").body().toString().contains(subject));
    }

    @Test
    void shouldAnswerWithConfluentErrorCodes() throws Exception {
        new RestSchemaRegistryClient(registry.url()).register("errors-value", STRING);

        assertError(http.get("/subjects/no-such-subject/versions"), 404, 40401);
        assertError(http.get("/subjects/errors-value/versions/7"), 404, 40402);
        assertError(http.get("/subjects/errors-value/versions/one"), 422, 42202);
        assertError(http.get("/schemas/ids/987654"), 404, 40403);
        assertError(http.postSchema("/subjects/errors-value", REQUESTED), 404, 40403);
        assertError(http.postSchema("/subjects/no-such-subject", STRING), 404, 40401);
        assertError(http.post("/subjects/errors-value/versions", "{\"schema\": \"{\\\"type\\\": \\\"nope\\\"}\"}"),
                422, 42201);
        assertError(http.post("/subjects/errors-value/versions", "{}"), 422, 42201);
        assertError(http.post("/subjects/errors-value/versions",
                "{\"schema\": \"\\\"string\\\"\", \"schemaType\": \"PROTOBUF\"}"), 422, 42201);
    }

    @Test
    void shouldServeTheRootAndTheGlobalConfigAndNothingElse() throws Exception {
        assertEquals("{}", http.get("/").body().toString());
        assertEquals("BACKWARD", http.get("/config").body().path("compatibilityLevel").asText());
        assertEquals(404, http.get("/no-such-path").status());
    }

    @Test
    void shouldKeepASubjectsOwnLevelAndAnswerConfluentsErrorsAboutLevels() throws Exception {
        final Response set = http.put("/config/levels-value", "{\"compatibility\": \"FULL_TRANSITIVE\"}");

        assertEquals(200, set.status(), set.body().toString());
        assertEquals("FULL_TRANSITIVE", set.body().path("compatibility").asText());
        assertEquals("FULL_TRANSITIVE", http.get("/config/levels-value").body().path("compatibilityLevel").asText());
        assertEquals(Optional.of(Compatibility.FULL_TRANSITIVE),
                new RestSchemaRegistryClient(registry.url()).compatibility("levels-value"));
        assertError(http.get("/config/no-level-value"), 404, 40408);
        assertEquals("BACKWARD", http.get("/config/no-level-value?defaultToGlobal=true").body()
                .path("compatibilityLevel").asText());
        assertError(http.put("/config/levels-value", "{\"compatibility\": \"SIDEWAYS\"}"), 422, 42203);
        assertEquals("FULL_TRANSITIVE", http.get("/config/levels-value").body().path("compatibilityLevel").asText());
    }

    @Test
    void shouldHonourTheSubjectsLevelWhenRegistering() throws Exception {
        final RestSchemaRegistryClient client = new RestSchemaRegistryClient(registry.url());
        final Schema withoutDefault = withField(REQUESTED, "channel", false);
        // a new field without a default: old readers can read it (FORWARD), new readers cannot read old data
        client.setCompatibility("forward-value", Compatibility.FORWARD);
        client.register("forward-value", REQUESTED);
        client.setCompatibility("none-value", Compatibility.NONE);
        client.register("none-value", REQUESTED);
        client.setCompatibility("full-value", Compatibility.FULL);
        client.register("full-value", REQUESTED);

        client.register("forward-value", withoutDefault);
        client.register("none-value", STRING);
        final SchemaRegistryException refused = assertThrows(SchemaRegistryException.class,
                () -> client.register("full-value", withoutDefault));

        assertEquals(409, refused.status());
        assertEquals("[1,2]", http.get("/subjects/forward-value/versions").body().toString());
        assertEquals("[1,2]", http.get("/subjects/none-value/versions").body().toString());
        assertFalse(isCompatible("full-value", "latest", withoutDefault));
        assertTrue(isCompatible("forward-value", "1", withoutDefault));
    }

    @Test
    void shouldCheckEveryVersionAtATransitiveLevelAndOnlyTheLatestOtherwise() throws Exception {
        final Schema first = record("{\"name\": \"a\", \"type\": \"string\"}, {\"name\": \"b\", \"type\": \"string\"}");
        final Schema second = record("{\"name\": \"a\", \"type\": \"string\"}");
        // reads the second (b from its default) but not the first (b is a string there)
        final Schema third = record("{\"name\": \"a\", \"type\": \"string\"},"
                + " {\"name\": \"b\", \"type\": \"int\", \"default\": 0}");
        final RestSchemaRegistryClient client = new RestSchemaRegistryClient(registry.url());
        client.setCompatibility("transitive-value", Compatibility.BACKWARD_TRANSITIVE);
        for (String subject : List.of("transitive-value", "latest-only-value")) {
            client.register(subject, first);
            client.register(subject, second);
        }

        final Response refused = http.postSchema("/subjects/transitive-value/versions", third);
        client.register("latest-only-value", third);

        assertError(refused, 409, 409);
        assertTrue(refused.body().path("message").asText().contains("version 1"), refused.body().toString());
        assertEquals("[1,2]", http.get("/subjects/transitive-value/versions").body().toString());
        assertEquals("[1,2,3]", http.get("/subjects/latest-only-value/versions").body().toString());
    }

    @Test
    void shouldTakeLethesContractTwiceWithoutNewVersionsAndRefuseAnIncompatibleChangeToIt() throws Exception {
        final RestSchemaRegistryClient client = new RestSchemaRegistryClient(registry.url());

        final List<String> subjects = TopicContracts.register(client);
        TopicContracts.register(new RestSchemaRegistryClient(registry.url()));

        assertEquals(2 * TopicContracts.ALL.size(), subjects.size());
        for (String subject : subjects) {
            assertEquals("[1]", http.get("/subjects/" + subject + "/versions").body().toString(), subject);
            assertEquals("BACKWARD_TRANSITIVE", http.get("/config/" + subject).body().path("compatibilityLevel")
                    .asText(), subject);
        }
        assertEquals(STRING, new Schema.Parser().parse(http.get("/subjects/erasure.requests-key/versions/latest")
                .body().path("schema").asText()));
        final Response refused = http.postSchema("/subjects/erasure.requests-value/versions",
                withField(REQUESTED, "channel", false));
        assertError(refused, 409, 409);
    }

    private static Schema record(String fields) {
        return new Schema.Parser().parse("{\"type\": \"record\", \"name\": \"Levels\", \"fields\": [" + fields + "]}");
    }

    private static boolean isCompatible(String subject, String version, Schema schema) throws Exception {
        final Response answer = http.postSchema("/compatibility/subjects/" + subject + "/versions/" + version, schema);
        assertEquals(200, answer.status(), answer.body().toString());
        return answer.body().path("is_compatible").asBoolean();
    }

    private static void assertError(Response response, int status, int errorCode) {
        assertEquals(status, response.status(), response.body().toString());
        assertEquals(errorCode, response.body().path("error_code").asInt(), response.body().toString());
        assertFalse(response.body().path("message").asText().isBlank());
    }

    /** {@code base} with one more string field, with or without a default. */
    static Schema withField(Schema base, String name, boolean withDefault) throws Exception {
        final ObjectNode json = (ObjectNode) JSON.readTree(base.toString());
        final ObjectNode field = json.withArray("fields").addObject().put("name", name).put("type", "string");
        if (withDefault) {
            field.put("default", "");
        }
        return new Schema.Parser().parse(json.toString());
    }
}
