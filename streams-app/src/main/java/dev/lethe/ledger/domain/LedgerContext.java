package dev.lethe.ledger.domain;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** What a transition may read besides the state and the event: the time, the registry, the policy. */
public record LedgerContext(Instant now, Collection<SystemInfo> systems, LedgerPolicy policy) {

    public LedgerContext {
        systems = List.copyOf(systems);
    }
}
