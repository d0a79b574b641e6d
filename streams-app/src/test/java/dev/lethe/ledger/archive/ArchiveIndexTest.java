package dev.lethe.ledger.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.ledger.archive.ArchiveIndex.Entry;
import dev.lethe.ledger.archive.ArchiveIndex.Kind;
import dev.lethe.ledger.domain.RequestState;
import dev.lethe.ledger.domain.RequestStatus;
import dev.lethe.ledger.domain.Scope;
import dev.lethe.ledger.topology.IndexKeys;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The archive copy's index entries: the task stores' keys, under a prefix of their own, in the same order. */
class ArchiveIndexTest {

    private static final Instant T = Instant.parse("2026-03-01T09:00:00.123Z");

    @Test
    void shouldIndexARequestUnderTheTaskStoresKeys() {
        assertEquals(Set.of(new Entry(Kind.REQUESTED, IndexKeys.newestFirst(T, "r-1")),
                        new Entry(Kind.FINISHED, IndexKeys.newestFirst(T.plusSeconds(60), "r-1")),
                        new Entry(Kind.SUBJECT, IndexKeys.subject("sk-1", "r-1"))),
                ArchiveIndex.entries(state("r-1", "sk-1", T.plusSeconds(60))));
    }

    @Test
    void shouldGiveNoFinishedEntryWithoutFinishedAtAndNoSubjectEntryWithoutSubjectKey() {
        assertEquals(Set.of(new Entry(Kind.REQUESTED, IndexKeys.newestFirst(T, "r-1"))),
                ArchiveIndex.entries(state("r-1", null, null)));
    }

    @Test
    void shouldKeepTheKeysOrderAndEachIndexWithinItsBounds() {
        final byte[] newer = ArchiveIndex.key(Kind.FINISHED, IndexKeys.newestFirst(T.plusSeconds(1), "r-2"));
        final byte[] older = ArchiveIndex.key(Kind.FINISHED, IndexKeys.newestFirst(T, "r-1"));

        assertTrue(Arrays.compareUnsigned(newer, older) < 0, "newest first");
        assertTrue(Arrays.compareUnsigned(ArchiveIndex.start(Kind.FINISHED, null), newer) <= 0);
        assertTrue(Arrays.compareUnsigned(older, ArchiveIndex.end(Kind.FINISHED, null)) < 0);
        assertTrue(Arrays.compareUnsigned(ArchiveIndex.end(Kind.FINISHED, null),
                ArchiveIndex.start(Kind.REQUESTED, null)) <= 0, "the next index starts after this one's end");
        assertTrue(Arrays.compareUnsigned(older, ArchiveIndex.end(Kind.FINISHED, ArchiveIndex.indexKey(older))) < 0,
                "an end is inclusive");
        assertEquals(IndexKeys.newestFirst(T, "r-1"), ArchiveIndex.indexKey(older));
    }

    private static RequestState state(String id, String subjectKey, Instant finishedAt) {
        return new RequestState(id, RequestStatus.COMPLETED, subjectKey, null, List.of(), List.of(),
                List.of("user_id"), "GDPR", "account_deleted", "accounts-service", Scope.ALL, 0, T,
                T.plusSeconds(30 * 86_400L), finishedAt, T.plusSeconds(60), List.of(), List.of(), 2,
                null, "head", T.plusSeconds(30 * 86_400L), 0, false, List.of(), null);
    }
}
