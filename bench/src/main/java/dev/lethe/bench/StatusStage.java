package dev.lethe.bench;

import java.time.Duration;
import java.util.ArrayList;
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
        final HttpLoad load = new HttpLoad();
        final List<Double> real = new ArrayList<>();
        final List<Double> empty = new ArrayList<>();
        final List<Double> ratios = new ArrayList<>();
        final List<Double> p50 = new ArrayList<>();
        final List<Double> p99 = new ArrayList<>();
        final List<Double> errors = new ArrayList<>();
        final List<Double> emptyErrors = new ArrayList<>();
        try (LetheRig rig = LetheRig.start(context, NAME)) {
            final List<String> ids;
            try (Load writer = new Load(rig.cluster())) {
                ids = writer.requests(IDS);
            }
            final Throughput applied = new Throughput(rig.cluster().admin());
            applied.awaitCommitted(rig.applicationId(), applied.inputEnds(), Duration.ofSeconds(60));
            for (int round = 0; round <= context.rounds(); round++) {
                final Duration roundTime = round == 0 ? Duration.ofSeconds(2) : time;
                final HttpLoad.Result lethe;
                final HttpLoad.Result nothing;
                if (round % 2 == 0) {
                    lethe = load.run(IntakeStage.CONCURRENCY, max, roundTime,
                            i -> rig.status(true, ids.get(i % IDS)), 200);
                    nothing = load.run(IntakeStage.CONCURRENCY, max, roundTime,
                            i -> rig.status(false, ids.get(i % IDS)), 200);
                } else {
                    nothing = load.run(IntakeStage.CONCURRENCY, max, roundTime,
                            i -> rig.status(false, ids.get(i % IDS)), 200);
                    lethe = load.run(IntakeStage.CONCURRENCY, max, roundTime,
                            i -> rig.status(true, ids.get(i % IDS)), 200);
                }
                if (round == 0) {
                    continue;
                }
                errors.add((double) lethe.errors());
                emptyErrors.add((double) nothing.errors());
                Console.progress("status round %d: lethe %.0f/s (p99 %.1f ms), empty %.0f/s", round,
                        lethe.perSecond(), lethe.percentileMs(99), nothing.perSecond());
                real.add(lethe.perSecond());
                empty.add(nothing.perSecond());
                ratios.add(lethe.perSecond() / nothing.perSecond());
                p50.add(lethe.percentileMs(50));
                p99.add(lethe.percentileMs(99));
            }
        }
        final String c = " (" + IntakeStage.CONCURRENCY + " concurrent)";
        return List.of(
                Figure.of(NAME, "GET /v1/erasures/{id}" + c, "req/s", Summary.of(real)),
                Figure.of(NAME, "empty endpoint GET" + c, "req/s", Summary.of(empty)),
                Figure.atLeast(NAME, "status / empty", "ratio", Summary.of(ratios), 0.7),
                Figure.of(NAME, "GET latency p50", "ms", Summary.of(p50)),
                Figure.of(NAME, "GET latency p99", "ms", Summary.of(p99)),
                Figure.of(NAME, "failed GETs (not the expected status, or no answer)", "per round",
                        Summary.of(errors)),
                Figure.of(NAME, "failed GETs to the empty endpoint", "per round", Summary.of(emptyErrors)));
    }
}
