package dev.lethe.ledger.domain;

/** One identifier of a data subject. The value is personal data. */
public record Identifier(String namespace, String value) {
}
