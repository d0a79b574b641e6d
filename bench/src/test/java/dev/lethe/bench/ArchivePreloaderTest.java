package dev.lethe.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.ledger.archive.ArchiveView.Archived;
import dev.lethe.ledger.domain.RequestStatus;
import dev.lethe.ledger.topology.ArchiveSerde;
import dev.lethe.ledger.topology.AuditChain;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ArchivePreloaderTest {

    private static final Instant BASE = Instant.parse("2026-11-20T00:00:00Z");

    @Test
    void shouldWriteAFinishedForgottenRequestWithAWholeTrail() {
        final Archived archived = ArchivePreloader.archived(7, BASE);

        assertEquals(RequestStatus.COMPLETED, archived.state().status());
        assertTrue(ArchiveSerde.archivable(archived.state()));
        assertNull(AuditChain.verify(archived.trail()));
        assertEquals(archived.trail().get(archived.trail().size() - 1).getHash(), archived.state().auditHead());
        assertEquals(ArchivePreloader.subjectKey(7), archived.state().subjectKey());
    }

    @Test
    void shouldGiveEachArchivedRequestItsOwnIdAndSubject() {
        assertEquals(ArchivePreloader.id(3), ArchivePreloader.archived(3, BASE).state().requestId());
        assertNotEquals(ArchivePreloader.id(3), ArchivePreloader.id(4));
        assertNotEquals(ArchivePreloader.subjectKey(3), ArchivePreloader.subjectKey(4));
        assertEquals(64, ArchivePreloader.subjectKey(3).length());
    }
}
