/**
 * The OpenDSR protocol (formerly OpenGDPR, github.com/opengdpr/OpenDSR), shared by the ledger's
 * {@code opendsr} executor and the gateway's OpenDSR endpoints: signing and verifying bodies (RSA
 * with SHA-256 over the raw bytes), checking a processor's certificate against trusted roots, its
 * validity period and its domain, reading a processor's discovery document, hashing identities,
 * the stable {@code subject_request_id} of a (request, system) and the evidence text kept in the
 * audit. Only the JDK's {@code java.security} is used here; no home-made cryptography.
 */
package dev.lethe.schemas.opendsr;
