package dev.lethe.gateway.auth;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What a token may do: {@code submitter}, {@code approver}, {@code admin} (everything), or
 * {@code partner:<system>} (may report only on its own system). {@link #name()} is the text
 * form, also recorded as the actor of the events a role causes.
 *
 * @param kind   the kind of role
 * @param system the partner's system; null for every other kind
 */
public record Role(Kind kind, String system) {

    public static final Role SUBMITTER = new Role(Kind.SUBMITTER, null);
    public static final Role APPROVER = new Role(Kind.APPROVER, null);
    public static final Role ADMIN = new Role(Kind.ADMIN, null);

    private static final String PARTNER_PREFIX = "partner:";

    /** The kinds of role. */
    public enum Kind { SUBMITTER, APPROVER, ADMIN, PARTNER }

    public Role {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.PARTNER) == (system == null || system.isBlank())) {
            throw new IllegalArgumentException("a partner role, and only a partner role, names a system");
        }
    }

    /** The partner of {@code system}. */
    public static Role partner(String system) {
        return new Role(Kind.PARTNER, system);
    }

    /** The role named {@code text} ({@code submitter}, {@code partner:billing}, ...), or empty. */
    public static Optional<Role> parse(String text) {
        if (text.startsWith(PARTNER_PREFIX)) {
            final String system = text.substring(PARTNER_PREFIX.length());
            return system.isBlank() || !system.strip().equals(system) ? Optional.empty() : Optional.of(partner(system));
        }
        return switch (text) {
            case "submitter" -> Optional.of(SUBMITTER);
            case "approver" -> Optional.of(APPROVER);
            case "admin" -> Optional.of(ADMIN);
            default -> Optional.empty();
        };
    }

    /** The text form: {@code submitter}, {@code approver}, {@code admin} or {@code partner:<system>}. */
    public String name() {
        return kind == Kind.PARTNER ? PARTNER_PREFIX + system : kind.name().toLowerCase(Locale.ROOT);
    }

    public boolean isAdmin() {
        return kind == Kind.ADMIN;
    }

    /** May file erasure requests. */
    public boolean maySubmit() {
        return kind == Kind.SUBMITTER || isAdmin();
    }

    /** May report outcomes for {@code systemName}. */
    public boolean mayReportFor(String systemName) {
        return isAdmin() || kind == Kind.PARTNER && system.equals(systemName);
    }

    @Override
    public String toString() {
        return name();
    }
}
