package dev.lethe.schemas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lethe.avro.Approved;
import dev.lethe.avro.Cancelled;
import dev.lethe.avro.Decision;
import dev.lethe.avro.ErasureEvent;
import dev.lethe.avro.Rejected;
import dev.lethe.avro.RequestState;
import dev.lethe.avro.RetryRequested;
import dev.lethe.schemas.registry.RecordingSchemaRegistryClient;
import dev.lethe.schemas.serde.ConfluentAvroSerde;
import dev.lethe.schemas.serde.KeySerde;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every serde in {@link LetheSerdes} reads back exactly what it wrote. */
class LetheSerdesTest {

    private final RecordingSchemaRegistryClient registry = new RecordingSchemaRegistryClient(1);
    private final LetheSerdes serdes = new LetheSerdes(registry);

    static Stream<Arguments> everyValueType() {
        return Stream.of(
                case_(Topics.REQUESTS, LetheSerdes::request, Samples.request()),
                case_(Topics.DECISIONS, LetheSerdes::decision, Samples.decision()),
                case_(Topics.CALLBACKS, LetheSerdes::callback, Samples.callback()),
                case_(Topics.SYSTEMS, LetheSerdes::system, Samples.system()),
                case_(Topics.EVENTS, LetheSerdes::event, Samples.event()),
                case_(Topics.AUDIT, LetheSerdes::audit, Samples.audit()),
                case_(Topics.DATASET, LetheSerdes::record, Samples.record()),
                case_("lethe-ledger-changelog", LetheSerdes::state, Samples.state()),
                case_(Topics.DLQ, LetheSerdes::deadLetter, Samples.deadLetter()));
    }

    private static <T> Arguments case_(String topic, Function<LetheSerdes, ConfluentAvroSerde<T>> serde, T sample) {
        return Arguments.of(sample.getClass().getSimpleName(), topic, serde, sample);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyValueType")
    <T> void shouldRoundTripEveryValueType(String type, String topic,
                                           Function<LetheSerdes, ConfluentAvroSerde<T>> select, T sample) {
        final ConfluentAvroSerde<T> serde = select.apply(serdes);

        final T read = serde.deserializer().deserialize(topic, serde.serializer().serialize(topic, sample));

        assertEquals(sample, read);
        assertEquals(List.of(topic + "-value"), registry.subjects());
    }

    @ParameterizedTest
    @ValueSource(strings = {"req-0001", "9f3a", "photos", "요청-1", ""})
    void shouldRoundTripKeysAsUtf8Text(String key) {
        final KeySerde serde = serdes.key();

        final byte[] written = serde.serialize(Topics.REQUESTS, key);

        assertArrayEquals(key.getBytes(StandardCharsets.UTF_8), written);
        assertEquals(key, serde.deserialize(Topics.REQUESTS, written));
        assertEquals(List.of(), registry.subjects());
    }

    @ParameterizedTest
    @ValueSource(strings = {"req-0001", "요청-1"})
    void shouldKeepStoreKeysAvroStrings(String key) {
        final ConfluentAvroSerde<String> serde = serdes.storeKey();

        assertEquals(key, serde.deserialize("lethe-ledger-changelog", serde.serialize("lethe-ledger-changelog", key)));
        assertEquals(List.of("lethe-ledger-changelog-key"), registry.subjects());
    }

    @Test
    void shouldRoundTripEveryDecisionAction() {
        for (Object action : List.of(new Approved(null), new Approved("ok"), new Rejected("not verified"),
                new Cancelled("duplicate"), new RetryRequested("photos"))) {
            final Decision decision = Decision.newBuilder(Samples.decision()).setAction(action).build();

            final Decision read = serdes.decision().deserialize(Topics.DECISIONS,
                    serdes.decision().serialize(Topics.DECISIONS, decision));

            assertEquals(decision, read);
        }
    }

    @Test
    void shouldKeepTimestampsToTheMillisecond() {
        final Instant precise = Instant.parse("2025-12-31T23:59:59.999Z");
        final ErasureEvent event = ErasureEvent.newBuilder(Samples.event()).setDeadline(precise).build();

        final ErasureEvent read = serdes.event().deserialize(Topics.EVENTS,
                serdes.event().serialize(Topics.EVENTS, event));

        assertEquals(precise, read.getDeadline());
        assertEquals(Samples.LATER, read.getIssuedAt());
    }

    @Test
    void shouldTruncateSubMillisecondTimestamps() {
        final Instant withNanos = Instant.parse("2025-03-01T09:30:15.123456789Z");
        final ErasureEvent event = ErasureEvent.newBuilder(Samples.event()).setIssuedAt(withNanos).build();

        final ErasureEvent read = serdes.event().deserialize(Topics.EVENTS,
                serdes.event().serialize(Topics.EVENTS, event));

        assertEquals(withNanos.truncatedTo(ChronoUnit.MILLIS), read.getIssuedAt());
    }

    @Test
    void shouldKeepTimestampsBeforeTheEpoch() {
        final Instant before = Instant.parse("1969-07-20T20:17:40.001Z");
        final ErasureEvent event = ErasureEvent.newBuilder(Samples.event()).setIssuedAt(before).build();

        assertEquals(before, serdes.event().deserialize(Topics.EVENTS,
                serdes.event().serialize(Topics.EVENTS, event)).getIssuedAt());
    }

    @Test
    void shouldRoundTripStateWithOnlyEarlyCallbacks() {
        // a callback can arrive before its request: the state then has no status, subject or deadline
        final RequestState early = RequestState.newBuilder()
                .setRequestId(Samples.REQUEST_ID)
                .setEarlyCallbacks(List.of(Samples.callback()))
                .build();

        final RequestState read = serdes.state().deserialize("lethe-ledger-changelog",
                serdes.state().serialize("lethe-ledger-changelog", early));

        assertEquals(early, read);
        assertNull(read.getStatus());
        assertEquals(List.of(), read.getSystems());
    }

    @Test
    void shouldTreatSystemTombstoneAsNull() {
        assertNull(serdes.system().serialize(Topics.SYSTEMS, null));
        assertNull(serdes.system().deserialize(Topics.SYSTEMS, null));
    }

    @Test
    void shouldGiveEveryValueTypeItsOwnSchema() {
        final long distinct = Stream.of(serdes.request(), serdes.decision(), serdes.callback(), serdes.system(),
                        serdes.event(), serdes.audit(), serdes.record(), serdes.state(), serdes.deadLetter())
                .map(s -> s.schema().getFullName()).distinct().count();

        assertEquals(9, distinct);
        assertNotEquals(serdes.key().schema(), serdes.request().schema());
    }
}
