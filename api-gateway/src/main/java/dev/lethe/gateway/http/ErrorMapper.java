package dev.lethe.gateway.http;

import dev.lethe.gateway.events.WriteFailedException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where exceptions become HTTP answers. Every answer it writes has the
 * {@link ErrorBody} shape: {@link ApiException}s keep their code, message and field; Javalin's
 * own refusals (no such route, wrong method) get a code from their status; a failed event write
 * is a 503 with {@code Retry-After}; anything else is a 500 {@code internal_error} with a generic
 * message, logged once with its stack trace.
 */
public final class ErrorMapper {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);
    static final int WRITE_RETRY_AFTER_SECONDS = 5;

    private ErrorMapper() {
    }

    /** Registers the mapping on a Javalin configuration. */
    public static void install(RoutesConfig routes) {
        routes.exception(HttpResponseException.class, ErrorMapper::httpError);
        routes.exception(WriteFailedException.class, ErrorMapper::writeFailed);
        routes.exception(Exception.class, ErrorMapper::unexpected);
    }

    static void httpError(HttpResponseException e, Context ctx) {
        if (e instanceof ApiException api) {
            write(ctx, api);
        } else {
            write(ctx, new ApiException(e.getStatus(), codeFor(e.getStatus()), e.getMessage(), null, null));
        }
    }

    static void writeFailed(WriteFailedException e, Context ctx) {
        LOG.warn("{} {}: event not written", ctx.method(), Guard.route(ctx), e);
        write(ctx, ApiException.unavailable("the event log cannot take the write now; nothing was accepted, try again",
                WRITE_RETRY_AFTER_SECONDS));
    }

    static void unexpected(Exception e, Context ctx) {
        LOG.error("{} {} failed unexpectedly", ctx.method(), Guard.route(ctx), e);
        write(ctx, new ApiException(500, "internal_error", "the gateway failed unexpectedly; the failure is logged",
                null, null));
    }

    private static void write(Context ctx, ApiException e) {
        if (e.retryAfterSeconds() != null) {
            ctx.header(Header.RETRY_AFTER, Integer.toString(e.retryAfterSeconds()));
        }
        if (e.status() == 401) {
            ctx.header(Header.WWW_AUTHENTICATE, "Bearer");
        }
        ctx.status(e.status()).json(new ErrorBody(e.code(), e.getMessage(), e.field()));
    }

    private static String codeFor(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 409 -> "conflict";
            case 413 -> "body_too_large";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal_error" : "bad_request";
        };
    }
}
