package dev.lethe.schemas.opendsr;

/**
 * The evidence text kept for a signed OpenDSR message in a callback's {@code detail} (and so in
 * the hash-chained audit and on the certificate of erasure): what it was, the processor's status,
 * who signed it (domain, SHA-256 of the certificate), the SHA-256 of the raw body and the
 * signature itself. A SHA-256 RSA signature can be checked against the body's digest alone, so
 * the evidence stays verifiable without keeping the body, which for a receipt quotes the request
 * (its {@code encoded_request}, which the spec forbids a controller to store).
 */
public final class Evidence {

    /** How every evidence text begins. */
    public static final String PREFIX = "opendsr ";

    private Evidence() {
    }

    /**
     * @param kind   {@code receipt}, {@code status} (a polled status) or {@code callback}
     * @param status the processor's {@code request_status}, or null for a receipt
     */
    public static String of(String kind, String subjectRequestId, String status, Processors.Verified signer,
                            byte[] body) {
        return PREFIX + kind
                + (status == null ? "" : " status=" + status)
                + " subject_request_id=" + subjectRequestId
                + " domain=" + signer.domain()
                + " certificate-sha256=" + signer.fingerprint()
                + " body-sha256=" + Signatures.sha256(body)
                + " signature=" + signer.signature();
    }
}
