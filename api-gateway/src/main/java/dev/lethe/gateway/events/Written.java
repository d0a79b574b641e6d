package dev.lethe.gateway.events;

/**
 * Where an event was durably written: the ledger is asked to wait until it has processed this
 * position, so that a read right after a write sees it.
 */
public record Written(String topic, int partition, long offset) {
}
