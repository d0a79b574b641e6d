package dev.lethe.bench;

import java.util.Arrays;
import java.util.List;

/**
 * The median, min and max of one figure over several rounds. Built from at least one value;
 * the median of an even count is the mean of the two middle values.
 */
public record Summary(double median, double min, double max, int rounds) {

    public static Summary of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("a summary needs at least one value");
        }
        final double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        final int n = sorted.length;
        final double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Summary(median, sorted[0], sorted[n - 1], n);
    }

    /**
     * The {@code p}-th percentile (0 &lt; p &le; 100) of {@code values} by the nearest-rank method:
     * the smallest value with at least p% of the values at or below it.
     */
    public static double percentile(long[] values, double p) {
        if (values.length == 0) {
            throw new IllegalArgumentException("a percentile needs at least one value");
        }
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], was " + p);
        }
        final long[] sorted = values.clone();
        Arrays.sort(sorted);
        final int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }
}
