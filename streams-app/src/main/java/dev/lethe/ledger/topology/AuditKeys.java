package dev.lethe.ledger.topology;

/**
 * Keys of the {@code audit} store: {@code <request id>/<seq, 10 digits>}, UTF-8, so that one
 * request's facts are one contiguous range in sequence order.
 */
public final class AuditKeys {

    private AuditKeys() {
    }

    public static String of(String requestId, int seq) {
        final String digits = Integer.toString(seq);
        return requestId + '/' + "0000000000".substring(digits.length()) + digits;
    }

    public static String first(String requestId) {
        return of(requestId, 0);
    }

    public static String last(String requestId) {
        return of(requestId, Integer.MAX_VALUE);
    }
}
