package dev.lethe.bench;

/**
 * One reported figure: what it is, its unit, its median/min/max over the rounds, and the goal it
 * is measured against (empty when it has none). {@code met} is null when there is no goal.
 */
public record Figure(String stage, String name, String unit, Summary summary, String goal, Boolean met) {

    public static Figure of(String stage, String name, String unit, Summary summary) {
        return new Figure(stage, name, unit, summary, "", null);
    }

    /** A figure whose median must be at least {@code goal}. */
    public static Figure atLeast(String stage, String name, String unit, Summary summary, double goal) {
        return new Figure(stage, name, unit, summary, ">= " + goal, summary.median() >= goal);
    }

    /** A figure whose median must be below {@code goal}. */
    public static Figure below(String stage, String name, String unit, Summary summary, double goal) {
        return new Figure(stage, name, unit, summary, "< " + goal, summary.median() < goal);
    }
}
