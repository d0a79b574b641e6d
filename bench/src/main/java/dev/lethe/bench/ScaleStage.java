package dev.lethe.bench;

import dev.lethe.ledger.LedgerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Figure 5: ledger throughput (as in figure 1) of two ledger instances, one with a small and one
 * with a large number of finished requests already in its store, RocksDB memory bounded to
 * {@value #ROCKSDB_MB} MB ({@code LETHE_ROCKSDB_MEMORY_MB}, one cache shared by both). The stores
 * are filled through their changelogs ({@link StorePreloader}). Both instances are paused while a
 * round's batch is written, then each is resumed alone on it (alternating which goes first), so
 * the ratio large/small of each round compares them on the same warm JVM and the same batch.
 * Resident memory (VmRSS) is read once the small instance alone has run, and again once the large
 * one has been added and run: the growth is what the large store costs at most.
 */
public final class ScaleStage implements Stage {

    static final String NAME = "scale";
    static final int ROCKSDB_MB = 64;
    static final long SMALL = 100_000;
    static final long LARGE = 5_000_000;
    private static final Duration RESTORE_TIMEOUT = Duration.ofMinutes(20);
    private static final Duration ROUND_TIMEOUT = Duration.ofMinutes(5);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Figure> run(BenchContext context) throws Exception {
        final int requests = context.longRun() ? 20_000 : 4_000;
        final String smallId = "bench-scale-small";
        final String largeId = "bench-scale-large";
        try (BenchCluster cluster = BenchCluster.start(context, NAME);
             Load load = new Load(cluster)) {
            BenchLedger.publishSystems(cluster, LedgerConfig.fromEnvironment(cluster.ledgerEnv(smallId, 0)));
            preload(cluster, smallId, SMALL);
            preload(cluster, largeId, LARGE);
            final Throughput throughput = new Throughput(cluster.admin());
            try (BenchLedger small = start(cluster, throughput, smallId, SMALL)) {
                small.streams().pause();
                throughput.eventsPerSecond(small.streams(), smallId, endsAfter(load, throughput, requests),
                        requests, ROUND_TIMEOUT);
                final double rssSmall = Rss.megabytes();
                final double heapSmall = Rss.heapCommittedMegabytes();
                try (BenchLedger large = start(cluster, throughput, largeId, LARGE)) {
                    large.streams().pause();
                    final List<List<Double>> rates = rounds(context, load, throughput, small, large, requests);
                    return figures(rates, rssSmall, heapSmall, large.startTime());
                }
            }
        }
    }

    private static List<List<Double>> rounds(BenchContext context, Load load, Throughput throughput,
                                             BenchLedger small, BenchLedger large, int requests) {
        final List<Double> smallRates = new ArrayList<>();
        final List<Double> largeRates = new ArrayList<>();
        final List<Double> ratios = new ArrayList<>();
        for (int round = 0; round <= context.rounds(); round++) {
            final long events = load.requestsWithCallbacks(requests);
            final Map<TopicPartition, Long> ends = throughput.inputEnds();
            final double smallRate;
            final double largeRate;
            if (round % 2 == 0) {
                smallRate = throughput.eventsPerSecond(small.streams(), "bench-scale-small", ends, events,
                        ROUND_TIMEOUT);
                largeRate = throughput.eventsPerSecond(large.streams(), "bench-scale-large", ends, events,
                        ROUND_TIMEOUT);
            } else {
                largeRate = throughput.eventsPerSecond(large.streams(), "bench-scale-large", ends, events,
                        ROUND_TIMEOUT);
                smallRate = throughput.eventsPerSecond(small.streams(), "bench-scale-small", ends, events,
                        ROUND_TIMEOUT);
            }
            if (round == 0) {
                continue;
            }
            Console.progress("scale round %d: %s in store %.0f ev/s, %s in store %.0f ev/s", round, count(SMALL),
                    smallRate, count(LARGE), largeRate);
            smallRates.add(smallRate);
            largeRates.add(largeRate);
            ratios.add(largeRate / smallRate);
        }
        return List.of(smallRates, largeRates, ratios);
    }

    private static List<Figure> figures(List<List<Double>> rates, double rssSmall, double heapSmall,
                                        Duration largeStart) {
        final String mem = ", RocksDB " + ROCKSDB_MB + " MB";
        return List.of(
                Figure.of(NAME, "ledger throughput, " + count(SMALL) + " in store" + mem, "events/s",
                        Summary.of(rates.get(0))),
                Figure.of(NAME, "ledger throughput, " + count(LARGE) + " in store" + mem, "events/s",
                        Summary.of(rates.get(1))),
                Figure.atLeast(NAME, count(LARGE) + " / " + count(SMALL) + " throughput", "ratio",
                        Summary.of(rates.get(2)), 0.8),
                Figure.of(NAME, "resident memory (VmRSS), " + count(SMALL) + " store open", "MB",
                        Summary.of(List.of(rssSmall))),
                Figure.of(NAME, "resident memory (VmRSS), " + count(SMALL) + " + " + count(LARGE) + " stores open",
                        "MB", Summary.of(List.of(Rss.megabytes()))),
                Figure.of(NAME, "of which Java heap committed, " + count(SMALL) + " store open", "MB",
                        Summary.of(List.of(heapSmall))),
                Figure.of(NAME, "of which Java heap committed, both stores open", "MB",
                        Summary.of(List.of(Rss.heapCommittedMegabytes()))),
                Figure.of(NAME, "start with restore of " + count(LARGE), "s",
                        Summary.of(List.of(largeStart.toMillis() / 1000.0))));
    }

    private static void preload(BenchCluster cluster, String applicationId, long size) throws Exception {
        final long t0 = System.nanoTime();
        StorePreloader.preload(cluster, applicationId, size);
        Console.progress("scale: %,d requests written to the changelog in %.1f s", size,
                (System.nanoTime() - t0) / 1e9);
    }

    /** Starts the instance at the current end of the input, with its store restored. */
    private static BenchLedger start(BenchCluster cluster, Throughput throughput, String applicationId, long size) {
        throughput.startAt(applicationId, throughput.inputEnds());
        final LedgerConfig config = LedgerConfig.fromEnvironment(cluster.ledgerEnv(applicationId, ROCKSDB_MB));
        final BenchLedger ledger = BenchLedger.start(cluster, config, size, RESTORE_TIMEOUT);
        Console.progress("scale: ledger with %,d restored in %.1f s", ledger.restored(),
                ledger.startTime().toMillis() / 1000.0);
        return ledger;
    }

    private static Map<TopicPartition, Long> endsAfter(Load load, Throughput throughput, int requests) {
        load.requestsWithCallbacks(requests);
        return throughput.inputEnds();
    }

    static String count(long n) {
        return n % 1_000_000 == 0 ? (n / 1_000_000) + "M" : (n / 1_000) + "k";
    }
}
