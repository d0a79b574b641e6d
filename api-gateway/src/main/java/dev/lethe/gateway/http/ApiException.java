package dev.lethe.gateway.http;

import io.javalin.http.HttpResponseException;

/**
 * A refusal with a machine code, a message for a person and, when one field is at fault, its
 * JSON path. Thrown anywhere in the gateway and turned into the API's error body by
 * {@link ErrorMapper}, the one place that writes error answers.
 */
public final class ApiException extends HttpResponseException {

    private final String code;
    private final String field;
    private final Integer retryAfterSeconds;

    public ApiException(int status, String code, String message, String field, Integer retryAfterSeconds) {
        super(status, message);
        this.code = code;
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 400 about one field (or about the body as a whole when {@code field} is null). */
    public static ApiException badRequest(String code, String message, String field) {
        return new ApiException(400, code, message, field, null);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, "unauthorized", message, null, null);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, "forbidden", message, null, null);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message, null, null);
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, "conflict", message, null, null);
    }

    /** 503 with a {@code Retry-After} of {@code retryAfterSeconds}. */
    public static ApiException unavailable(String message, int retryAfterSeconds) {
        return new ApiException(503, "unavailable", message, null, retryAfterSeconds);
    }

    public static ApiException badGateway(String message) {
        return new ApiException(502, "bad_gateway", message, null, null);
    }

    public int status() {
        return getStatus();
    }

    public String code() {
        return code;
    }

    /** The JSON path of the field at fault, or null. */
    public String field() {
        return field;
    }

    /** Seconds for the {@code Retry-After} header, or null for none. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
