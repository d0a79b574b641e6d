package dev.lethe.gateway.erasure;

import dev.lethe.gateway.http.ApiException;
import dev.lethe.gateway.http.Text;
import dev.lethe.schemas.systems.SystemsValidator;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The checked filters of a request list ({@code GET /v1/erasures} and the bulk retry): each
 * known parameter checked (times within what the ledger indexes, a cursor in the ledger's shape
 * and of the same list), an unknown one refused, all with the parameter's name as {@code field}. {@link #toLedger()} gives the ledger's query parameters.
 */
public record ListQuery(String status, String system, Boolean overdue, String field, Instant from, Instant to,
                        int limit, String cursor, String systemStatus, Boolean attention) {

    public static final List<String> STATUSES = List.of("RECEIVED", "PENDING_APPROVAL", "SCHEDULED", "IN_PROGRESS",
            "COMPLETED", "COMPLETED_WITH_EXCEPTIONS", "REJECTED", "CANCELLED");
    public static final int LIMIT_MAX = 500;
    public static final int DEFAULT_LIMIT = 50;
    static final int CURSOR_MAX = 1024;
    /** The times a list can be bounded by: what the ledger's index keys (epoch milliseconds) can hold. */
    static final Instant EARLIEST = Instant.EPOCH;
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern CURSOR_KEY = Pattern.compile("\\d{19}\\|[^|]{1,200}");
    public static final List<String> SYSTEM_STATUSES = List.of("PENDING", "DISPATCHED", "IN_PROGRESS", "DONE",
            "NOT_FOUND", "RETAINED", "FAILED");
    private static final Set<String> PARAMETERS = Set.of("status", "system", "systemStatus", "overdue", "field",
            "from", "to", "limit", "cursor", "attention");

    /** The query of {@code GET /v1/erasures}, from its query parameters (each given at most once). */
    public static ListQuery fromParameters(Map<String, List<String>> parameters) {
        for (final Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            if (!PARAMETERS.contains(parameter.getKey())) {
                throw ApiException.badRequest("unknown_field", "unknown query parameter " + parameter.getKey()
                        + " (known: status, system, systemStatus, overdue, field, from, to, limit, cursor, attention)",
                        parameter.getKey());
            }
            if (parameter.getValue().size() > 1) {
                throw ApiException.badRequest("invalid_value", parameter.getKey() + " is given more than once",
                        parameter.getKey());
            }
        }
        final Map<String, String> single = new LinkedHashMap<>();
        parameters.forEach((name, values) -> single.put(name, values.get(0)));
        return of(single.get("status"), single.get("system"), overdue(single.get("overdue")), single.get("field"),
                single.get("from"), single.get("to"), limit(single.get("limit")), single.get("cursor"),
                single.get("systemStatus"))
                .withAttention(flag(single.get("attention"), "attention"));
    }

    /** This query, only of requests that need a person ({@code true}), that do not, or either (null). */
    public ListQuery withAttention(Boolean needsAttention) {
        return new ListQuery(status, system, overdue, field, from, to, limit, cursor, systemStatus, needsAttention);
    }

    /** A checked query; null means "no filter" for each filter. */
    public static ListQuery of(String status, String system, Boolean overdue, String field, String from, String to,
                               int limit, String cursor, String systemStatus) {
        if (status != null && !STATUSES.contains(status)) {
            throw invalid("status", "status must be one of " + String.join(", ", STATUSES));
        }
        if (system != null && !SystemsValidator.NAME.matcher(system).matches()) {
            throw invalid("system", "system must be a system name (lower-case letters, digits, '_', '.', '-')");
        }
        if (systemStatus != null && !SYSTEM_STATUSES.contains(systemStatus)) {
            throw invalid("systemStatus", "systemStatus must be one of " + String.join(", ", SYSTEM_STATUSES));
        }
        if (field != null && !field.equals("requestedAt") && !field.equals("finishedAt")) {
            throw invalid("field", "field must be requestedAt or finishedAt");
        }
        final Instant fromTime = instant(from, "from");
        final Instant toTime = instant(to, "to");
        if (fromTime != null && toTime != null && fromTime.isAfter(toTime)) {
            throw invalid("to", "to must not be before from");
        }
        if (limit < 1 || limit > LIMIT_MAX) {
            throw invalid("limit", "limit must be between 1 and " + LIMIT_MAX);
        }
        if (cursor != null && !isCursor(cursor, "finishedAt".equals(field) ? 'f' : 'r')) {
            throw invalid("cursor", "cursor must be the next cursor of an earlier page of the same list (same field)");
        }
        return new ListQuery(status, system, overdue, field, fromTime, toTime, limit, cursor, systemStatus, null);
    }

    /** Refuses a {@code system} filter that names no registered system. */
    public ListQuery requireRegistered(Supplier<Collection<String>> registered) {
        if (system != null && !registered.get().contains(system)) {
            throw ApiException.badRequest("unknown_system", "system names no registered system", "system");
        }
        return this;
    }

    /**
     * Whether {@code cursor} has the shape of the ledger's cursors: URL-safe base64 (unpadded) of
     * {@code kind ':' 19 digits '|' request id}, {@code kind} {@code r} (requestedAt) or {@code f}.
     */
    static boolean isCursor(String cursor, char kind) {
        if (cursor.isEmpty() || cursor.length() > CURSOR_MAX || !BASE64URL.matcher(cursor).matches()) {
            return false;
        }
        final byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(cursor);
        } catch (IllegalArgumentException e) {
            return false;
        }
        final String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return false;
        }
        return text.length() > 2 && text.charAt(0) == kind && CURSOR_KEY.matcher(text.substring(2)).matches()
                && text.charAt(1) == ':' && Text.problemInValue(text) == null;
    }

    /** This query on another page and with another limit. */
    public ListQuery page(String nextCursor, int pageLimit) {
        return new ListQuery(status, system, overdue, field, from, to, pageLimit, nextCursor, systemStatus,
                attention);
    }

    /** The ledger's query parameters ({@code GET /internal/v1/requests}). */
    public Map<String, String> toLedger() {
        final Map<String, String> query = new LinkedHashMap<>();
        put(query, "status", status);
        put(query, "system", system);
        put(query, "overdue", overdue == null ? null : overdue.toString());
        put(query, "field", field);
        put(query, "from", from == null ? null : from.toString());
        put(query, "to", to == null ? null : to.toString());
        query.put("limit", Integer.toString(limit));
        put(query, "cursor", cursor);
        put(query, "systemStatus", systemStatus);
        put(query, "attention", attention == null ? null : attention.toString());
        return query;
    }

    private static void put(Map<String, String> query, String name, String value) {
        if (value != null) {
            query.put(name, value);
        }
    }

    private static Boolean overdue(String text) {
        return flag(text, "overdue");
    }

    private static Boolean flag(String text, String name) {
        if (text == null) {
            return null;
        }
        if (!text.equals("true") && !text.equals("false")) {
            throw invalid(name, name + " must be true or false");
        }
        return Boolean.valueOf(text);
    }

    private static int limit(String text) {
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw invalid("limit", "limit must be a whole number between 1 and " + LIMIT_MAX);
        }
    }

    private static Instant instant(String text, String field) {
        if (text == null) {
            return null;
        }
        final Instant instant;
        try {
            instant = Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw invalid(field, field + " must be an RFC 3339 UTC time such as 2026-03-01T00:00:00Z");
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw invalid(field, field + " must be between " + EARLIEST + " and " + LATEST);
        }
        return instant;
    }

    private static ApiException invalid(String field, String message) {
        return ApiException.badRequest("invalid_value", message, field);
    }
}
