package dev.lethe.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Figure 2: {@code POST /v1/erasures} per second through the real gateway (validation, an
 * acks=all idempotent write, the wait for the ledger to apply it) at a fixed concurrency,
 * against the empty endpoint in the same process, each round on both in alternating order;
 * with the gateway's p50 and p99 latency.
 */
public final class IntakeStage implements Stage {

    static final String NAME = "intake";
    static final int CONCURRENCY = 16;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Figure> run(BenchContext context) throws Exception {
        final Duration time = Duration.ofSeconds(context.longRun() ? 20 : 6);
        final int max = context.longRun() ? 200_000 : 30_000;
        final String run = UUID.randomUUID().toString();
        final HttpLoad load = new HttpLoad();
        final List<Double> real = new ArrayList<>();
        final List<Double> empty = new ArrayList<>();
        final List<Double> ratios = new ArrayList<>();
        final List<Double> p50 = new ArrayList<>();
        final List<Double> p99 = new ArrayList<>();
        final List<Double> errors = new ArrayList<>();
        final List<Double> emptyErrors = new ArrayList<>();
        try (LetheRig rig = LetheRig.start(context, NAME)) {
            for (int round = 0; round <= context.rounds(); round++) {
                final String prefix = run + "-" + round + "-";
                final Duration roundTime = round == 0 ? Duration.ofSeconds(2) : time;
                final HttpLoad.Result lethe;
                final HttpLoad.Result nothing;
                if (round % 2 == 0) {
                    lethe = load.run(CONCURRENCY, max, roundTime, i -> rig.intake(true, prefix + i), 202);
                    nothing = load.run(CONCURRENCY, max, roundTime, i -> rig.intake(false, prefix + i), 202);
                } else {
                    nothing = load.run(CONCURRENCY, max, roundTime, i -> rig.intake(false, prefix + i), 202);
                    lethe = load.run(CONCURRENCY, max, roundTime, i -> rig.intake(true, prefix + i), 202);
                }
                if (round == 0) {
                    continue;
                }
                errors.add((double) lethe.errors());
                emptyErrors.add((double) nothing.errors());
                Console.progress("intake round %d: lethe %.0f/s (p99 %.1f ms), empty %.0f/s", round,
                        lethe.perSecond(), lethe.percentileMs(99), nothing.perSecond());
                real.add(lethe.perSecond());
                empty.add(nothing.perSecond());
                ratios.add(lethe.perSecond() / nothing.perSecond());
                p50.add(lethe.percentileMs(50));
                p99.add(lethe.percentileMs(99));
            }
        }
        final String c = " (" + CONCURRENCY + " concurrent)";
        return List.of(
                Figure.of(NAME, "POST /v1/erasures" + c, "req/s", Summary.of(real)),
                Figure.of(NAME, "empty endpoint POST" + c, "req/s", Summary.of(empty)),
                Figure.atLeast(NAME, "intake / empty", "ratio", Summary.of(ratios), 0.5),
                Figure.of(NAME, "POST latency p50", "ms", Summary.of(p50)),
                Figure.of(NAME, "POST latency p99", "ms", Summary.of(p99)),
                Figure.of(NAME, "failed POSTs (not the expected status, or no answer)", "per round",
                        Summary.of(errors)),
                Figure.of(NAME, "failed POSTs to the empty endpoint", "per round", Summary.of(emptyErrors)));
    }
}
