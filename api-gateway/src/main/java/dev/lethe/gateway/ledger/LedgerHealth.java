package dev.lethe.gateway.ledger;

/**
 * Whether the ledger can serve: {@code up}, or down with its state ({@code REBALANCING},
 * {@code UNREACHABLE}, ...).
 */
public record LedgerHealth(boolean up, String state) {

    public static final String UNREACHABLE = "UNREACHABLE";

    public static LedgerHealth running() {
        return new LedgerHealth(true, "RUNNING");
    }
}
