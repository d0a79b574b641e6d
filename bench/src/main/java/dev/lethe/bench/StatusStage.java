package dev.lethe.bench;

import java.time.Duration;
import java.util.List;

/**
 * Figure 3: {@code GET /v1/erasures/{id}} per second through the gateway (auth, a call to the
 * ledger's query endpoint, the store read) at a fixed concurrency, over ids written to Kafka first,
 * against the empty endpoint's GET; with the gateway's p99 latency.
 */
public final class StatusStage implements Stage {

    static final String NAME = "status";
    private static final int IDS = 500;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Figure> run(BenchContext context) throws Exception {
        final Duration time = Duration.ofSeconds(context.longRun() ? 20 : 6);
        final int max = context.longRun() ? 400_000 : 60_000;
        try (LetheRig rig = LetheRig.start(context, NAME)) {
            final List<String> ids;
            try (Load writer = new Load(rig.cluster())) {
                ids = writer.requests(IDS);
            }
            final Throughput applied = new Throughput(rig.cluster().admin());
            applied.awaitCommitted(rig.applicationId(), applied.inputEnds(), Duration.ofSeconds(60));
            return HttpComparison.run(NAME, context, max, time,
                    round -> (lethe, i) -> rig.status(lethe, ids.get(i % IDS)), 200)
                    .figures(NAME, "GET /v1/erasures/{id}", "GET", "status / empty", 0.6);
        }
    }
}
