package dev.lethe.ledger.query;

/**
 * Whether a request id the ledger store does not hold may still be on its way: written to
 * {@code erasure.requests} but not yet applied. A GET right after a 202 must never answer 404
 * for the accepted id, so "not found" is only said when this answers false.
 */
@FunctionalInterface
public interface AppliedCheck {

    /**
     * @param partition the key's partition of {@code erasure.requests}
     * @param key       the key as written (serialized)
     * @return true when a record with this key lies after what the ledger has committed, or when
     *         that cannot be ruled out in time
     */
    boolean pending(int partition, byte[] key);
}
