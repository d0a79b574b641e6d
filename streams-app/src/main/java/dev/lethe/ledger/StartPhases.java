package dev.lethe.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * How long each phase of a start took, for one INFO line at its end: {@link #mark} closes the
 * phase under way under a name, {@link #summary} reads
 * {@code "8012 ms (broker 4711 ms, registry 1102 ms, ...)"}. Names only, never an identifier.
 * Not thread-safe: one starting thread marks.
 */
public final class StartPhases {

    private final LongSupplier nanos;
    private final long begun;
    private long last;
    private final List<String> phases = new ArrayList<>();

    StartPhases(LongSupplier nanos) {
        this.nanos = nanos;
        this.begun = nanos.getAsLong();
        this.last = begun;
    }

    /** Starts timing now. */
    public static StartPhases begin() {
        return new StartPhases(System::nanoTime);
    }

    /** Ends the phase under way, named {@code phase}, and starts the next one. */
    public void mark(String phase) {
        final long now = nanos.getAsLong();
        phases.add(phase + " " + millis(now - last) + " ms");
        last = now;
    }

    /** The time since {@link #begin()} and each phase marked, in order. */
    public String summary() {
        return millis(last - begun) + " ms (" + String.join(", ", phases) + ")";
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }
}
