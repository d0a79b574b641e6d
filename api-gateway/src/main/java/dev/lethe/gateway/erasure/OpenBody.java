package dev.lethe.gateway.erasure;

/**
 * The body of {@code POST /v1/erasures/{id}/systems/{system}/identifiers}: the {@code sealed}
 * field of the request's {@code ErasureEvent}, base64 (standard alphabet, padded).
 */
public record OpenBody(String sealed) {
}
