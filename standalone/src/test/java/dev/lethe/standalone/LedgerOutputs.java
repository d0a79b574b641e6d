package dev.lethe.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lethe.avro.AuditFact;
import dev.lethe.avro.ErasureEvent;
import dev.lethe.avro.ErasureRecord;
import dev.lethe.schemas.LetheSerdes;
import dev.lethe.schemas.Topics;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What the ledger wrote about one request on its three output topics, read committed, with the
 * checks every integration test makes on them.
 *
 * @param events  the request's records on {@code erasure.events}
 * @param audit   the request's records on {@code erasure.audit}, in log order
 * @param dataset the request's records on {@code erasure.dataset}
 */
record LedgerOutputs(List<ConsumerRecord<String, ErasureEvent>> events,
                     List<ConsumerRecord<String, AuditFact>> audit,
                     List<ConsumerRecord<String, ErasureRecord>> dataset) {

    /** Reads the three output topics now and keeps what concerns {@code requestId}. */
    static LedgerOutputs of(ItCluster cluster, String requestId) {
        final LetheSerdes serdes = cluster.serdes();
        final String bootstrap = cluster.bootstrapServers();
        return new LedgerOutputs(
                TopicReader.readAll(bootstrap, Topics.EVENTS, serdes.key().deserializer(),
                                serdes.event().deserializer())
                        .stream().filter(r -> r.value().getRequestId().equals(requestId)).toList(),
                TopicReader.readAll(bootstrap, Topics.AUDIT, serdes.key().deserializer(), serdes.audit().deserializer())
                        .stream().filter(r -> r.value().getRequestId().equals(requestId)).toList(),
                TopicReader.readAll(bootstrap, Topics.DATASET, serdes.key().deserializer(),
                                serdes.record().deserializer())
                        .stream().filter(r -> r.value().getRequestId().equals(requestId)).toList());
    }

    /** The audit facts' values, in log order. */
    List<AuditFact> facts() {
        return audit.stream().map(ConsumerRecord::value).toList();
    }

    /** The audit facts' types, in log order. */
    List<String> auditTypes() {
        return facts().stream().map(AuditFact::getType).toList();
    }

    /** Asserts that the audit trail is numbered 1, 2, ... n in log order: no gap, no repeat, no reordering. */
    void assertAuditSeqsGapless() {
        final List<Integer> seqs = facts().stream().map(AuditFact::getSeq).toList();
        assertEquals(IntStream.rangeClosed(1, seqs.size()).boxed().toList(), seqs,
                "audit seqs of the request, in log order; types " + auditTypes());
    }

    /**
     * Fails when any field of {@code record} shows one of the {@code raw} values (case-insensitive),
     * whatever its type or nesting: {@code toString} of every field is searched.
     */
    static void assertNoRawIdentifier(SpecificRecordBase record, String... raw) {
        for (Schema.Field field : record.getSchema().getFields()) {
            final Object value = record.get(field.pos());
            final String text = String.valueOf(value).toLowerCase(Locale.ROOT);
            for (String identifier : raw) {
                if (text.contains(identifier.toLowerCase(Locale.ROOT))) {
                    fail(record.getSchema().getName() + "." + field.name() + " carries a raw identifier: " + value);
                }
            }
        }
    }
}
