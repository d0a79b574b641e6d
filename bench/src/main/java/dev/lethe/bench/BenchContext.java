package dev.lethe.bench;

import java.nio.file.Path;

/**
 * What every stage gets: the parsed arguments, a scratch folder of its own (deleted at the end
 * of the run) and the classpath to start the broker's JVM with.
 */
public record BenchContext(BenchArgs args, Path scratch, String classpath) {

    public boolean longRun() {
        return args.longRun();
    }

    public int rounds() {
        return args.rounds();
    }

    /** A new folder under the scratch folder. */
    public Path dir(String name) {
        return scratch.resolve(name + "-" + System.nanoTime());
    }
}
