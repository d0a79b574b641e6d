package dev.lethe.bench;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The shape of the HTTP figures (intake, status): every round loads Lethe's endpoint and the
 * empty endpoint in the same process, in alternating order, at the same concurrency; round 0 is
 * a short warm-up and not counted. Yields rates, the ratio per round, Lethe's p50 and p99, and
 * failed calls on each side.
 */
final class HttpComparison {

    static final int CONCURRENCY = 16;
    private static final Duration WARM_UP = Duration.ofSeconds(2);

    private final List<Double> real = new ArrayList<>();
    private final List<Double> empty = new ArrayList<>();
    private final List<Double> ratios = new ArrayList<>();
    private final List<Double> p50 = new ArrayList<>();
    private final List<Double> p99 = new ArrayList<>();
    private final List<Double> errors = new ArrayList<>();
    private final List<Double> emptyErrors = new ArrayList<>();

    /**
     * Runs the rounds. {@code request.apply(lethe, i)} builds the i-th call of a round, to Lethe
     * ({@code true}) or to the empty endpoint; {@code expected} is the status both must answer.
     */
    static HttpComparison run(String stage, BenchContext context, int maxRequests, Duration roundTime,
                              RoundRequests request, int expected) throws Exception {
        final HttpComparison comparison = new HttpComparison();
        final HttpLoad load = new HttpLoad();
        for (int round = 0; round <= context.rounds(); round++) {
            final Duration time = round == 0 ? WARM_UP : roundTime;
            final BiFunction<Boolean, Integer, HttpRequest> calls = request.forRound(round);
            final HttpLoad.Result lethe;
            final HttpLoad.Result nothing;
            if (round % 2 == 0) {
                lethe = load.run(CONCURRENCY, maxRequests, time, i -> calls.apply(true, i), expected);
                nothing = load.run(CONCURRENCY, maxRequests, time, i -> calls.apply(false, i), expected);
            } else {
                nothing = load.run(CONCURRENCY, maxRequests, time, i -> calls.apply(false, i), expected);
                lethe = load.run(CONCURRENCY, maxRequests, time, i -> calls.apply(true, i), expected);
            }
            if (round > 0) {
                comparison.record(stage, round, lethe, nothing);
            }
        }
        return comparison;
    }

    /** The calls of one round: {@code (toLethe, i) -> request}. */
    @FunctionalInterface
    interface RoundRequests {
        BiFunction<Boolean, Integer, HttpRequest> forRound(int round) throws Exception;
    }

    private void record(String stage, int round, HttpLoad.Result lethe, HttpLoad.Result nothing) {
        errors.add((double) lethe.errors());
        emptyErrors.add((double) nothing.errors());
        Console.progress("%s round %d: lethe %.0f/s (p99 %.1f ms), empty %.0f/s", stage, round,
                lethe.perSecond(), lethe.percentileMs(99), nothing.perSecond());
        real.add(lethe.perSecond());
        empty.add(nothing.perSecond());
        ratios.add(lethe.perSecond() / nothing.perSecond());
        p50.add(lethe.percentileMs(50));
        p99.add(lethe.percentileMs(99));
    }

    /** The figures, named with {@code what} (e.g. "POST /v1/erasures") and {@code verb} (e.g. "POST"). */
    List<Figure> figures(String stage, String what, String verb, String ratioName, double goal) {
        return figures(stage, what, verb, ratioName, goal, null);
    }

    /** As above, with a goal for the p99 latency in ms ({@code p99GoalMs}, null for none). */
    List<Figure> figures(String stage, String what, String verb, String ratioName, double goal, Double p99GoalMs) {
        final String c = " (" + CONCURRENCY + " concurrent)";
        return List.of(
                Figure.of(stage, what + c, "req/s", Summary.of(real)),
                Figure.of(stage, "empty endpoint " + verb + c, "req/s", Summary.of(empty)),
                Figure.atLeast(stage, ratioName, "ratio", Summary.of(ratios), goal),
                Figure.of(stage, verb + " latency p50", "ms", Summary.of(p50)),
                p99GoalMs == null ? Figure.of(stage, verb + " latency p99", "ms", Summary.of(p99))
                        : Figure.below(stage, verb + " latency p99", "ms", Summary.of(p99), p99GoalMs),
                Figure.of(stage, "failed " + verb + "s (not the expected status, or no answer)", "per round",
                        Summary.of(errors)),
                Figure.of(stage, "failed " + verb + "s to the empty endpoint", "per round", Summary.of(emptyErrors)));
    }
}
