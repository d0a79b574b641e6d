package dev.lethe.gateway.erasure;

import dev.lethe.gateway.http.ApiException;
import dev.lethe.gateway.http.Text;
import java.util.Collection;
import java.util.List;

/**
 * Checks of single body fields, each naming the field's JSON path when it refuses. Messages
 * never repeat the values, which may be personal data.
 */
final class Fields {

    private Fields() {
    }

    /** A required, non-blank string of at most {@code max} characters. */
    static String text(String value, String field, int max) {
        if (value == null) {
            throw missing(field);
        }
        return optionalText(value, field, max);
    }

    /** A required, non-blank identifier value of at most {@code max} characters, without control characters. */
    static String value(String value, String field, int max) {
        final String present = text(value, field, max);
        final String problem = Text.problemInValue(present);
        if (problem != null) {
            throw invalid(field, field + " " + problem);
        }
        return present;
    }

    /** Null, or a non-blank string of at most {@code max} characters. */
    static String optionalText(String value, String field, int max) {
        if (value == null) {
            return null;
        }
        if (value.isBlank()) {
            throw invalid(field, field + " must not be blank");
        }
        if (value.length() > max) {
            throw invalid(field, field + " is longer than " + max + " characters");
        }
        return value;
    }

    /** A required object. */
    static <T> T present(T value, String field) {
        if (value == null) {
            throw missing(field);
        }
        return value;
    }

    /** Null as an empty list; else at most {@code max} elements, none null. */
    static <T> List<T> list(List<T> values, String field, int max) {
        if (values == null) {
            return List.of();
        }
        if (values.size() > max) {
            throw invalid(field, field + " has more than " + max + " entries");
        }
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                throw invalid(field + "[" + i + "]", field + "[" + i + "] must not be null");
            }
        }
        return values;
    }

    /** A required string that is one of {@code allowed}; else {@code code} naming the allowed values. */
    static String oneOf(String value, String field, Collection<String> allowed, String code) {
        final String present = text(value, field, 256);
        if (!allowed.contains(present)) {
            throw ApiException.badRequest(code, field + " must be one of " + String.join(", ", allowed), field);
        }
        return present;
    }

    /** An integer in {@code min..max}. */
    static long range(long value, String field, long min, long max) {
        if (value < min || value > max) {
            throw invalid(field, field + " must be between " + min + " and " + max);
        }
        return value;
    }

    static ApiException missing(String field) {
        return ApiException.badRequest("missing_field", field + " is required", field);
    }

    static ApiException invalid(String field, String message) {
        return ApiException.badRequest("invalid_value", message, field);
    }
}
