package dev.lethe.bench;

import dev.lethe.ledger.LedgerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Figure 6: the time to rebuild the ledger store from its changelog after the local state is
 * wiped — each round starts the ledger on an empty state folder and waits until it is RUNNING
 * with every record restored — given per million requests.
 */
public final class RestoreStage implements Stage {

    static final String NAME = "restore";
    private static final long DEFAULT_SIZE = 1_000_000;
    private static final long LONG_SIZE = 5_000_000;
    private static final String APPLICATION_ID = "bench-restore";
    private static final Duration TIMEOUT = Duration.ofMinutes(20);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Figure> run(BenchContext context) throws Exception {
        final long size = context.longRun() ? LONG_SIZE : DEFAULT_SIZE;
        final List<Double> perMillion = new ArrayList<>();
        try (BenchCluster cluster = BenchCluster.start(context, NAME)) {
            BenchLedger.publishSystems(cluster, LedgerConfig.fromEnvironment(cluster.ledgerEnv(APPLICATION_ID, 0)));
            StorePreloader.preload(cluster, APPLICATION_ID, size);
            for (int round = 1; round <= context.rounds(); round++) {
                final Map<String, String> env = cluster.ledgerEnv(APPLICATION_ID, ScaleStage.ROCKSDB_MB);
                env.put("LETHE_STATE_DIR", cluster.dir().resolve("restore-state-" + round).toString());
                try (BenchLedger ledger = BenchLedger.start(cluster, LedgerConfig.fromEnvironment(env), size,
                        TIMEOUT)) {
                    final double seconds = ledger.startTime().toMillis() / 1000.0;
                    Console.progress("restore round %d: %,d records in %.1f s", round, ledger.restored(), seconds);
                    perMillion.add(seconds * 1_000_000 / size);
                }
            }
        }
        return List.of(Figure.of(NAME, "rebuild the store from its changelog (" + ScaleStage.count(size)
                + " requests, wiped state)", "s per 1M", Summary.of(perMillion)));
    }
}
