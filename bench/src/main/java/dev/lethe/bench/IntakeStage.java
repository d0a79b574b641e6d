package dev.lethe.bench;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Figure 2: {@code POST /v1/erasures} per second through the real gateway (validation, the
 * subject's open-duplicate look-up, an acks=all idempotent write; the ledger applies it after the
 * answer) at a fixed concurrency,
 * against the empty endpoint in the same process, each round on both in alternating order;
 * with the gateway's p50 and p99 latency.
 */
public final class IntakeStage implements Stage {

    static final String NAME = "intake";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Figure> run(BenchContext context) throws Exception {
        final Duration time = Duration.ofSeconds(context.longRun() ? 20 : 6);
        final int max = context.longRun() ? 200_000 : 30_000;
        final String run = UUID.randomUUID().toString();
        try (LetheRig rig = LetheRig.start(context, NAME)) {
            return HttpComparison.run(NAME, context, max, time, round -> {
                final String prefix = run + "-" + round + "-";
                return (lethe, i) -> rig.intake(lethe, prefix + i);
            }, 202).figures(NAME, "POST /v1/erasures", "POST", "intake / empty", 0.3, 100.0);
        }
    }
}
