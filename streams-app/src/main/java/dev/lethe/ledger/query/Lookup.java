package dev.lethe.ledger.query;

import org.apache.kafka.streams.state.HostInfo;

/**
 * The answer of a key lookup in the ledger.
 *
 * @param <T> what a found key yields
 */
public sealed interface Lookup<T> {

    /** This instance owns the key and has the request. */
    record Found<T>(T value) implements Lookup<T> {
    }

    /** This instance owns the key, is up to date, and has no such request. */
    record NotFound<T>() implements Lookup<T> {
    }

    /** Another instance owns the key. */
    record Elsewhere<T>(HostInfo owner) implements Lookup<T> {
    }

    /** No answer can be given now (rebalancing, restoring, not yet caught up); try again. */
    record Unavailable<T>(String reason) implements Lookup<T> {
    }
}
