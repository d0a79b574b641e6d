package dev.lethe.ledger.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lethe.ledger.domain.RequestState;
import dev.lethe.ledger.domain.RequestStatus;
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

    @Test
    void shouldNotRememberAFinishedRequestsState() {
        final byte[] stored = serde.serializer().serialize("t", finished(StateSerdeTest.everyField()));

        serde.deserializer().deserialize("t", stored);
        serde.deserializer().deserialize("t", stored);

        assertEquals(2, decodes.get(), "a finished state is decoded every time");
    }

    @Test
    void shouldForgetARequestsOpenStatesWhenItIsStoredFinished() {
        final RequestState open = StateSerdeTest.everyField();
        final byte[] stored = serde.serializer().serialize("t", open);
        serde.deserializer().deserialize("t", stored);
        serde.deserializer().deserialize("t", serde.serializer().serialize("t", open.withAuditHead("next")));
        final byte[] other = serde.serializer().serialize("t", withId(open, "r-2"));
        serde.deserializer().deserialize("t", other);
        assertEquals(3, decodes.get());

        serde.serializer().serialize("t", finished(open));

        serde.deserializer().deserialize("t", stored);
        assertEquals(4, decodes.get(), "the open state with its identifiers is no longer remembered");
        serde.deserializer().deserialize("t", other);
        assertEquals(4, decodes.get(), "another request's state stays");
    }

    @Test
    void shouldNotRememberAStoredValueOver64Kb() {
        final AtomicInteger made = new AtomicInteger();
        final RememberedStates states = new RememberedStates(Serdes.serdeFrom(compact.serializer(), (topic, data) -> {
            made.incrementAndGet();
            return StateSerdeTest.everyField();
        }));
        final byte[] large = new byte[RememberedStates.MAX_BYTES + 1];
        final byte[] limit = new byte[RememberedStates.MAX_BYTES];

        states.deserializer().deserialize("t", large);
        states.deserializer().deserialize("t", large);
        states.deserializer().deserialize("t", limit);
        states.deserializer().deserialize("t", limit);

        assertEquals(3, made.get(), "over 64 KB decoded every time, 64 KB itself once");
    }

    private static RequestState finished(RequestState s) {
        return new RequestState(s.requestId(), RequestStatus.COMPLETED, s.subjectKey(), null, List.of(), List.of(),
                s.namespaces(), s.jurisdiction(), s.reason(), s.source(), s.scope(), s.graceDays(), s.requestedAt(),
                s.deadline(), s.updatedAt(), s.updatedAt(), s.systems(), s.earlyCallbacks(), s.auditSeq(),
                s.fingerprint(), s.auditHead(), s.baseDeadline(), s.extensions(), s.overdueAudited(), List.of(),
                s.duplicateOf(), s.dataKey());
    }

    private static RequestState withId(RequestState s, String id) {
        return new RequestState(id, s.status(), s.subjectKey(), s.subject(), s.identifiers(), s.objects(),
                s.namespaces(), s.jurisdiction(), s.reason(), s.source(), s.scope(), s.graceDays(), s.requestedAt(),
                s.deadline(), s.finishedAt(), s.updatedAt(), s.systems(), s.earlyCallbacks(), s.auditSeq(),
                s.fingerprint(), s.auditHead(), s.baseDeadline(), s.extensions(), s.overdueAudited(), s.attention(),
                s.duplicateOf(), s.dataKey());
    }
}
