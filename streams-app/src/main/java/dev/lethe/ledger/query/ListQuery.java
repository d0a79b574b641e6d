package dev.lethe.ledger.query;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One page request of {@code GET /internal/v1/requests}: filters, the time field the list is
 * ordered by (newest first), its range, a page size and the cursor after which to continue.
 * The cursor is opaque to callers: the index key of the last item of the previous page. A cursor
 * that is not one (another list's, or garbage) and a time outside what the index keys hold are
 * refused with the parameter's name (400), never passed to a store.
 */
public record ListQuery(Field field, String status, String system, String systemStatus, Boolean overdue,
                        Instant from, Instant to, int limit, String after, Boolean attention) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;
    /** The times a list can be bounded by: what the index keys (epoch milliseconds, 19 digits) can hold. */
    static final Instant EARLIEST = Instant.EPOCH;
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");
    /** An index key ({@code IndexKeys}): 19 digits, {@code |}, a request id. */
    private static final Pattern SORT_KEY = Pattern.compile("\\d{19}\\|[^|\\p{Cntrl}]+");
    private static final Set<String> STATUSES = Set.of("RECEIVED", "PENDING_APPROVAL", "SCHEDULED", "IN_PROGRESS",
            "COMPLETED", "COMPLETED_WITH_EXCEPTIONS", "REJECTED", "CANCELLED");
    private static final Set<String> SYSTEM_STATUSES = Set.of("PENDING", "DISPATCHED", "IN_PROGRESS", "DONE",
            "NOT_FOUND", "RETAINED", "FAILED");

    /** Which time a list is ordered and bounded by. */
    public enum Field { REQUESTED_AT, FINISHED_AT }

    /** A bad parameter, with the parameter's name. */
    public static final class BadQueryException extends IllegalArgumentException {
        private final String parameter;

        BadQueryException(String parameter, String message) {
            super(message);
            this.parameter = parameter;
        }

        public String parameter() {
            return parameter;
        }
    }

    public static ListQuery parse(Map<String, List<String>> params) {
        final Field field = field(first(params, "field"));
        final String status = oneOf(params, "status", STATUSES);
        final String systemStatus = oneOf(params, "systemStatus", SYSTEM_STATUSES);
        final String overdue = first(params, "overdue");
        if (overdue != null && !overdue.equals("true") && !overdue.equals("false")) {
            throw new BadQueryException("overdue", "overdue must be true or false");
        }
        final String attention = first(params, "attention");
        if (attention != null && !attention.equals("true") && !attention.equals("false")) {
            throw new BadQueryException("attention", "attention must be true or false");
        }
        final int limit = limit(first(params, "limit"));
        final String cursor = first(params, "cursor");
        return new ListQuery(field, status, first(params, "system"), systemStatus,
                overdue == null ? null : Boolean.valueOf(overdue), time(params, "from"), time(params, "to"), limit,
                cursor == null ? null : decodeCursor(field, cursor),
                attention == null ? null : Boolean.valueOf(attention));
    }

    /** The same query as URL parameters (for another instance). */
    public Map<String, String> toParams() {
        final Map<String, String> params = new LinkedHashMap<>();
        params.put("field", field == Field.FINISHED_AT ? "finishedAt" : "requestedAt");
        put(params, "status", status);
        put(params, "system", system);
        put(params, "systemStatus", systemStatus);
        put(params, "overdue", overdue == null ? null : overdue.toString());
        put(params, "attention", attention == null ? null : attention.toString());
        put(params, "from", from == null ? null : from.toString());
        put(params, "to", to == null ? null : to.toString());
        params.put("limit", Integer.toString(limit));
        put(params, "cursor", after == null ? null : cursor(after));
        return params;
    }

    /** The cursor a caller passes to continue after {@code sortKey}. */
    public String cursor(String sortKey) {
        final String text = (field == Field.FINISHED_AT ? "f:" : "r:") + sortKey;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeCursor(Field field, String cursor) {
        final String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadQueryException("cursor", "cursor is not one this API returned");
        }
        final String prefix = field == Field.FINISHED_AT ? "f:" : "r:";
        if (!text.startsWith(prefix) || text.length() <= prefix.length()) {
            throw new BadQueryException("cursor", "cursor belongs to another list (field) or is not one this API returned");
        }
        final String sortKey = text.substring(prefix.length());
        if (!SORT_KEY.matcher(sortKey).matches()) {
            throw new BadQueryException("cursor", "cursor is not one this API returned");
        }
        return sortKey;
    }

    private static Field field(String value) {
        if (value == null || value.equals("requestedAt")) {
            return Field.REQUESTED_AT;
        }
        if (value.equals("finishedAt")) {
            return Field.FINISHED_AT;
        }
        throw new BadQueryException("field", "field must be requestedAt or finishedAt");
    }

    private static String oneOf(Map<String, List<String>> params, String name, Set<String> allowed) {
        final String value = first(params, name);
        if (value != null && !allowed.contains(value)) {
            throw new BadQueryException(name, name + " must be one of " + allowed.stream().sorted().toList());
        }
        return value;
    }

    private static int limit(String value) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        try {
            final int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadQueryException("limit", "limit must be a whole number from 1 to " + MAX_LIMIT);
    }

    private static Instant time(Map<String, List<String>> params, String name) {
        final String value = first(params, name);
        if (value == null) {
            return null;
        }
        final Instant time;
        try {
            time = Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new BadQueryException(name, name + " must be an RFC 3339 UTC time such as 2026-05-01T00:00:00Z");
        }
        if (time.isBefore(EARLIEST) || time.isAfter(LATEST)) {
            throw new BadQueryException(name, name + " must be between " + EARLIEST + " and " + LATEST);
        }
        return time;
    }

    private static String first(Map<String, List<String>> params, String name) {
        final List<String> values = params.get(name);
        return values == null || values.isEmpty() || values.get(0).isBlank() ? null : values.get(0);
    }

    private static void put(Map<String, String> params, String name, String value) {
        if (value != null) {
            params.put(name, value);
        }
    }
}
