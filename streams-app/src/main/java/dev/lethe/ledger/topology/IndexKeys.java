package dev.lethe.ledger.topology;

import java.time.Instant;

/**
 * Keys of the secondary index stores, UTF-8 strings whose byte order is the order a list wants:
 * a 19-digit zero-padded number, {@code |}, the request id. {@link #newestFirst} inverts the time
 * so an ascending range scan yields the newest first; {@link #earliestFirst} does not.
 */
public final class IndexKeys {

    private static final char SEPARATOR = '|';
    private static final String ZEROS = "0000000000000000000";
    private static final String OWED = "owed|";
    private static final String OBLIGATION = "obligation|";

    private IndexKeys() {
    }

    public static String newestFirst(Instant at, String requestId) {
        return pad(Long.MAX_VALUE - at.toEpochMilli()) + SEPARATOR + requestId;
    }

    public static String earliestFirst(Instant at, String requestId) {
        return pad(Math.max(0, at.toEpochMilli())) + SEPARATOR + requestId;
    }

    /** Where a newest-first scan starts to see entries no newer than {@code newest}. */
    public static String newestFirstStart(Instant newest) {
        return pad(Long.MAX_VALUE - newest.toEpochMilli());
    }

    /** Where a newest-first scan ends to see entries no older than {@code oldest}. */
    public static String newestFirstEnd(Instant oldest) {
        return pad(Long.MAX_VALUE - oldest.toEpochMilli()) + (char) (SEPARATOR + 1);
    }

    /** The last key of an earliest-first index at or before {@code at}. */
    public static String earliestFirstThrough(Instant at) {
        return pad(Math.max(0, at.toEpochMilli())) + (char) (SEPARATOR + 1);
    }

    public static String subject(String subjectKey, String requestId) {
        return subjectKey + SEPARATOR + requestId;
    }

    public static String subjectFirst(String subjectKey) {
        return subjectKey + SEPARATOR;
    }

    public static String subjectLast(String subjectKey) {
        return subjectKey + (char) (SEPARATOR + 1);
    }

    /**
     * One open obligation of {@code system} in the {@code owed-since} index:
     * {@code owed|<system>|<since, earliest first>|<request id>}, so the first key of the
     * system's range ({@link #owedFirst}, {@link #owedLast}) is its oldest open obligation.
     */
    public static String owed(String system, Instant since, String requestId) {
        return owedFirst(system) + earliestFirst(since, requestId);
    }

    public static String owedFirst(String system) {
        return OWED + system + SEPARATOR;
    }

    public static String owedLast(String system) {
        return OWED + system + (char) (SEPARATOR + 1);
    }

    /** Where every system's obligations lie: {@code [owedAll(), owedAllEnd())}. */
    public static String owedAll() {
        return OWED;
    }

    public static String owedAllEnd() {
        return OWED.substring(0, OWED.length() - 1) + (char) (SEPARATOR + 1);
    }

    /** The system of an {@link #owed} key. */
    public static String owedSystem(String owedKey) {
        return owedKey.substring(OWED.length(), owedKey.indexOf(SEPARATOR, OWED.length()));
    }

    /** The time since which an {@link #owed} key's obligation is open. */
    public static Instant owedSince(String owedKey) {
        final int start = owedKey.indexOf(SEPARATOR, OWED.length()) + 1;
        return Instant.ofEpochMilli(Long.parseLong(owedKey.substring(start, start + ZEROS.length())));
    }

    /** The entry of the {@code owed-since} index that remembers the {@link #owed} key of one obligation. */
    static String owedEntry(String requestId, String system) {
        return OBLIGATION + requestId + SEPARATOR + system;
    }

    /** {@code value} (not negative) as 19 digits, zero-padded: on the hot path, so not String.format. */
    static String pad(long value) {
        final String digits = Long.toString(value);
        return ZEROS.substring(digits.length()) + digits;
    }
}
