package dev.lethe.ledger.topology;

import static dev.lethe.avro.CallbackOutcome.DONE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.avro.DeadLetter;
import dev.lethe.avro.RequestStatus;
import dev.lethe.ledger.domain.LedgerPolicy;
import dev.lethe.schemas.Topics;
import dev.lethe.schemas.serde.CanonicalPartition;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * Input keyed by the request id in either encoding reaches the request's state; every output key
 * is the id as UTF-8 text; a record off its canonical partition is re-routed, not applied.
 */
class LedgerKeysTopologyTest {

    private static final String ID = "7f6c3c1e-4b8e-4a57-9e51-0c7a6f1d2b9a";
    private static final int PARTITIONS = 4;

    @Test
    void shouldCompleteATextKeyedRequestWithAnAvroKeyedCallback() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            ledger.register("billing", "user_id");

            // Given a request keyed by its id as plain text (StringSerializer, kafkajs, librdkafka)
            ledger.textKeyedRequests.pipeInput(ID, LedgerDriver.request(ID));
            assertEquals(RequestStatus.IN_PROGRESS, ledger.state(ID).getStatus());

            // When its callback arrives keyed by a Confluent-Avro string
            ledger.avroKeyedCallbacks.pipeInput(ID, ledger.callback(ID, "billing", DONE, 3L));

            // Then both are applied to the one request, which completes
            assertEquals(RequestStatus.COMPLETED, ledger.state(ID).getStatus());
            assertEquals(1, ledger.dataset.readValuesToList().size());
            assertTrue(ledger.dlq.isEmpty());
        }
    }

    @Test
    void shouldWriteEveryOutputKeyAsUtf8Text() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            final TestOutputTopic<byte[], byte[]> events = raw(ledger, Topics.EVENTS);
            final TestOutputTopic<byte[], byte[]> audit = raw(ledger, Topics.AUDIT);
            final TestOutputTopic<byte[], byte[]> dataset = raw(ledger, Topics.DATASET);
            final TestOutputTopic<byte[], byte[]> notifications = raw(ledger, Topics.NOTIFICATIONS);
            ledger.register("billing", "user_id");

            ledger.avroKeyedRequests.pipeInput(ID, LedgerDriver.request(ID));
            ledger.avroKeyedCallbacks.pipeInput(ID, ledger.callback(ID, "billing", DONE, 3L));

            final byte[] id = ID.getBytes(StandardCharsets.UTF_8);
            final byte[] subjectKey = ledger.subjectKey().getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(subjectKey, events.readRecord().key());
            assertArrayEquals(subjectKey, dataset.readRecord().key());
            final List<TestRecord<byte[], byte[]>> facts = audit.readRecordsToList();
            assertTrue(facts.size() > 2, "audit facts " + facts.size());
            facts.forEach(fact -> assertArrayEquals(id, fact.key()));
            notifications.readRecordsToList().forEach(note -> assertArrayEquals(id, note.key()));
        }
    }

    @Test
    void shouldApplyARecordOnItsCanonicalPartitionWhateverItsKeyEncoding() {
        final String here = idOnPartition(0);
        try (LedgerDriver ledger = new LedgerDriver(LedgerPolicy.defaults(), new AppliedOffsets(), PARTITIONS)) {
            ledger.register("billing", "user_id");

            ledger.textKeyedRequests.pipeInput(here, LedgerDriver.request(here));
            ledger.avroKeyedCallbacks.pipeInput(here, ledger.callback(here, "billing", DONE, 3L));

            assertEquals(RequestStatus.COMPLETED, ledger.state(here).getStatus());
            assertTrue(ledger.dlq.isEmpty());
        }
    }

    @Test
    void shouldRerouteARecordOffItsCanonicalPartitionAndApplyNothingWhereItLanded() {
        final String elsewhere = idOffPartition(0);
        final AppliedOffsets applied = new AppliedOffsets();
        try (LedgerDriver ledger = new LedgerDriver(LedgerPolicy.defaults(), applied, PARTITIONS)) {
            final TestOutputTopic<byte[], byte[]> requests = raw(ledger, Topics.REQUESTS);
            ledger.register("billing", "user_id");
            final byte[] value = ledger.serdes.request().serialize(Topics.REQUESTS, LedgerDriver.request(elsewhere));

            // When a request keyed by a Confluent-Avro string lands on partition 0, not its canonical partition
            ledger.rawRequests.pipeInput(ledger.avroKeys.serialize(Topics.REQUESTS, elsewhere), value);

            // Then it is written again to erasure.requests, keyed by the id as text, with the same value
            final TestRecord<byte[], byte[]> again = requests.readRecord();
            assertArrayEquals(elsewhere.getBytes(StandardCharsets.UTF_8), again.key());
            assertArrayEquals(value, again.value());
            final Header from = again.headers().lastHeader(LedgerNames.REROUTED_FROM_HEADER);
            assertEquals("0", new String(from.value(), StandardCharsets.UTF_8));
            // And nothing is applied, audited or dispatched where it landed, but its offset counts as handled
            assertNull(ledger.state(elsewhere));
            assertTrue(ledger.audit.isEmpty());
            assertTrue(ledger.events.isEmpty());
            assertTrue(applied.reached(Topics.REQUESTS, 0, 0));
        }
    }

    @Test
    void shouldRefuseARerouteThatLandsOffItsCanonicalPartitionAgain() {
        final String elsewhere = idOffPartition(0);
        try (LedgerDriver ledger = new LedgerDriver(LedgerPolicy.defaults(), new AppliedOffsets(), PARTITIONS)) {
            final TestRecord<byte[], byte[]> rerouted = new TestRecord<>(elsewhere.getBytes(StandardCharsets.UTF_8),
                    ledger.serdes.callback().serialize(Topics.CALLBACKS, ledger.callback(elsewhere, "billing", DONE, 1L)));
            rerouted.headers().add(LedgerNames.REROUTED_FROM_HEADER, "2".getBytes(StandardCharsets.UTF_8));

            ledger.rawCallbacks.pipeInput(rerouted);

            final DeadLetter dead = ledger.dlq.readValue();
            assertTrue(dead.getReason().contains("re-routed once already"), dead.getReason());
            assertEquals(Topics.CALLBACKS, dead.getSourceTopic());
            assertNull(ledger.state(elsewhere));
        }
    }

    private static TestOutputTopic<byte[], byte[]> raw(LedgerDriver ledger, String topic) {
        return ledger.driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static String idOnPartition(int partition) {
        return ids().filter(id -> CanonicalPartition.of(id, PARTITIONS) == partition).findFirst().orElseThrow();
    }

    private static String idOffPartition(int partition) {
        final String id = ids().filter(i -> CanonicalPartition.of(i, PARTITIONS) != partition).findFirst().orElseThrow();
        assertNotEquals(partition, CanonicalPartition.of(id, PARTITIONS));
        return id;
    }

    private static java.util.stream.Stream<String> ids() {
        return IntStream.range(0, 100).mapToObj(i -> String.format("7f6c3c1e-4b8e-4a57-9e51-%012d", i));
    }
}
