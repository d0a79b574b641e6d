package dev.lethe.ledger.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lethe.ledger.domain.Attention;
import dev.lethe.ledger.domain.Callback;
import dev.lethe.ledger.domain.Identifier;
import dev.lethe.ledger.domain.Outcome;
import dev.lethe.ledger.domain.RequestState;
import dev.lethe.ledger.domain.RequestStatus;
import dev.lethe.ledger.domain.Scope;
import dev.lethe.ledger.domain.SystemStatus;
import dev.lethe.ledger.domain.SystemTarget;
import dev.lethe.schemas.LetheSerdes;
import dev.lethe.schemas.registry.InMemorySchemaRegistryClient;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class StateSerdeTest {

    private static final Instant T = Instant.parse("2026-03-01T09:00:00.123Z");
    private final LetheSerdes serdes = new LetheSerdes(new InMemorySchemaRegistryClient());
    private final StateSerde serde = new StateSerde(serdes.state());

    /** A state with every field set (and some of the optional ones of its systems left out). */
    static RequestState everyField() {
        final SystemTarget done = new SystemTarget("billing", SystemStatus.DONE, 2, T, 42L, "rows deleted",
                null, T.plusSeconds(86_400), null, 1, 24, 5, false, false, List.of(Outcome.NOT_FOUND));
        final SystemTarget kept = new SystemTarget("crm", SystemStatus.RETAINED, 1, T.plusSeconds(5), null,
                "kept invoices — näive ☃", "tax law, 10 years", null, T.plusSeconds(3_600), 3, 0, 0, true, true,
                List.of());
        final Callback early = new Callback("cb-1", "r-1", "analytics", T, "partner:analytics", Outcome.PROGRESS,
                null, "half way", null);
        return new RequestState("r-1", RequestStatus.IN_PROGRESS, "sk-1", new Identifier("user_id", "u-1842"),
                List.of(new Identifier("email", "kim@example.com")), List.of("s3://media/u-1842/a.png"),
                List.of("user_id", "email"), "GDPR", "account_deleted", "accounts-service",
                new Scope(List.of("billing", "crm"), List.of("legacy")), 3, T, T.plusSeconds(30 * 86_400L), null,
                T.plusSeconds(9), List.of(done, kept), List.of(early), 17, "fp-abc", "0a1b2c",
                T.plusSeconds(20 * 86_400L), 2, true, List.of(Attention.values()), "r-0");
    }

    @Test
    void shouldReadBackEveryFieldOfAStateItWrote() {
        final RequestState state = everyField();

        assertEquals(state, serde.deserializer().deserialize("t", serde.serializer().serialize("t", state)));
    }

    @Test
    void shouldReadBackAStateHoldingOnlyEarlyCallbacks() {
        final RequestState waiting = RequestState.awaiting("r-2");

        assertEquals(waiting, serde.deserializer().deserialize("t", serde.serializer().serialize("t", waiting)));
    }

    @Test
    void shouldReadAStateStoredInTheOldAvroFormat() {
        final RequestState state = everyField();
        final byte[] old = serdes.state().serialize("lethe-ledger-ledger-changelog", AvroMapping.state(state));

        assertEquals(state, serde.deserializer().deserialize("lethe-ledger-ledger-changelog", old));
    }

    @Test
    void shouldWriteOnlyTheCompactFormat() {
        final byte[] compact = serde.serializer().serialize("t", everyField());

        assertEquals(StateSerde.TAG, compact[0]);
        assertEquals(StateSerde.PLAIN_V1, compact[1]);
        assertEquals(StateSerde.VERSION, serde.serializer().serialize("t", withPortal(everyField()))[1]);
    }

    @Test
    void refusesAValueOfAnUnknownFormatOrAFutureVersion() {
        assertThrows(SerializationException.class, () -> serde.deserializer().deserialize("t", new byte[] {'X', 1}));
        assertThrows(SerializationException.class,
                () -> serde.deserializer().deserialize("t", new byte[] {StateSerde.TAG, 9}));
        final byte[] cut = serde.serializer().serialize("t", everyField());
        assertThrows(SerializationException.class, () -> serde.deserializer().deserialize("t",
                java.util.Arrays.copyOf(cut, cut.length - 3)));
        assertNull(serde.deserializer().deserialize("t", null));
    }

    private static RequestState keyed(RequestState state) {
        final var key = LedgerDriver.SEALING.newDataKey().wrapped();
        return state.withDataKey(new dev.lethe.ledger.domain.WrappedKey(key.kekId(), key.bytes()));
    }

    @Test
    void shouldSealTheValuesOfAStateWithADataKeyAndReadThemBackWhole() {
        final StateSerde sealing = new StateSerde(serdes.state(), LedgerDriver.SEALING);
        final RequestState state = keyed(everyField());

        final byte[] stored = sealing.serializer().serialize("t", state);

        assertEquals(StateSerde.TAG, stored[0]);
        assertEquals(StateSerde.SEALED_V2, stored[1]);
        final String text = new String(stored, java.nio.charset.StandardCharsets.UTF_8);
        for (String raw : List.of("u-1842", "kim@example.com", "media/u-1842")) {
            org.junit.jupiter.api.Assertions.assertFalse(text.contains(raw), raw);
        }
        assertEquals(state, sealing.deserializer().deserialize("t", stored));
    }

    @Test
    void shouldReadBothVersionsAndAFinishedStateWithAKeyButNoValues() {
        final StateSerde sealing = new StateSerde(serdes.state(), LedgerDriver.SEALING);
        final RequestState open = everyField();
        final RequestState finished = keyed(RequestState.awaiting("r-3"));

        assertEquals(open, sealing.deserializer().deserialize("t", serde.serializer().serialize("t", open)));
        assertEquals(finished, sealing.deserializer().deserialize("t", sealing.serializer().serialize("t", finished)));
    }

    @Test
    void refusesToReadOrWriteASealedStateWithoutTheKeyEncryptionKey() {
        final StateSerde sealing = new StateSerde(serdes.state(), LedgerDriver.SEALING);
        final byte[] stored = sealing.serializer().serialize("t", keyed(everyField()));
        final StateSerde stranger = new StateSerde(serdes.state(), new dev.lethe.schemas.crypto.Sealing(
                dev.lethe.schemas.crypto.LocalKeyWrapper.of("another-kek-of-at-least-thirty-two-bytes"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))));

        assertThrows(SerializationException.class, () -> stranger.deserializer().deserialize("t", stored));
        assertThrows(SerializationException.class, () -> serde.deserializer().deserialize("t", stored));
        assertThrows(SerializationException.class, () -> serde.serializer().serialize("t", keyed(everyField())));
    }

    private static RequestState withPortal(RequestState state) {
        return new RequestState(state.requestId(), state.status(), state.subjectKey(), state.subject(),
                state.identifiers(), state.objects(), state.namespaces(), state.jurisdiction(), state.reason(),
                state.source(), state.scope(), state.graceDays(), state.requestedAt(), state.deadline(),
                state.finishedAt(), state.updatedAt(), state.systems(), state.earlyCallbacks(), state.auditSeq(),
                state.fingerprint(), state.auditHead(), state.baseDeadline(), state.extensions(),
                state.overdueAudited(), state.attention(), state.duplicateOf(), state.dataKey(),
                new dev.lethe.ledger.domain.Portal("a7551968-d5d6-44b2-9831-815ac9017798", "submitter", "2026-03-31T09:00:00.123Z",
                        List.of("https://portal.example/opendsr/callbacks", "http://127.0.0.1:9/cb")));
    }

    @Test
    void shouldKeepThePortalOfARequestFiledInOpenDsrFormInBothVersions() {
        final StateSerde sealing = new StateSerde(serdes.state(), LedgerDriver.SEALING);
        final RequestState plain = withPortal(everyField());
        final RequestState sealed = keyed(plain);

        final byte[] stored = sealing.serializer().serialize("t", sealed);

        assertEquals(plain, serde.deserializer().deserialize("t", serde.serializer().serialize("t", plain)));
        assertEquals(sealed, sealing.deserializer().deserialize("t", stored));
        assertEquals(StateSerde.SEALED_VERSION, stored[1]);
    }

    /** Hex fixtures written by the ledger before issue 16 (formats 1 and 2) of {@link #everyField()}. */
    private static byte[] fixture(String name) throws java.io.IOException {
        try (var in = StateSerdeTest.class.getResourceAsStream("/state-formats/" + name)) {
            return java.util.HexFormat.of().parseHex(new String(in.readAllBytes(),
                    java.nio.charset.StandardCharsets.US_ASCII).strip());
        }
    }

    @Test
    void shouldReadStatesStoredInTheVersionsBeforeThePortalAsStatesWithoutOne() throws Exception {
        final StateSerde sealing = new StateSerde(serdes.state(), LedgerDriver.SEALING);
        final byte[] v1 = fixture("v1.hex");
        final byte[] v2 = fixture("v2.hex");

        assertEquals(StateSerde.PLAIN_V1, v1[1]);
        assertEquals(StateSerde.SEALED_V2, v2[1]);
        assertEquals(everyField(), sealing.deserializer().deserialize("t", v1));
        final RequestState read = sealing.deserializer().deserialize("t", v2);
        assertNull(read.portal());
        assertEquals(everyField(), read.withDataKey(null));
        // and stored again in the same version (it has no portal), the same state
        final byte[] again = sealing.serializer().serialize("t", read);
        assertEquals(StateSerde.SEALED_V2, again[1]);
        assertEquals(read, sealing.deserializer().deserialize("t", again));
    }

    @Test
    void shouldWriteAStateWithoutAPortalByteForByteInTheFormatOfEarlierLedgers() throws Exception {
        final StateSerde sealing = new StateSerde(serdes.state(), LedgerDriver.SEALING);
        final byte[] v2 = fixture("v2.hex");

        final byte[] plain = serde.serializer().serialize("t", everyField());
        final RequestState keyed = keyed(everyField());
        final byte[] sealed = sealing.serializer().serialize("t", keyed);

        assertEquals(java.util.HexFormat.of().formatHex(fixture("v1.hex")), java.util.HexFormat.of().formatHex(plain));
        // the sealed values and the wrapped key are random: the version and the length are those of v2
        assertEquals(StateSerde.SEALED_V2, sealed[1]);
        assertEquals(v2.length, sealed.length);
        assertEquals(keyed, sealing.deserializer().deserialize("t", sealed));
    }
}
