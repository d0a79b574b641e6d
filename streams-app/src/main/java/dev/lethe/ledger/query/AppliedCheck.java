package dev.lethe.ledger.query;

/**
 * Whether a request id the ledger store does not hold may still be on its way: written to
 * {@code erasure.requests} but not yet applied. A GET right after a 202 must never answer 404
 * for the accepted id, so "not found" is only said once the ledger has applied everything written
 * to the id's partition before the GET ({@link #endOffset}), or when {@link #pending} answers false.
 */
public interface AppliedCheck {

    /**
     * The end offset of partition {@code partition} of {@code erasure.requests}, its high watermark
     * (the offset the next record will get): every record acknowledged before this call lies below
     * it, also while a transaction is open on the partition (a last stable offset would stop before
     * that transaction). The last offsets may be transaction markers, which no processor sees.
     * -1 when it cannot be had in time.
     */
    long endOffset(int partition);

    /**
     * @param partition the key's partition of {@code erasure.requests}
     * @param key       the key as written (serialized)
     * @return true when a record with this key lies after what the ledger has committed, or when
     *         that cannot be ruled out in time
     */
    boolean pending(int partition, byte[] key);
}
