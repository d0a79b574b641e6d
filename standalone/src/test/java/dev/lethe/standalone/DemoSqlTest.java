package dev.lethe.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.avro.SystemMode;
import dev.lethe.avro.SystemRegistration;
import dev.lethe.schemas.config.ConfigException;
import dev.lethe.schemas.config.Env;
import dev.lethe.schemas.systems.SystemsJson;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoSqlTest {

    @Test
    void shouldAddADemoSqlSystemThatTheRegistryAccepts(@TempDir Path dir) throws Exception {
        final Path credentials = Files.writeString(dir.resolve("shop.credentials"), "user=shop\npassword=s3cret\n");
        final DemoSql.Settings settings = DemoSql.read(Env.of(Map.of(DemoSql.URL, "jdbc:postgresql://localhost/shop",
                DemoSql.CREDENTIALS, credentials.toString()))).orElseThrow();
        final String demo;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("demo-systems.json")) {
            demo = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        final Path file = Files.writeString(dir.resolve("systems.json"), DemoSql.withDemo(demo, settings));

        final List<SystemRegistration> systems = SystemsJson.readFile(file);
        final SystemRegistration shop = systems.get(systems.size() - 1);
        assertEquals(DemoSql.SYSTEM, shop.getName());
        assertEquals(SystemMode.SQL, shop.getMode());
        assertEquals("shop.credentials", shop.getSql().getCredentials());
        assertEquals(dir.toAbsolutePath(), settings.secretsDir());
        assertTrue(!Files.readString(file).contains("s3cret"), "the password never goes into the systems file");
    }

    @Test
    void shouldRefuseADemoUrlCarryingAPasswordOrWithoutCredentials() {
        assertEquals(DemoSql.URL, assertThrows(ConfigException.class, () -> DemoSql.read(Env.of(Map.of(DemoSql.URL,
                "jdbc:postgresql://localhost/shop?password=x")))).variable());
        assertEquals(DemoSql.CREDENTIALS, assertThrows(ConfigException.class, () -> DemoSql.read(Env.of(Map.of(
                DemoSql.URL, "jdbc:postgresql://localhost/shop")))).variable());
    }
}
