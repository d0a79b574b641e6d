package dev.lethe.ledger.domain;

import java.time.Instant;

/** One system's obligation within one request, frozen at dispatch. */
public record SystemTarget(String name, SystemStatus status, int attempts, Instant updatedAt,
                           Long itemsErased, String detail, String legalBasis) {

    SystemTarget with(SystemStatus newStatus, Instant at) {
        return new SystemTarget(name, newStatus, attempts, at, itemsErased, detail, legalBasis);
    }
}
