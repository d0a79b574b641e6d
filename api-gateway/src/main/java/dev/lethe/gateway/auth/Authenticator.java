package dev.lethe.gateway.auth;

import dev.lethe.schemas.config.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Maps bearer tokens to {@link Role}s. Only SHA-256 hashes of the tokens are kept, and a
 * presented token is compared with every known hash through {@link MessageDigest#isEqual}, so
 * neither memory nor timing gives a token away. Immutable: {@link #with} returns a new instance.
 *
 * <p>Tokens come from the admin token ({@code LETHE_ADMIN_TOKEN}) and a tokens file
 * ({@code LETHE_TOKENS_FILE}): one {@code role token} pair a line, blank lines and lines
 * starting with {@code #} ignored. A token given again for the same role (e.g. the admin token
 * also listed as {@code admin} in the file) is accepted once; a bad line (unknown role, wrong
 * shape, short token, a token already given to another role) is a {@link ConfigException} that
 * names the variable, the file and the line; no error ever repeats a token.
 */
public final class Authenticator {

    /** The variable of the admin token. */
    public static final String ADMIN_TOKEN = "LETHE_ADMIN_TOKEN";
    /** The variable of the tokens file. */
    public static final String TOKENS_FILE = "LETHE_TOKENS_FILE";

    /** Shortest token accepted: a guessable token is refused at start-up. */
    public static final int MIN_TOKEN_LENGTH = 16;

    private final List<Grant> grants;

    private record Grant(byte[] hash, Role role, Where where) {
    }

    private Authenticator(List<Grant> grants) {
        this.grants = List.copyOf(grants);
    }

    /** Knows no token: every authenticated call is refused. */
    public static Authenticator none() {
        return new Authenticator(List.of());
    }

    /**
     * From an admin token and a tokens file, either of which may be null.
     *
     * @throws ConfigException     for a bad line in the file or a bad admin token
     * @throws UncheckedIOException when the file cannot be read
     */
    public static Authenticator from(String adminToken, Path tokensFile) {
        final Authenticator admin = adminToken == null ? none()
                : none().with(Role.ADMIN, adminToken, new Where(ADMIN_TOKEN, ""));
        return tokensFile == null ? admin
                : admin.withLines(readLines(tokensFile), new Where(TOKENS_FILE, tokensFile + " "));
    }

    /** A copy that also accepts {@code token} as {@code role}. */
    public Authenticator with(Role role, String token) {
        return with(role, token, new Where("the token for " + role.name(), ""));
    }

    /** A copy that also accepts the {@code role token} lines of a tokens file named {@code source}. */
    public Authenticator withLines(List<String> lines, String source) {
        return withLines(lines, new Where(TOKENS_FILE, source + " "));
    }

    private Authenticator withLines(List<String> lines, Where file) {
        final List<Grant> more = new ArrayList<>(grants);
        for (int i = 0; i < lines.size(); i++) {
            final String line = lines.get(i).strip();
            if (!line.isEmpty() && !line.startsWith("#")) {
                addLine(more, line, new Where(file.variable(), file.place() + "line " + (i + 1) + ": "));
            }
        }
        return new Authenticator(more);
    }

    /** The role of {@code token}, or empty when no known token matches. */
    public Optional<Role> authenticate(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        return find(grants, sha256(token)).map(Grant::role);
    }

    /** How many tokens are known. */
    public int size() {
        return grants.size();
    }

    private Authenticator with(Role role, String token, Where where) {
        final List<Grant> more = new ArrayList<>(grants);
        add(more, role, token, where);
        return new Authenticator(more);
    }

    /** Where a token was given: the variable, and the file and line within it ({@code place}, may be empty). */
    private record Where(String variable, String place) {

        ConfigException problem(String what) {
            return new ConfigException(variable, place + what);
        }

        String describe() {
            return variable + (place.isEmpty() ? "" : " (" + place.replaceAll(":\\s*$", "").strip() + ")");
        }
    }

    private static void addLine(List<Grant> grants, String line, Where where) {
        final String[] parts = line.split("\\s+");
        if (parts.length != 2) {
            throw where.problem("expected '<role> <token>'");
        }
        final Role role = Role.parse(parts[0]).orElseThrow(() -> where.problem(
                "unknown role (expected submitter, approver, admin or partner:<system>)"));
        add(grants, role, parts[1], where);
    }

    private static void add(List<Grant> grants, Role role, String token, Where where) {
        if (token.isBlank() || token.length() < MIN_TOKEN_LENGTH) {
            throw where.problem("the token is shorter than " + MIN_TOKEN_LENGTH + " characters");
        }
        final byte[] hash = sha256(token);
        final Optional<Grant> known = find(grants, hash);
        if (known.isPresent() && known.get().role().equals(role)) {
            return;
        }
        if (known.isPresent()) {
            throw where.problem("the token is already given to another role, " + known.get().role().name()
                    + ", by " + known.get().where().describe() + "; give each role its own token");
        }
        grants.add(new Grant(hash, role, where));
    }

    /** Compares with every hash, without stopping at a match, so timing says nothing about which one. */
    private static Optional<Grant> find(List<Grant> grants, byte[] hash) {
        Optional<Grant> found = Optional.empty();
        for (final Grant grant : grants) {
            if (MessageDigest.isEqual(grant.hash(), hash) && found.isEmpty()) {
                found = Optional.of(grant);
            }
        }
        return found;
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the tokens file " + file, e);
        }
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "Authenticator[" + grants.size() + " tokens]";
    }
}
