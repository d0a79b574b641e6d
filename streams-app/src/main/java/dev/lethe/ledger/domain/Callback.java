package dev.lethe.ledger.domain;

import java.time.Instant;

/** One system's answer about one request. */
public record Callback(String eventId, String requestId, String system, Instant at, String actor,
                       Outcome outcome, Long itemsErased, String detail, String legalBasis) {
}
