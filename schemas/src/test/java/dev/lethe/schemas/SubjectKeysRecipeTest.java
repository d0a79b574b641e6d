package dev.lethe.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The recipe docs/partners.md gives partners for matching subject keys ("Matching subject keys"):
 * its Java code, and its worked example, give what {@link SubjectKeys} gives.
 */
class SubjectKeysRecipeTest {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    /** The Java recipe of docs/partners.md, as printed there. */
    static String subjectKey(byte[] secret, String namespace, String value) throws Exception {
        String normalised = value.strip();
        if (namespace.equals("email")) {
            normalised = normalised.toLowerCase(Locale.ROOT);
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal((namespace + ":" + normalised).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void shouldGiveTheDocumentedExampleKeysWithTheRecipeAndWithSubjectKeys() throws Exception {
        final SubjectKeys keys = SubjectKeys.ofSecret(SECRET);

        assertEquals("65201ee802377988db5f85776ae62703a99aaf36d834d385385af08c74b79546",
                keys.of("user_id", "u-1842"));
        assertEquals("0feb6c1565029e291cf1ab75f27fa549c471abe63d803f24735a90d1b64a1ae5",
                keys.of("email", " Kim@Example.com "));
        assertEquals(keys.of("user_id", "u-1842"), subjectKey(SECRET, "user_id", "u-1842"));
        assertEquals(keys.of("email", " Kim@Example.com "), subjectKey(SECRET, "email", " Kim@Example.com "));
    }
}
