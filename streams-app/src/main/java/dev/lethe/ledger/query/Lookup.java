package dev.lethe.ledger.query;

import dev.lethe.ledger.domain.RequestState;
import org.apache.kafka.streams.state.HostInfo;

/** The answer of a key lookup in the ledger. */
public sealed interface Lookup {

    /** This instance owns the key and has the request. */
    record Found(RequestState state) implements Lookup {
    }

    /** This instance owns the key, is up to date, and has no such request. */
    record NotFound() implements Lookup {
    }

    /** Another instance owns the key. */
    record Elsewhere(HostInfo owner) implements Lookup {
    }

    /** No answer can be given now (rebalancing, restoring, not yet caught up); try again. */
    record Unavailable(String reason) implements Lookup {
    }
}
