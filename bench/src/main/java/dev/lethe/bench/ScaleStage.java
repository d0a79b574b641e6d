package dev.lethe.bench;

import dev.lethe.ledger.LedgerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Figure 5: ledger throughput (as in figure 1) with a small and a large number of finished
 * requests already in the store, RocksDB memory bounded to {@value #ROCKSDB_MB} MB
 * ({@code LETHE_ROCKSDB_MEMORY_MB}); the ratio large/small per round, and this JVM's resident
 * memory after each. The stores are filled through their changelogs ({@link StorePreloader}).
 * The small store is measured first, then the large one in the same JVM (after the small one is
 * closed), each after {@value #WARM_UP_ROUNDS} uncounted rounds; a JVM or broker still warming up
 * during the small store's rounds favours the large one.
 */
public final class ScaleStage implements Stage {

    static final String NAME = "scale";
    static final int ROCKSDB_MB = 256;
    static final long SMALL = 100_000;
    static final long LARGE_DEFAULT = 5_000_000;
    static final long LARGE_LONG = 5_000_000;
    private static final Duration RESTORE_TIMEOUT = Duration.ofMinutes(20);
    private static final Duration ROUND_TIMEOUT = Duration.ofMinutes(5);
    /** Rounds not counted before each store's measured rounds (the broker's JVM is fresh per stage). */
    private static final int WARM_UP_ROUNDS = 2;

    @Override
    public String name() {
        return NAME;
    }

    /** What one store size gave. */
    private record Run(long size, List<Double> rates, double rssMb, double heapMb, Duration startTime) {
    }

    @Override
    public List<Figure> run(BenchContext context) throws Exception {
        final long large = context.longRun() ? LARGE_LONG : LARGE_DEFAULT;
        final int requests = context.longRun() ? 20_000 : 4_000;
        final Run small;
        final Run big;
        try (BenchCluster cluster = BenchCluster.start(context, NAME);
             Load load = new Load(cluster)) {
            BenchLedger.publishSystems(cluster, LedgerConfig.fromEnvironment(cluster.ledgerEnv("bench-scale", 0)));
            small = measure(context, cluster, load, SMALL, requests);
            big = measure(context, cluster, load, large, requests);
        }
        final List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < small.rates().size(); i++) {
            ratios.add(big.rates().get(i) / small.rates().get(i));
        }
        final String mem = ", RocksDB " + ROCKSDB_MB + " MB";
        return List.of(
                Figure.of(NAME, "ledger throughput, " + count(SMALL) + " in store" + mem, "events/s",
                        Summary.of(small.rates())),
                Figure.of(NAME, "ledger throughput, " + count(large) + " in store" + mem, "events/s",
                        Summary.of(big.rates())),
                Figure.atLeast(NAME, count(large) + " / " + count(SMALL) + " throughput", "ratio",
                        Summary.of(ratios), 0.8),
                Figure.of(NAME, "resident memory (VmRSS), " + count(SMALL) + " in store", "MB",
                        Summary.of(List.of(small.rssMb()))),
                Figure.of(NAME, "resident memory (VmRSS), " + count(large) + " in store", "MB",
                        Summary.of(List.of(big.rssMb()))),
                Figure.of(NAME, "of which Java heap committed, " + count(SMALL) + " in store", "MB",
                        Summary.of(List.of(small.heapMb()))),
                Figure.of(NAME, "of which Java heap committed, " + count(large) + " in store", "MB",
                        Summary.of(List.of(big.heapMb()))),
                Figure.of(NAME, "start with restore of " + count(large), "s",
                        Summary.of(List.of(big.startTime().toMillis() / 1000.0))));
    }

    private static Run measure(BenchContext context, BenchCluster cluster, Load load, long size, int requests)
            throws Exception {
        final String applicationId = "bench-scale-" + size;
        final long t0 = System.nanoTime();
        StorePreloader.preload(cluster, applicationId, size);
        Console.progress("scale: %,d requests written to the changelog in %.1f s", size,
                (System.nanoTime() - t0) / 1e9);
        final Throughput throughput = new Throughput(cluster.admin());
        throughput.startAt(applicationId, throughput.inputEnds());
        final LedgerConfig config = LedgerConfig.fromEnvironment(cluster.ledgerEnv(applicationId, ROCKSDB_MB));
        try (BenchLedger ledger = BenchLedger.start(cluster, config, size, RESTORE_TIMEOUT)) {
            Console.progress("scale: ledger with %,d restored in %.1f s", ledger.restored(),
                    ledger.startTime().toMillis() / 1000.0);
            ledger.streams().pause();
            final List<Double> rates = new ArrayList<>();
            for (int round = 1 - WARM_UP_ROUNDS; round <= context.rounds(); round++) {
                final long events = load.requestsWithCallbacks(requests);
                final Map<TopicPartition, Long> ends = throughput.inputEnds();
                final double rate = throughput.eventsPerSecond(ledger.streams(), applicationId, ends, events,
                        ROUND_TIMEOUT);
                if (round > 0) {
                    Console.progress("scale %,d round %d: %.0f ev/s", size, round, rate);
                    rates.add(rate);
                }
            }
            return new Run(size, rates, Rss.megabytes(), Rss.heapCommittedMegabytes(), ledger.startTime());
        }
    }

    static String count(long n) {
        return n % 1_000_000 == 0 ? (n / 1_000_000) + "M" : (n / 1_000) + "k";
    }
}
