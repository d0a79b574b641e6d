package dev.lethe.ledger.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.avro.CallbackOutcome;
import dev.lethe.avro.ErasureEvent;
import dev.lethe.avro.Identifier;
import dev.lethe.schemas.crypto.Aead;
import dev.lethe.schemas.crypto.Sealing;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OpeningEraserTest {

    private static final String ID = "7f6c3c1e-4b8e-4a57-9e51-0c7a6f1d2b9a";
    private final byte[] key = Aead.newKey();
    private final List<ErasureEvent> seen = new ArrayList<>();
    private final SystemEraser inner = (event, system, progress) -> {
        seen.add(event);
        return Answer.done(1, "erased");
    };

    private static ErasureEvent event() {
        return ErasureEvent.newBuilder().setEventId("e-1").setRequestId(ID).setSubjectKey("sk")
                .setSystems(List.of("media")).setSubject(new Identifier("user_id", "u-9"))
                .setObjects(List.of("s3://media/u-9/a.png")).setJurisdiction("GDPR")
                .setDeadline(Instant.EPOCH).setIssuedAt(Instant.EPOCH).build();
    }

    @Test
    void shouldHandTheEraserTheIdentifiersOpenedWithTheRequestsDataKey() {
        final Answer answer = new OpeningEraser(inner, (id, wait) -> Optional.of(key))
                .erase(Sealing.sealEvent(event(), key), null, Progress.NONE);

        assertEquals(CallbackOutcome.DONE, answer.outcome());
        assertEquals("u-9", seen.get(0).getSubject().getValue());
        assertEquals(List.of("s3://media/u-9/a.png"), seen.get(0).getObjects());
        assertNull(seen.get(0).getSealed());
    }

    @Test
    void shouldAnswerFailedWithoutErasingWhenTheDataKeyIsGoneOrWrong() {
        final ErasureEvent sealed = Sealing.sealEvent(event(), key);

        final Answer gone = new OpeningEraser(inner, (id, wait) -> Optional.empty()).erase(sealed, null,
                Progress.NONE);
        final Answer wrong = new OpeningEraser(inner, (id, wait) -> Optional.of(Aead.newKey())).erase(sealed, null,
                Progress.NONE);

        assertEquals(CallbackOutcome.FAILED, gone.outcome());
        assertTrue(gone.detail().contains("destroyed"), gone.detail());
        assertEquals(CallbackOutcome.FAILED, wrong.outcome());
        assertTrue(seen.isEmpty());
    }

    @Test
    void shouldAnswerFailedWithoutErasingForAReplayedEventThatNamesItsSubjectByTheSubjectKeyOnly() {
        // lethe replay / cover: the finished request no longer holds identifiers; a built-in executor
        // cannot find a subject's rows or objects by its HMAC, so "nothing found" would be a false answer
        final ErasureEvent replayed = ErasureEvent.newBuilder(event())
                .setSubject(new Identifier("subject_key", "sk")).setIdentifiers(List.of()).setObjects(List.of())
                .build();

        final Answer clear = new OpeningEraser(inner, (id, wait) -> Optional.empty()).erase(replayed, null,
                Progress.NONE);
        final Answer sealed = new OpeningEraser(inner, (id, wait) -> Optional.of(key))
                .erase(Sealing.sealEvent(replayed, key), null, Progress.NONE);

        assertEquals(CallbackOutcome.FAILED, clear.outcome());
        assertTrue(clear.detail().contains("subject key"), clear.detail());
        assertEquals(CallbackOutcome.FAILED, sealed.outcome());
        assertTrue(seen.isEmpty());
    }

    @Test
    void shouldPassAPlaintextEventAsItIs() {
        new OpeningEraser(inner, (id, wait) -> Optional.empty()).erase(event(), null, Progress.NONE);

        assertEquals(event(), seen.get(0));
    }
}
