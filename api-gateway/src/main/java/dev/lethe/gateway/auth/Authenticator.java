package dev.lethe.gateway.auth;

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
 * starting with {@code #} ignored. A bad line (unknown role, wrong shape, short token, a token
 * given twice) is a start-up error naming the line number; no error ever repeats a token.
 */
public final class Authenticator {

    /** Shortest token accepted: a guessable token is refused at start-up. */
    public static final int MIN_TOKEN_LENGTH = 16;

    private final List<Grant> grants;

    private record Grant(byte[] hash, Role role) {
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
     * @throws IllegalArgumentException for a bad line in the file or a bad admin token
     * @throws UncheckedIOException     when the file cannot be read
     */
    public static Authenticator from(String adminToken, Path tokensFile) {
        final Authenticator admin = adminToken == null ? none()
                : none().with(Role.ADMIN, adminToken, "LETHE_ADMIN_TOKEN");
        return tokensFile == null ? admin : admin.withLines(readLines(tokensFile), tokensFile.toString());
    }

    /** A copy that also accepts {@code token} as {@code role}. */
    public Authenticator with(Role role, String token) {
        return with(role, token, "the token for " + role.name());
    }

    /** A copy that also accepts the {@code role token} lines of a tokens file named {@code source}. */
    public Authenticator withLines(List<String> lines, String source) {
        final List<Grant> more = new ArrayList<>(grants);
        for (int i = 0; i < lines.size(); i++) {
            final String line = lines.get(i).strip();
            if (!line.isEmpty() && !line.startsWith("#")) {
                addLine(more, line, source + " line " + (i + 1));
            }
        }
        return new Authenticator(more);
    }

    /** The role of {@code token}, or empty when no known token matches. */
    public Optional<Role> authenticate(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        return find(grants, sha256(token));
    }

    /** How many tokens are known. */
    public int size() {
        return grants.size();
    }

    private Authenticator with(Role role, String token, String where) {
        final List<Grant> more = new ArrayList<>(grants);
        add(more, role, token, where);
        return new Authenticator(more);
    }

    private static void addLine(List<Grant> grants, String line, String where) {
        final String[] parts = line.split("\\s+");
        if (parts.length != 2) {
            throw new IllegalArgumentException(where + ": expected '<role> <token>'");
        }
        final Role role = Role.parse(parts[0]).orElseThrow(() -> new IllegalArgumentException(where
                + ": unknown role (expected submitter, approver, admin or partner:<system>)"));
        add(grants, role, parts[1], where);
    }

    private static void add(List<Grant> grants, Role role, String token, String where) {
        if (token.isBlank() || token.length() < MIN_TOKEN_LENGTH) {
            throw new IllegalArgumentException(where + ": the token is shorter than " + MIN_TOKEN_LENGTH
                    + " characters");
        }
        final byte[] hash = sha256(token);
        if (find(grants, hash).isPresent()) {
            throw new IllegalArgumentException(where + ": the token is already given to a role");
        }
        grants.add(new Grant(hash, role));
    }

    /** Compares with every hash, without stopping at a match, so timing says nothing about which one. */
    private static Optional<Role> find(List<Grant> grants, byte[] hash) {
        Optional<Role> found = Optional.empty();
        for (final Grant grant : grants) {
            if (MessageDigest.isEqual(grant.hash(), hash) && found.isEmpty()) {
                found = Optional.of(grant.role());
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
