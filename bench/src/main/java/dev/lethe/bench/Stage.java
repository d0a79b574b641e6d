package dev.lethe.bench;

import java.util.List;

/**
 * One part of the benchmark: it starts what it needs (its own broker through {@link BenchCluster}),
 * runs its rounds, stops everything and returns its figures. Stages are independent of each other.
 */
public interface Stage {

    /** The name {@code --only} selects it by. */
    String name();

    List<Figure> run(BenchContext context) throws Exception;
}
