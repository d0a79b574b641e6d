package dev.lethe.gateway.erasure;

import dev.lethe.gateway.http.ApiException;
import java.util.Locale;
import java.util.regex.Pattern;

/** Request ids are UUIDs in their canonical text form; anything else names no request (404). */
public final class RequestIds {

    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private RequestIds() {
    }

    /** Whether {@code text} is a request id (a UUID); anything else may be whatever a caller put in a path. */
    public static boolean isRequestId(String text) {
        return text != null && UUID.matcher(text).matches();
    }

    /** {@code text} in lower case when it is a UUID; else a 404. */
    static String parse(String text) {
        if (!isRequestId(text)) {
            throw ApiException.notFound("no erasure request has this id (ids are UUIDs)");
        }
        return text.toLowerCase(Locale.ROOT);
    }
}
