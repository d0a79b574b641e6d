package dev.lethe.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.lethe.avro.RequestStatus;
import dev.lethe.avro.SubjectEntry;
import dev.lethe.ledger.archive.ArchiveView.Archived;
import dev.lethe.ledger.topology.IndexKeys;
import dev.lethe.schemas.LetheSerdes;
import dev.lethe.schemas.registry.InMemorySchemaRegistryClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class IndexPreloaderTest {

    private static final Instant BASE = Instant.parse("2026-11-20T00:00:00Z");
    private final LetheSerdes serdes = new LetheSerdes(new InMemorySchemaRegistryClient());

    @Test
    void shouldWriteTheThreeIndexEntriesOfTheArchivedRequestOnItsTasksPartitions() {
        final Archived archived = ArchivePreloader.archived(7, BASE);
        final String id = archived.state().requestId();
        final List<ProducerRecord<byte[], byte[]>> records = IndexPreloader.records(serdes, "app", 7, BASE);

        assertEquals(3, records.size());
        assertEquals("app-by-requested-changelog", records.get(0).topic());
        assertEquals(IndexKeys.newestFirst(archived.state().requestedAt(), id), text(records.get(0).key()));
        assertEquals("app-by-finished-changelog", records.get(1).topic());
        assertEquals(IndexKeys.newestFirst(archived.state().finishedAt(), id), text(records.get(1).key()));
        for (ProducerRecord<byte[], byte[]> list : records.subList(0, 2)) {
            assertEquals(id, text(list.value()));
            assertEquals(StorePreloader.partitionOf(id), list.partition());
        }
        final ProducerRecord<byte[], byte[]> subject = records.get(2);
        assertEquals("app-subjects-changelog", subject.topic());
        assertEquals(IndexKeys.subject(archived.state().subjectKey(), id), text(subject.key()));
        assertEquals(StorePreloader.partitionOf(archived.state().subjectKey()), subject.partition());
        final SubjectEntry entry = serdes.subjectEntry().deserialize(subject.topic(), subject.value());
        assertEquals(RequestStatus.COMPLETED, entry.getStatus());
        assertEquals(archived.state().finishedAt(), entry.getFinishedAt());
    }

    @Test
    void shouldGiveEachArchivedRequestItsOwnIdAndSubject() {
        assertEquals(ArchivePreloader.id(3), ArchivePreloader.archived(3, BASE).state().requestId());
        assertNotEquals(ArchivePreloader.id(3), ArchivePreloader.id(4));
        assertNotEquals(ArchivePreloader.subjectKey(3), ArchivePreloader.subjectKey(4));
        assertEquals(64, ArchivePreloader.subjectKey(3).length());
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
