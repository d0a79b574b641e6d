package dev.lethe.ledger.topology;

import dev.lethe.avro.SubjectEntry;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Folds the ledger's status changes, re-keyed by subject key on {@code erasure.subject-index},
 * into the {@code subjects} store: one entry per (subject, request), so a subject's requests are
 * one contiguous range. It answers the re-ingestion guard and duplicate detection.
 */
final class SubjectsProcessor extends ContextualProcessor<String, SubjectEntry, Void, Void> {

    private KeyValueStore<String, SubjectEntry> subjects;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        super.init(context);
        subjects = context.getStateStore(LedgerNames.SUBJECTS_STORE);
    }

    @Override
    public void process(Record<String, SubjectEntry> record) {
        final SubjectEntry entry = record.value();
        if (entry == null) {
            return;
        }
        subjects.put(IndexKeys.subject(entry.getSubjectKey(), entry.getRequestId()), entry);
    }
}
