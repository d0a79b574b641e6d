package dev.lethe.ledger.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.avro.CallbackOutcome;
import dev.lethe.avro.ErasureRequested;
import dev.lethe.avro.SystemCallback;
import dev.lethe.ledger.domain.LedgerEvent;
import dev.lethe.schemas.LetheSerdes;
import dev.lethe.schemas.SubjectKeys;
import dev.lethe.schemas.Topics;
import dev.lethe.schemas.registry.InMemorySchemaRegistryClient;
import dev.lethe.schemas.serde.AvroCodec;
import dev.lethe.schemas.serde.ConfluentAvroSerde;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The key of an input record is the request id, as UTF-8 text or as a Confluent-Avro string; nothing else. */
class InputDecoderTest {

    private static final String ID = "7f6c3c1e-4b8e-4a57-9e51-0c7a6f1d2b9a";

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final LetheSerdes serdes = new LetheSerdes(registry);
    private final ConfluentAvroSerde<String> avroKeys = new ConfluentAvroSerde<>(registry, AvroCodec.string(), true);
    private final InputDecoder decoder = new InputDecoder(serdes,
            SubjectKeys.ofSecret(LedgerDriver.SECRET.getBytes(StandardCharsets.UTF_8)), LedgerDriver.SEALING);

    @Test
    void shouldDecodeARequestKeyedByItsIdAsUtf8Text() {
        final byte[] key = new StringSerializer().serialize(Topics.REQUESTS, ID);

        final LedgerEvent event = decoder.decode(Topics.REQUESTS, key, request());

        assertEquals(ID, event.requestId());
        assertTrue(event instanceof LedgerEvent.Received);
    }

    @Test
    void shouldDecodeACallbackKeyedByItsIdAsAConfluentAvroString() {
        final byte[] key = avroKeys.serialize(Topics.CALLBACKS, ID);

        final LedgerEvent event = decoder.decode(Topics.CALLBACKS, key, callback());

        assertEquals(ID, event.requestId());
        assertTrue(event instanceof LedgerEvent.CalledBack);
    }

    @Test
    void shouldRefuseAKeyThatIsNeitherUtf8TextNorConfluentAvro() {
        final byte[] latin1 = "réq".getBytes(StandardCharsets.ISO_8859_1);

        final SerializationException e = assertThrows(SerializationException.class,
                () -> decoder.decode(Topics.REQUESTS, latin1, request()));

        assertTrue(e.getMessage().contains("neither UTF-8 text nor a Confluent-Avro string"), e.getMessage());
    }

    @Test
    void shouldRefuseANulPrefixedKeyThatIsNotAConfluentAvroString() {
        final byte[] nul = {0, 'x'};

        final SerializationException e = assertThrows(SerializationException.class,
                () -> decoder.decode(Topics.CALLBACKS, nul, callback()));

        assertTrue(e.getMessage().contains("not a Confluent-Avro string"), e.getMessage());
    }

    @Test
    void shouldRefuseATextKeyThatDisagreesWithTheRequestIdWithoutPrintingIt() {
        final byte[] key = "kim@example.com".getBytes(StandardCharsets.UTF_8);

        final InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> decoder.decode(Topics.REQUESTS, key, request()));

        assertTrue(e.getMessage().contains("the key (UTF-8 text) is not the record's request id " + ID), e.getMessage());
        assertFalse(e.getMessage().contains("kim@example.com"), e.getMessage());
    }

    @Test
    void shouldRefuseAnAvroKeyThatDisagreesWithTheRequestId() {
        final byte[] key = avroKeys.serialize(Topics.CALLBACKS, "another-request");

        final InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> decoder.decode(Topics.CALLBACKS, key, callback()));

        assertTrue(e.getMessage().contains("the key (a Confluent-Avro string) is not the record's request id " + ID),
                e.getMessage());
    }

    @Test
    void shouldRefuseARecordWithoutAKey() {
        final InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> decoder.decode(Topics.REQUESTS, null, request()));

        assertTrue(e.getMessage().contains("no key"), e.getMessage());
    }

    @ParameterizedTest(name = "requestedAt {0}")
    @ValueSource(strings = {"1969-12-31T23:59:59Z", "-200000-01-01T00:00:00Z", "+10000-01-01T00:00:00Z"})
    void shouldRefuseARequestedAtTheLedgerCannotIndexInsteadOfFailing(String at) {
        final ErasureRequested request = LedgerDriver.request(ID);
        request.setRequestedAt(Instant.parse(at));
        final byte[] value = serdes.request().serialize(Topics.REQUESTS, request);

        final InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> decoder.decode(Topics.REQUESTS, key(ID), value));

        assertTrue(e.getMessage().contains("requestedAt"), e.getMessage());
    }

    @Test
    void shouldRefuseAGracePeriodPastTenYears() {
        final ErasureRequested request = LedgerDriver.request(ID);
        request.setGraceDays(Integer.MAX_VALUE);
        final byte[] value = serdes.request().serialize(Topics.REQUESTS, request);

        final InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> decoder.decode(Topics.REQUESTS, key(ID), value));

        assertTrue(e.getMessage().contains("graceDays"), e.getMessage());
    }

    @ParameterizedTest(name = "request id {0}")
    @ValueSource(strings = {"a|b", "tab\tid", "x\u0000y"})
    void shouldRefuseARequestIdThatIsNotAnId(String id) {
        final ErasureRequested request = LedgerDriver.request(id);
        final byte[] value = serdes.request().serialize(Topics.REQUESTS, request);

        final InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> decoder.decode(Topics.REQUESTS, key(id), value));

        assertTrue(e.getMessage().contains("request id"), e.getMessage());
    }

    @Test
    void shouldRefuseARequestIdLongerThan200Characters() {
        final String id = "r".repeat(201);
        final byte[] value = serdes.request().serialize(Topics.REQUESTS, LedgerDriver.request(id));

        assertThrows(InvalidInputException.class, () -> decoder.decode(Topics.REQUESTS, key(id), value));
    }

    private static byte[] key(String id) {
        return new StringSerializer().serialize(Topics.REQUESTS, id);
    }

    private byte[] request() {
        return serdes.request().serialize(Topics.REQUESTS, LedgerDriver.request(ID));
    }

    private byte[] callback() {
        final SystemCallback callback = SystemCallback.newBuilder().setEventId("cb-1").setRequestId(ID)
                .setSystem("billing").setAt(LedgerDriver.START).setActor("partner:billing")
                .setOutcome(CallbackOutcome.DONE).setItemsErased(1L).setDetail("rows deleted").build();
        return serdes.callback().serialize(Topics.CALLBACKS, callback);
    }
}
