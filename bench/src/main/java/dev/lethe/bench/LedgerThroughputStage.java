package dev.lethe.bench;

import dev.lethe.ledger.LedgerApp;
import dev.lethe.ledger.LedgerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Figure 1: events per second through the real ledger topology (each request plus a callback
 * from each of 10 systems, exactly_once_v2) against the count-per-key baseline, both paused while
 * a round's batch is written, then each resumed alone on the same batch (in alternating order).
 */
public final class LedgerThroughputStage implements Stage {

    static final String NAME = "ledger";
    private static final String LEDGER_ID = "bench-ledger";
    private static final String BASELINE_ID = "bench-count";
    private static final Duration ROUND_TIMEOUT = Duration.ofMinutes(5);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Figure> run(BenchContext context) {
        final int requests = context.longRun() ? 20_000 : 4_000;
        try (BenchCluster cluster = BenchCluster.start(context, NAME);
             Load load = new Load(cluster)) {
            final LedgerConfig config = LedgerConfig.fromEnvironment(cluster.ledgerEnv(LEDGER_ID, 0));
            try (LedgerApp ledger = LedgerApp.start(config)) {
                final KafkaStreams baseline = CountBaseline.start(CountBaseline.properties(config.streamsProperties(),
                        BASELINE_ID, cluster.dir().resolve("state-baseline")), Duration.ofSeconds(120));
                try {
                    return rounds(context, cluster, load, ledger.streams(), baseline, requests);
                } finally {
                    baseline.close(Duration.ofSeconds(30));
                }
            }
        }
    }

    private List<Figure> rounds(BenchContext context, BenchCluster cluster, Load load, KafkaStreams ledger,
                                KafkaStreams baseline, int requests) {
        final Throughput throughput = new Throughput(cluster.admin());
        ledger.pause();
        baseline.pause();
        final List<Double> ledgerRates = new ArrayList<>();
        final List<Double> baselineRates = new ArrayList<>();
        final List<Double> ratios = new ArrayList<>();
        final List<Double> recordsPerEvent = new ArrayList<>();
        for (int round = 0; round <= context.rounds(); round++) {
            final long events = load.requestsWithCallbacks(requests);
            final Map<TopicPartition, Long> ends = throughput.inputEnds();
            final double sentBefore = recordsSent(ledger);
            final double ledgerRate;
            final double baselineRate;
            if (round % 2 == 0) {
                ledgerRate = throughput.eventsPerSecond(ledger, LEDGER_ID, ends, events, ROUND_TIMEOUT);
                baselineRate = throughput.eventsPerSecond(baseline, BASELINE_ID, ends, events, ROUND_TIMEOUT);
            } else {
                baselineRate = throughput.eventsPerSecond(baseline, BASELINE_ID, ends, events, ROUND_TIMEOUT);
                ledgerRate = throughput.eventsPerSecond(ledger, LEDGER_ID, ends, events, ROUND_TIMEOUT);
            }
            final double written = (recordsSent(ledger) - sentBefore) / events;
            if (round == 0) {
                continue; // warm-up: class loading, JIT, first RocksDB files
            }
            Console.progress("ledger round %d: ledger %.0f ev/s, count baseline %.0f ev/s", round, ledgerRate,
                    baselineRate);
            ledgerRates.add(ledgerRate);
            baselineRates.add(baselineRate);
            ratios.add(ledgerRate / baselineRate);
            recordsPerEvent.add(written);
        }
        return List.of(
                Figure.of(NAME, "ledger throughput (" + requests + " requests x 11 events)", "events/s",
                        Summary.of(ledgerRates)),
                Figure.of(NAME, "count-per-key baseline", "events/s", Summary.of(baselineRates)),
                Figure.atLeast(NAME, "ledger / baseline", "ratio", Summary.of(ratios), 0.5),
                Figure.of(NAME, "records the ledger produced per input event (changelogs + topics)", "records",
                        Summary.of(recordsPerEvent)));
    }

    /** Every record the application's producers sent so far (changelogs, output topics, re-routes). */
    private static double recordsSent(KafkaStreams streams) {
        return streams.metrics().entrySet().stream()
                .filter(e -> "producer-metrics".equals(e.getKey().group())
                        && "record-send-total".equals(e.getKey().name()))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    }
}
