package dev.lethe.gateway.http;

import dev.lethe.gateway.auth.Role;
import java.util.function.Predicate;

/**
 * Who may call a route, declared once per route in the route table: checked by {@link Guard}
 * before the handler runs and written into {@code /openapi.json}. {@link #PARTNER} only
 * authenticates: its handler decides, since the answer depends on the path's system.
 */
public enum Access {
    /** No token needed. */
    PUBLIC("no token", role -> true),
    /** Any valid token. */
    ANY_ROLE("any role", role -> true),
    SUBMITTER("submitter or admin", Role::maySubmit),
    APPROVER("approver or admin", role -> role.kind() == Role.Kind.APPROVER || role.isAdmin()),
    ADMIN("admin", Role::isAdmin),
    /** The partner of the path's system, admin, or approver when the system's mode is manual. */
    PARTNER("partner:<system> of the path's system, admin, or approver for a manual system", role -> true);

    private final String description;
    private final Predicate<Role> allowed;

    Access(String description, Predicate<Role> allowed) {
        this.description = description;
        this.allowed = allowed;
    }

    /** For people: who may call. */
    public String description() {
        return description;
    }

    /** Whether {@code role} passes this access check. */
    public boolean allows(Role role) {
        return allowed.test(role);
    }
}
