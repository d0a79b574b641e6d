package dev.lethe.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTest {

    @Test
    void shouldTakeTheMiddleValueOfAnOddCountAsMedian() {
        final Summary summary = Summary.of(List.of(30.0, 10.0, 20.0));

        assertEquals(20.0, summary.median());
        assertEquals(10.0, summary.min());
        assertEquals(30.0, summary.max());
        assertEquals(3, summary.rounds());
    }

    @Test
    void shouldAverageTheTwoMiddleValuesOfAnEvenCount() {
        final Summary summary = Summary.of(List.of(4.0, 1.0, 3.0, 2.0));

        assertEquals(2.5, summary.median());
        assertEquals(1.0, summary.min());
        assertEquals(4.0, summary.max());
    }

    @Test
    void shouldSummariseASingleRoundAsItself() {
        final Summary summary = Summary.of(List.of(7.0));

        assertEquals(new Summary(7.0, 7.0, 7.0, 1), summary);
    }

    @Test
    void shouldRefuseAnEmptySummary() {
        assertThrows(IllegalArgumentException.class, () -> Summary.of(List.of()));
    }

    @Test
    void shouldTakePercentilesByNearestRank() {
        final long[] values = new long[100];
        for (int i = 0; i < 100; i++) {
            values[i] = 100 - i; // 100..1, unsorted on purpose
        }

        assertEquals(50.0, Summary.percentile(values, 50));
        assertEquals(99.0, Summary.percentile(values, 99));
        assertEquals(100.0, Summary.percentile(values, 100));
        assertEquals(1.0, Summary.percentile(values, 0.5));
    }

    @Test
    void shouldGiveTheSlowestOfFewValuesAsP99() {
        assertEquals(900.0, Summary.percentile(new long[] {5, 900, 7}, 99));
        assertEquals(7.0, Summary.percentile(new long[] {5, 900, 7}, 50));
    }

    @Test
    void shouldNotReorderTheCallersValues() {
        final long[] values = {3, 1, 2};

        Summary.percentile(values, 50);

        assertEquals(3, values[0]);
    }

    @Test
    void shouldRefusePercentilesOutsideTheRange() {
        assertThrows(IllegalArgumentException.class, () -> Summary.percentile(new long[] {1}, 0));
        assertThrows(IllegalArgumentException.class, () -> Summary.percentile(new long[] {1}, 101));
        assertThrows(IllegalArgumentException.class, () -> Summary.percentile(new long[0], 50));
    }

    @Test
    void shouldJudgeGoalsOnTheMedian() {
        final Summary ratios = Summary.of(List.of(0.5, 0.9, 0.95));

        assertEquals(Boolean.TRUE, Figure.atLeast("s", "f", "ratio", ratios, 0.7).met());
        assertEquals(Boolean.FALSE, Figure.below("s", "f", "ms", Summary.of(List.of(600.0)), 500).met());
        assertEquals(null, Figure.of("s", "f", "ms", ratios).met());
    }
}
