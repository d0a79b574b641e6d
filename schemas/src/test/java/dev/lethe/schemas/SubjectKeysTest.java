package dev.lethe.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keyed pseudonym that offline jobs holding the same secret must be able to recompute. */
class SubjectKeysTest {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OTHER_SECRET = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.UTF_8);

    private final SubjectKeys keys = SubjectKeys.ofSecret(SECRET);

    @Test
    void shouldBeDeterministic() {
        assertEquals(keys.of("user_id", "u-42"), keys.of("user_id", "u-42"));
        assertEquals(keys.of("user_id", "u-42"), SubjectKeys.ofSecret(SECRET.clone()).of("user_id", "u-42"));
    }

    @Test
    void refusesALoneSurrogateInsteadOfMergingItWithAQuestionMark() {
        // "x\ud800" would be encoded as "x?" and share the subject key of "x?".
        assertThrows(IllegalArgumentException.class, () -> keys.of("user_id", "x\ud800"));
        assertThrows(IllegalArgumentException.class, () -> keys.of("user_id", "\udc00x"));
        assertThrows(IllegalArgumentException.class, () -> keys.of("user_id", "\udc00\ud800"));
        assertThrows(IllegalArgumentException.class, () -> keys.of("user\ud800", "x"));
        assertEquals(keys.of("user_id", "x?"), keys.of("user_id", "x?"));
        assertEquals(64, keys.of("user_id", "x\ud83d\ude00").length());
    }

    @Test
    void shouldBe64LowerCaseHexDigits() {
        final String key = keys.of("email", "kim@example.com");

        assertTrue(key.matches("[0-9a-f]{64}"), key);
    }

    @Test
    void shouldBeHmacSha256OverNamespaceColonNormalisedValue() throws GeneralSecurityException {
        // an offline job must be able to recompute the key with nothing but the secret
        final Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
        final String expected = HexFormat.of()
                .formatHex(mac.doFinal("email:kim@example.com".getBytes(StandardCharsets.UTF_8)));

        assertEquals(expected, keys.of("email", " Kim@Example.com "));
    }

    @Test
    void shouldDifferBySecret() {
        assertNotEquals(keys.of("user_id", "u-42"), SubjectKeys.ofSecret(OTHER_SECRET).of("user_id", "u-42"));
    }

    @Test
    void shouldDifferByNamespace() {
        assertNotEquals(keys.of("user_id", "12345"), keys.of("phone", "12345"));
    }

    @Test
    void shouldTrimAndLowerCaseEmail() {
        assertEquals(keys.of("email", "kim@example.com"), keys.of("email", "  Kim@EXAMPLE.com\t"));
    }

    @Test
    void shouldOnlyTrimOtherNamespaces() {
        assertEquals(keys.of("user_id", "AbC-42"), keys.of("user_id", " AbC-42\n"));
        assertNotEquals(keys.of("user_id", "AbC-42"), keys.of("user_id", "abc-42"));
    }

    @Test
    void shouldRefuseSecretShorterThan32Bytes() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SubjectKeys.ofSecret(Arrays.copyOf(SECRET, 31)));

        assertTrue(e.getMessage().contains("32"), e.getMessage());
    }

    @Test
    void shouldNotBeChangedByLaterChangesToTheSecretArray() {
        final byte[] secret = SECRET.clone();
        final SubjectKeys copy = SubjectKeys.ofSecret(secret);
        Arrays.fill(secret, (byte) 0);

        assertEquals(keys.of("user_id", "u-42"), copy.of("user_id", "u-42"));
    }

    @Test
    void shouldReadSecretFileAndStripTrailingWhiteSpace(@TempDir Path dir) throws IOException {
        final Path file = dir.resolve("pseudonym.secret");
        Files.write(file, (new String(SECRET, StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8));

        assertEquals(keys.of("email", "kim@example.com"), SubjectKeys.fromFile(file).of("email", "kim@example.com"));
    }

    @Test
    void shouldRefuseShortSecretFile(@TempDir Path dir) throws IOException {
        final Path file = dir.resolve("pseudonym.secret");
        Files.writeString(file, "too-short\n");

        assertThrows(IllegalArgumentException.class, () -> SubjectKeys.fromFile(file));
    }

    @Test
    void shouldNameMissingSecretFile(@TempDir Path dir) {
        final Path missing = dir.resolve("absent.secret");

        final IllegalStateException e = assertThrows(IllegalStateException.class, () -> SubjectKeys.fromFile(missing));

        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }
}
