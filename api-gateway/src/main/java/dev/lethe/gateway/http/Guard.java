package dev.lethe.gateway.http;

import dev.lethe.gateway.auth.Authenticator;
import dev.lethe.gateway.auth.Role;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the {@code Authorization: Bearer <token>} of a call: no token or an unknown one is a
 * 401, a role that may not do this a 403. Every refusal is counted
 * ({@code lethe_auth_refusals_total{reason}}) and logged with the method, the route template
 * (never the concrete path, which may hold an identifier) and the role, never with the token.
 */
public final class Guard {

    /** The context attribute holding the matched route template. */
    public static final String ROUTE_ATTRIBUTE = "lethe.route";
    static final String REFUSALS = "lethe.auth.refusals";
    private static final Logger LOG = LoggerFactory.getLogger(Guard.class);
    private static final String BEARER = "bearer ";

    private final Authenticator authenticator;
    private final MeterRegistry meters;

    public Guard(Authenticator authenticator, MeterRegistry meters) {
        this.authenticator = authenticator;
        this.meters = meters;
    }

    /** The caller's role when {@code access} lets it in; null for a public route. */
    public Role authorize(Context ctx, Access access) {
        return access == Access.PUBLIC ? null : require(ctx, access::allows);
    }

    /** The caller's role when it passes {@code allowed}; else a 401 or 403 {@link ApiException}. */
    public Role require(Context ctx, Predicate<Role> allowed) {
        final Role role = authenticate(ctx);
        if (!allowed.test(role)) {
            throw forbidden(ctx, role);
        }
        return role;
    }

    /** Counts and logs a 403 for {@code role}, and returns it to throw. */
    public ApiException forbidden(Context ctx, Role role) {
        refused(ctx, "forbidden", "role " + role.name() + " may not do this");
        return ApiException.forbidden("role " + role.name() + " may not do this");
    }

    /**
     * A stable, secret-free identity of the caller: the SHA-256 hex of its bearer token. Call
     * only after the caller was authenticated.
     */
    public static String callerKey(Context ctx) {
        final String header = ctx.header(Header.AUTHORIZATION);
        final String token = header == null || header.length() <= BEARER.length() ? ""
                : header.substring(BEARER.length()).strip();
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** The matched route template of {@code ctx}, safe to log. */
    public static String route(Context ctx) {
        final Object route = ctx.attribute(ROUTE_ATTRIBUTE);
        return route == null ? "(unmatched)" : route.toString();
    }

    private Role authenticate(Context ctx) {
        final String header = ctx.header(Header.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            refused(ctx, "missing_token", "no Authorization header");
            throw ApiException.unauthorized("an 'Authorization: Bearer <token>' header is required");
        }
        if (header.length() <= BEARER.length() || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            refused(ctx, "not_bearer", "Authorization is not a bearer token");
            throw ApiException.unauthorized("the Authorization header must be 'Bearer <token>'");
        }
        return authenticator.authenticate(header.substring(BEARER.length()).strip()).orElseThrow(() -> {
            refused(ctx, "unknown_token", "unknown token");
            return ApiException.unauthorized("the token is not known");
        });
    }

    private void refused(Context ctx, String reason, String detail) {
        Counter.builder(REFUSALS).description("calls refused by authentication or authorization")
                .tag("reason", reason).register(meters).increment();
        LOG.warn("refused {} {}: {}", ctx.method(), route(ctx), detail);
    }
}
