package dev.lethe.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.schemas.config.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthenticatorTest {

    private static final String ADMIN = "admin-token-0123456789";
    private static final String SUBMITTER = "submitter-token-0123456";
    private static final String BILLING = "billing-partner-token-01";

    @TempDir
    Path dir;

    @Test
    void shouldMapEachTokenOfTheFileToItsRole() throws IOException {
        final Path file = tokensFile("""
                # submitters
                submitter %s

                  approver   approver-token-0123456789
                partner:billing %s
                """.formatted(SUBMITTER, BILLING));

        final Authenticator authenticator = Authenticator.from(ADMIN, file);

        assertEquals(4, authenticator.size());
        assertEquals(Optional.of(Role.ADMIN), authenticator.authenticate(ADMIN));
        assertEquals(Optional.of(Role.SUBMITTER), authenticator.authenticate(SUBMITTER));
        assertEquals(Optional.of(Role.APPROVER), authenticator.authenticate("approver-token-0123456789"));
        assertEquals(Optional.of(Role.partner("billing")), authenticator.authenticate(BILLING));
    }

    @Test
    void shouldKnowNoTokenWhenNothingIsConfigured() {
        final Authenticator authenticator = Authenticator.from(null, null);

        assertEquals(0, authenticator.size());
        assertEquals(Optional.empty(), authenticator.authenticate(ADMIN));
    }

    @Test
    void shouldRefuseUnknownEmptyAndNearlyRightTokens() {
        final Authenticator authenticator = Authenticator.none().with(Role.ADMIN, ADMIN);

        assertEquals(Optional.empty(), authenticator.authenticate("someone-elses-token-0000"));
        assertEquals(Optional.empty(), authenticator.authenticate(""));
        assertEquals(Optional.empty(), authenticator.authenticate(null));
        assertEquals(Optional.empty(), authenticator.authenticate(ADMIN.substring(1)));
        assertEquals(Optional.empty(), authenticator.authenticate(ADMIN + "x"));
        assertEquals(Optional.empty(), authenticator.authenticate(ADMIN.toUpperCase()));
    }

    @Test
    void shouldRefuseAnUnknownRoleNamingTheLineButNeitherTheTokenNorTheRole() throws IOException {
        final Path file = tokensFile("submitter " + SUBMITTER + "\n# comment\nsuperuser " + BILLING + "\n");

        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Authenticator.from(null, file));

        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown role"), e.getMessage());
        assertFalse(e.getMessage().contains(BILLING), e.getMessage());
        assertFalse(e.getMessage().contains("superuser"), e.getMessage());
    }

    @Test
    void shouldRefuseATokenWrittenBeforeItsRoleWithoutRepeatingIt() throws IOException {
        final Path file = tokensFile(BILLING + " partner:billing\n");

        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Authenticator.from(null, file));

        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
        assertFalse(e.getMessage().contains(BILLING), e.getMessage());
    }

    @Test
    void shouldRefuseALineThatIsNotARoleAndAToken() throws IOException {
        final Path file = tokensFile("submitter\n");

        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Authenticator.from(null, file));

        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
    }

    @Test
    void shouldRefuseAShortToken() throws IOException {
        final Path file = tokensFile("submitter short\n");

        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Authenticator.from(null, file));

        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
        assertFalse(e.getMessage().contains("short "), e.getMessage());
    }

    @Test
    void shouldRefuseAShortAdminToken() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Authenticator.from("admin", null));

        assertTrue(e.getMessage().contains("LETHE_ADMIN_TOKEN"), e.getMessage());
    }

    @Test
    void shouldRefuseATokenGivenTwice() throws IOException {
        final Path file = tokensFile("submitter " + SUBMITTER + "\napprover " + SUBMITTER + "\n");

        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Authenticator.from(null, file));

        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        assertFalse(e.getMessage().contains(SUBMITTER), e.getMessage());
    }

    @Test
    void shouldAcceptTheSameTokenGivenTwiceForTheSameRole() throws IOException {
        final Path file = tokensFile("admin " + ADMIN + "\nsubmitter " + SUBMITTER + "\nsubmitter " + SUBMITTER + "\n");

        final Authenticator authenticator = Authenticator.from(ADMIN, file);

        assertEquals(2, authenticator.size());
        assertEquals(Optional.of(Role.ADMIN), authenticator.authenticate(ADMIN));
        assertEquals(Optional.of(Role.SUBMITTER), authenticator.authenticate(SUBMITTER));
    }

    @Test
    void shouldRefuseTheAdminTokenGivenToAnotherRoleNamingTheFileAndLine() throws IOException {
        final Path file = tokensFile("submitter " + SUBMITTER + "\npartner:billing " + ADMIN + "\n");

        final ConfigException e = assertThrows(ConfigException.class, () -> Authenticator.from(ADMIN, file));

        assertEquals("LETHE_TOKENS_FILE", e.variable());
        assertEquals("LETHE_TOKENS_FILE: " + file + " line 2: the token is already given to another role, admin, "
                + "by LETHE_ADMIN_TOKEN; give each role its own token", e.getMessage());
        assertFalse(e.getMessage().contains(ADMIN), e.getMessage());
    }

    @Test
    void shouldNameTheEarlierLineOfATokenGivenToTwoRolesInTheFile() throws IOException {
        final Path file = tokensFile("submitter " + SUBMITTER + "\napprover " + SUBMITTER + "\n");

        final ConfigException e = assertThrows(ConfigException.class, () -> Authenticator.from(null, file));

        assertTrue(e.getMessage().endsWith("line 2: the token is already given to another role, submitter, by "
                + "LETHE_TOKENS_FILE (" + file + " line 1); give each role its own token"), e.getMessage());
    }

    @Test
    void shouldNameAFileThatCannotBeRead() {
        final Path missing = dir.resolve("missing-tokens");

        final UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> Authenticator.from(null, missing));

        assertTrue(e.getMessage().contains("missing-tokens"), e.getMessage());
    }

    @Test
    void shouldKeepOnlySha256HashesOfTokens() throws Exception {
        final Authenticator authenticator = Authenticator.none().with(Role.ADMIN, ADMIN);

        final Field grantsField = Authenticator.class.getDeclaredField("grants");
        grantsField.setAccessible(true);
        final Object grant = ((List<?>) grantsField.get(authenticator)).get(0);
        final Field[] fields = grant.getClass().getDeclaredFields();
        final byte[] expected = MessageDigest.getInstance("SHA-256").digest(ADMIN.getBytes(StandardCharsets.UTF_8));
        for (final Field field : fields) {
            field.setAccessible(true);
            final Object value = field.get(grant);
            assertFalse(value instanceof String, "a grant keeps a string");
            if (value instanceof byte[] bytes) {
                assertArrayEquals(expected, bytes);
            }
        }
        assertFalse(authenticator.toString().contains(ADMIN));
    }

    private Path tokensFile(String content) throws IOException {
        return Files.writeString(dir.resolve("tokens"), content, StandardCharsets.UTF_8);
    }
}
