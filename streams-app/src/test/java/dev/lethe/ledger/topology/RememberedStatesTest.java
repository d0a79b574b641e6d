package dev.lethe.ledger.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lethe.ledger.domain.RequestState;
import dev.lethe.schemas.LetheSerdes;
import dev.lethe.schemas.registry.InMemorySchemaRegistryClient;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

/** The ledger store's serde decodes a stored value once while it stays unchanged, and nothing else changes. */
class RememberedStatesTest {

    private final StateSerde compact = new StateSerde(new LetheSerdes(new InMemorySchemaRegistryClient()).state());
    private final AtomicInteger decodes = new AtomicInteger();
    private final RememberedStates serde = new RememberedStates(counting(compact));

    private Serde<RequestState> counting(Serde<RequestState> inner) {
        final Deserializer<RequestState> decode = inner.deserializer();
        final Serializer<RequestState> encode = inner.serializer();
        return Serdes.serdeFrom(encode, (topic, data) -> {
            decodes.incrementAndGet();
            return decode.deserialize(topic, data);
        });
    }

    @Test
    void shouldDecodeAStoredValueReadAgainUnchangedOnlyOnce() {
        final RequestState state = StateSerdeTest.everyField();
        final byte[] stored = serde.serializer().serialize("t", state);

        final RequestState first = serde.deserializer().deserialize("t", stored);
        final RequestState again = serde.deserializer().deserialize("t", stored.clone());

        assertEquals(state, first);
        assertSame(first, again, "the same bytes give the state decoded before");
        assertEquals(1, decodes.get());
    }

    @Test
    void shouldDecodeAChangedValueAgain() {
        final RequestState state = StateSerdeTest.everyField();
        final byte[] before = serde.serializer().serialize("t", state);
        serde.deserializer().deserialize("t", before);
        final RequestState changed = state.withAuditHead("another head");

        final RequestState read = serde.deserializer().deserialize("t", serde.serializer().serialize("t", changed));

        assertEquals("another head", read.auditHead());
        assertEquals(2, decodes.get());
    }

    @Test
    void shouldNotBeChangedByTheCallerChangingTheBytesItWasGiven() {
        final byte[] stored = serde.serializer().serialize("t", StateSerdeTest.everyField());
        final byte[] reused = stored.clone();
        serde.deserializer().deserialize("t", reused);
        Arrays.fill(reused, (byte) 0);

        serde.deserializer().deserialize("t", stored);

        assertEquals(1, decodes.get(), "the bytes it remembers are its own copy");
    }

    @Test
    void shouldStillRefuseAValueThatDoesNotDecodeAndPassNullThrough() {
        assertThrows(SerializationException.class, () -> serde.deserializer().deserialize("t", new byte[] {'X', 1}));
        assertThrows(SerializationException.class, () -> serde.deserializer().deserialize("t", new byte[] {'X', 1}));
        assertNull(serde.deserializer().deserialize("t", null));
    }

    @Test
    void shouldKeepTwoValuesWhoseHashesMeetAndPushOutTheOldestForAThird() {
        final List<byte[]> meeting = meeting(3);
        final AtomicInteger made = new AtomicInteger();
        final RememberedStates states = new RememberedStates(Serdes.serdeFrom(compact.serializer(), (topic, data) -> {
            made.incrementAndGet();
            return StateSerdeTest.everyField();
        }));

        final RequestState first = states.deserializer().deserialize("t", meeting.get(0));
        final RequestState second = states.deserializer().deserialize("t", meeting.get(1));
        assertSame(first, states.deserializer().deserialize("t", meeting.get(0)));
        assertSame(second, states.deserializer().deserialize("t", meeting.get(1)));
        assertEquals(2, made.get());

        states.deserializer().deserialize("t", meeting.get(2));
        assertSame(second, states.deserializer().deserialize("t", meeting.get(1)), "the newer of the two stays");
        assertEquals(3, made.get());
        states.deserializer().deserialize("t", meeting.get(0));
        assertEquals(4, made.get(), "the oldest was pushed out");
    }

    /** {@code n} different values that fall on the same pair of slots. */
    private static List<byte[]> meeting(int n) {
        final Map<Integer, List<byte[]>> byPair = new HashMap<>();
        for (int i = 0; ; i++) {
            final byte[] value = ByteBuffer.allocate(4).putInt(i).array();
            final int hash = Arrays.hashCode(value);
            final List<byte[]> pair = byPair.computeIfAbsent((hash ^ (hash >>> 16)) & (RememberedStates.SLOTS / 2 - 1),
                    k -> new ArrayList<>());
            pair.add(value);
            if (pair.size() == n) {
                return pair;
            }
        }
    }
}
