package dev.lethe.gateway.http;

import io.javalin.http.Context;
import io.javalin.http.Header;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Checks of a call's shape that come before any handler: a request target whose percent-escapes
 * decode to valid UTF-8 text ({@code malformed_uri}, 400, for every path, before authentication,
 * since nothing can be routed safely otherwise), only the query parameters the route declares
 * ({@code unknown_field}, 400, naming the parameter), and a body sent as JSON
 * ({@code unsupported_media_type}, 415). Messages never repeat the caller's values.
 */
public final class RequestChecks {

    private RequestChecks() {
    }

    /** Refuses a path or query string with a bad percent-escape, invalid UTF-8 or a control character. */
    public static void wellFormed(Context ctx) {
        if (decoded(ctx.req().getRequestURI(), false) == null) {
            throw malformed("the path has a malformed percent-escape, is not UTF-8 or holds a control character",
                    null);
        }
        final String query = ctx.req().getQueryString();
        if (query == null || query.isEmpty()) {
            return;
        }
        for (final String pair : query.split("&", -1)) {
            final int equals = pair.indexOf('=');
            final String name = decoded(equals < 0 ? pair : pair.substring(0, equals), true);
            if (name == null) {
                throw malformed("a query parameter's name has a malformed percent-escape, is not UTF-8 or holds a "
                        + "control character", null);
            }
            if (equals >= 0 && decoded(pair.substring(equals + 1), true) == null) {
                throw malformed("query parameter " + name + " has a malformed percent-escape, is not UTF-8 or holds a "
                        + "control character", name);
            }
        }
    }

    /** Refuses query parameters that {@code route} does not declare, naming the first one. */
    public static void knownQuery(Context ctx, Route route) {
        for (final String name : ctx.queryParamMap().keySet()) {
            if (!route.query().contains(name)) {
                throw ApiException.badRequest("unknown_field", "unknown query parameter " + name
                        + (route.query().isEmpty() ? " (this route takes none)"
                        : " (known: " + String.join(", ", route.query()) + ")"), name);
            }
        }
    }

    /** Refuses a body that is not declared as JSON on a route that takes one (an empty body needs no type). */
    public static void jsonBody(Context ctx, Route route) {
        if (route.requestBody() == null || !hasBody(ctx)) {
            return;
        }
        final String type = ctx.header(Header.CONTENT_TYPE);
        final String media = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!media.equals("application/json") && !(media.startsWith("application/") && media.endsWith("+json"))) {
            throw new ApiException(415, "unsupported_media_type", "the body must be JSON, sent as "
                    + "'Content-Type: application/json'", null, null);
        }
    }

    private static boolean hasBody(Context ctx) {
        return ctx.req().getContentLengthLong() > 0 || ctx.header(Header.TRANSFER_ENCODING) != null;
    }

    /** {@code raw} with its percent-escapes decoded ({@code +} as a space in a query), or null when malformed. */
    static String decoded(String raw, boolean query) {
        final ByteBuffer bytes = ByteBuffer.allocate(raw.length() * 3);
        for (int i = 0; i < raw.length(); i++) {
            final char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0
                        || Character.digit(raw.charAt(i + 2), 16) < 0) {
                    return null;
                }
                bytes.put((byte) Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                i += 2;
            } else if (c > 0x7f) {
                // Not escaped: the server already read these as text; keep them as their UTF-8 bytes.
                bytes.put(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            } else {
                bytes.put((byte) (query && c == '+' ? ' ' : c));
            }
        }
        bytes.flip();
        try {
            final String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
            return Text.problemInValue(text) == null ? text : null;
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static ApiException malformed(String message, String field) {
        return ApiException.badRequest("malformed_uri", message, field);
    }
}
