package dev.lethe.gateway.erasure;

/** The body of {@code POST /v1/erasures/{id}/systems/{system}/callback}, exactly as sent. */
public record CallbackBody(String outcome, Long itemsErased, String detail, String legalBasis) {
}
