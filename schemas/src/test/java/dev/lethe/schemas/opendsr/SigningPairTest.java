package dev.lethe.schemas.opendsr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.schemas.config.ConfigException;
import dev.lethe.schemas.config.Env;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningPairTest {

    @TempDir
    Path dir;

    private Map<String, String> namingAbsentFiles() {
        return Map.of(SigningPair.KEY_FILE, dir.resolve("opendsr/opendsr-key").toString(),
                SigningPair.CERT_FILE, dir.resolve("opendsr/opendsr-cert").toString(),
                SigningPair.LOCAL_DIR, dir.resolve("local").toString());
    }

    @Test
    void shouldSignWithThePairOfThisInstanceWhenTheOptionalSecretIsNotGivenAndNoPortalIsCalledBack() {
        final SigningPair pair = SigningPair.read(Env.of(namingAbsentFiles())).get();

        assertNotNull(pair.key());
    }

    @Test
    void refusesToStartWithoutTheSharedPairWhenAPortalIsCalledBack() {
        final Map<String, String> values = new java.util.HashMap<>(namingAbsentFiles());
        values.put(PortalHosts.VARIABLE, "portal.example.com");

        final ConfigException refused = assertThrows(ConfigException.class, () -> SigningPair.read(Env.of(values)));

        assertTrue(refused.getMessage().contains(PortalHosts.VARIABLE), refused.getMessage());
    }

    @Test
    void refusesOneFileWithoutTheOther() {
        final Map<String, String> values = Map.of(SigningPair.KEY_FILE, dir.resolve("absent").toString());

        assertEquals(SigningPair.KEY_FILE, assertThrows(ConfigException.class,
                () -> SigningPair.read(Env.of(values))).variable());
    }
}
