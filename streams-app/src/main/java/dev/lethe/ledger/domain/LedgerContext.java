package dev.lethe.ledger.domain;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a transition may read besides the state and the event: the time, the system registry
 * and the policy. The registry is read through a supplier, only by a transition that routes a
 * request, so callbacks and most decisions never pay for it.
 */
public record LedgerContext(Instant now, Supplier<? extends Collection<SystemInfo>> registry, LedgerPolicy policy) {

    /** A context over a fixed list of systems. */
    public LedgerContext(Instant now, Collection<SystemInfo> systems, LedgerPolicy policy) {
        this(now, fixed(List.copyOf(systems)), policy);
    }

    private static Supplier<List<SystemInfo>> fixed(List<SystemInfo> systems) {
        return () -> systems;
    }

    /** The registered systems, read now. */
    public Collection<SystemInfo> systems() {
        return registry.get();
    }
}
