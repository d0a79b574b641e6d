package dev.lethe.ledger.topology;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.avro.CallbackOutcome;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/**
 * Counts the records the ledger writes (changelogs and output topics together) per input event:
 * a received request (with its subject gate verdict and the dispatch to ten systems it leads to),
 * and a callback from one of those systems. The figures are in docs/performance.md.
 */
class LedgerWritesPerEventTest {

    private static final int SYSTEMS = 10;
    private static final String ID = "7f6c3c1e-4b8e-4a57-9e51-0c7a6f1d2b9a";

    @Test
    void printsRecordsWrittenPerEvent() {
        try (LedgerDriver ledger = new LedgerDriver()) {
            for (int i = 0; i < SYSTEMS; i++) {
                ledger.register("sys-" + i, "user_id");
            }
            drain(ledger);
            ledger.file(ID);
            final Map<String, Integer> received = drain(ledger);
            ledger.callBack(ledger.callback(ID, "sys-0", CallbackOutcome.DONE, 1L));
            final Map<String, Integer> callback = drain(ledger);
            for (int i = 1; i < SYSTEMS - 1; i++) {
                ledger.callBack(ledger.callback(ID, "sys-" + i, CallbackOutcome.DONE, 1L));
            }
            drain(ledger);
            ledger.callBack(ledger.callback(ID, "sys-" + (SYSTEMS - 1), CallbackOutcome.DONE, 1L));
            final Map<String, Integer> last = drain(ledger);
            System.out.println("WRITES received+gate+dispatch " + total(received) + " " + received);
            System.out.println("WRITES callback " + total(callback) + " " + callback);
            System.out.println("WRITES last callback " + total(last) + " " + last);
            assertTrue(total(callback) > 0);
        }
    }

    private static int total(Map<String, Integer> counts) {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static Map<String, Integer> drain(LedgerDriver ledger) {
        final Map<String, Integer> counts = new TreeMap<>();
        for (String topic : ledger.driver.producedTopicNames()) {
            final int n = ledger.driver.createOutputTopic(topic, Serdes.ByteArray().deserializer(),
                    Serdes.ByteArray().deserializer()).readRecordsToList().size();
            if (n > 0) {
                counts.put(topic, n);
            }
        }
        return counts;
    }
}
