package dev.lethe.gateway.http;

import dev.lethe.gateway.auth.Authenticator;
import dev.lethe.gateway.auth.Role;
import io.javalin.http.Context;
import io.javalin.http.Header;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the {@code Authorization: Bearer <token>} of a call: no token or an unknown one is a
 * 401, a role that may not do this a 403. Refusals are logged with the method, path and role,
 * never with the token.
 */
public final class Guard {

    private static final Logger LOG = LoggerFactory.getLogger(Guard.class);
    private static final String BEARER = "bearer ";

    private final Authenticator authenticator;

    public Guard(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    /** Any authenticated role. */
    public static boolean anyRole(Role role) {
        return true;
    }

    /** The caller's role when it passes {@code allowed}; else a 401 or 403 {@link ApiException}. */
    public Role require(Context ctx, Predicate<Role> allowed) {
        final Role role = authenticate(ctx);
        if (!allowed.test(role)) {
            LOG.warn("refused {} {}: role {} may not do this", ctx.method(), ctx.path(), role.name());
            throw ApiException.forbidden("role " + role.name() + " may not do this");
        }
        return role;
    }

    private Role authenticate(Context ctx) {
        final String header = ctx.header(Header.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            LOG.warn("refused {} {}: no Authorization header", ctx.method(), ctx.path());
            throw ApiException.unauthorized("an 'Authorization: Bearer <token>' header is required");
        }
        if (header.length() <= BEARER.length() || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            LOG.warn("refused {} {}: Authorization is not a bearer token", ctx.method(), ctx.path());
            throw ApiException.unauthorized("the Authorization header must be 'Bearer <token>'");
        }
        return authenticator.authenticate(header.substring(BEARER.length()).strip()).orElseThrow(() -> {
            LOG.warn("refused {} {}: unknown token", ctx.method(), ctx.path());
            return ApiException.unauthorized("the token is not known");
        });
    }
}
