package dev.lethe.schemas.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Period;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class EnvTest {

    private static final String SECRET = "a-secret-that-is-long-enough-0123456789";

    @TempDir
    Path dir;

    @Test
    void shouldTakeTheDefaultOfAnUnsetVariableAndStripASetOne() {
        final Env env = Env.of(Map.of("LETHE_NAME", "  lethe "));

        assertEquals("lethe", env.string("LETHE_NAME", "x"));
        assertEquals("x", env.string("LETHE_OTHER", "x"));
        assertEquals(7, env.integer("LETHE_COUNT", 7, 0, 10));
        assertEquals(Optional.empty(), env.optional("LETHE_OTHER"));
    }

    @Test
    void shouldRefuseABlankValueNamingTheVariable() {
        final Env env = Env.of(Map.of("LETHE_PARTITIONS", " "));

        assertProblem("LETHE_PARTITIONS: is set but empty", () -> env.integer("LETHE_PARTITIONS", 6, 1, 100));
        assertProblem("LETHE_PARTITIONS: is set but empty", () -> env.string("LETHE_PARTITIONS", "6"));
    }

    @Test
    void shouldRefuseANumberThatIsMalformedOrOutOfRange() {
        assertProblem("LETHE_N: must be a whole number, got 'six'",
                () -> Env.of(Map.of("LETHE_N", "six")).integer("LETHE_N", 1, 1, 10));
        assertProblem("LETHE_N: must be between 1 and 10, got 0",
                () -> Env.of(Map.of("LETHE_N", "0")).integer("LETHE_N", 1, 1, 10));
        assertProblem("LETHE_N: must be a whole number, got '2147483648000000000000'",
                () -> Env.of(Map.of("LETHE_N", "2147483648000000000000")).number("LETHE_N", 1, 1, 10));
        assertProblem("LETHE_PORT: must be between 1 and 65535, got 70000",
                () -> Env.of(Map.of("LETHE_PORT", "70000")).port("LETHE_PORT", 8080, 1));
        assertProblem("LETHE_N: must be between 1 and 2147483647, got 2147483648",
                () -> Env.of(Map.of("LETHE_N", "2147483648")).integer("LETHE_N", 1, 1, Integer.MAX_VALUE));
    }

    @Test
    void shouldReadFlagsDurationsPeriodsAndLists() {
        final Env env = Env.of(Map.of("LETHE_FLAG", "TRUE", "LETHE_WAIT_MS", "250", "LETHE_DEADLINE", "P1M",
                "LETHE_LIST", " a, b,,a ,"));

        assertTrue(env.flag("LETHE_FLAG", false));
        assertFalse(env.flag("LETHE_UNSET", false));
        assertEquals(Duration.ofMillis(250), env.duration("LETHE_WAIT_MS", ChronoUnit.MILLIS, 10, 1));
        assertEquals(Period.ofMonths(1), env.period("LETHE_DEADLINE", Period.ofDays(30)));
        assertEquals(List.of("a", "b"), env.list("LETHE_LIST", List.of("z")));
    }

    @Test
    void shouldRefuseAMalformedFlagDurationPeriodOrList() {
        assertProblem("LETHE_FLAG: must be true or false, got 'yes'",
                () -> Env.of(Map.of("LETHE_FLAG", "yes")).flag("LETHE_FLAG", false));
        assertProblem("LETHE_DAYS: is too large, got 9223372036854775807", () -> Env.of(Map.of("LETHE_DAYS",
                Long.toString(Long.MAX_VALUE))).duration("LETHE_DAYS", ChronoUnit.DAYS, 1, 1));
        assertProblem("LETHE_DEADLINE: '30' is not an ISO-8601 period",
                () -> Env.of(Map.of("LETHE_DEADLINE", "30")).period("LETHE_DEADLINE", Period.ofDays(1)));
        assertProblem("LETHE_DEADLINE: the period must be positive",
                () -> Env.of(Map.of("LETHE_DEADLINE", "P0D")).period("LETHE_DEADLINE", Period.ofDays(1)));
        assertProblem("LETHE_LIST: must name at least one item",
                () -> Env.of(Map.of("LETHE_LIST", ",,")).list("LETHE_LIST", List.of()));
    }

    @Test
    void shouldRequireARequiredVariable() {
        assertProblem("LETHE_BOOTSTRAP_SERVERS: must be set (Kafka bootstrap servers)",
                () -> Env.of(Map.of()).required("LETHE_BOOTSTRAP_SERVERS", "Kafka bootstrap servers"));
    }

    @Test
    void shouldReadHttpUrlsAndRefuseOthers() {
        assertEquals(URI.create("http://ledger:8082"),
                Env.of(Map.of("LETHE_URL", "http://ledger:8082")).url("LETHE_URL").orElseThrow());
        assertProblem("LETHE_URL: must be an http(s) URL with a host",
                () -> Env.of(Map.of("LETHE_URL", "ledger:8082")).url("LETHE_URL"));
        assertProblem("LETHE_URL: is not a URL",
                () -> Env.of(Map.of("LETHE_URL", "http://a b")).url("LETHE_URL"));
    }

    @Test
    void shouldRequireAFileToExistAndBeReadable() throws IOException {
        final Path file = Files.writeString(dir.resolve("tokens"), "x");
        final Path missing = dir.resolve("missing");

        assertEquals(Optional.of(file), Env.of(Map.of("LETHE_FILE", file.toString())).readableFile("LETHE_FILE"));
        assertProblem("LETHE_FILE: no file at " + missing,
                () -> Env.of(Map.of("LETHE_FILE", missing.toString())).readableFile("LETHE_FILE"));
        assertProblem("LETHE_FILE: " + dir + " is not a regular file",
                () -> Env.of(Map.of("LETHE_FILE", dir.toString())).readableFile("LETHE_FILE"));
    }

    @Test
    void shouldCountAPlannedFileAsPresentWithItsContent() {
        final Path planned = dir.resolve("secrets/internal.token");
        final Env env = Env.of(Map.of("LETHE_SECRET_FILE", planned.toString()))
                .withPlannedFiles(Map.of(planned, SECRET));

        assertEquals(SECRET, env.requiredSecret("LETHE_SECRET_FILE", "LETHE_SECRET", 32, "a secret").value());
        assertFalse(Files.exists(planned));
    }

    @Test
    void shouldReadASecretFromAFileOrInlineWithoutEverShowingIt() throws IOException {
        final Path file = Files.writeString(dir.resolve("secret"), SECRET + "\n");

        assertEquals(SECRET, Env.of(Map.of("LETHE_SECRET_FILE", file.toString()))
                .requiredSecret("LETHE_SECRET_FILE", "LETHE_SECRET", 32, "hint").value());
        final Secret inline = Env.of(Map.of("LETHE_SECRET", SECRET))
                .requiredSecret("LETHE_SECRET_FILE", "LETHE_SECRET", 32, "hint");
        assertTrue(inline.matches(SECRET));
        assertFalse(inline.matches(SECRET + "x"));
        assertFalse(inline.matches(null));
        assertFalse(inline.toString().contains(SECRET));
    }

    @Test
    void shouldRefuseAShortMissingOrDoublyGivenSecretWithoutShowingIt() throws IOException {
        final Path shortFile = Files.writeString(dir.resolve("short"), "too-short-secret");

        final ConfigException tooShort = assertThrows(ConfigException.class, () -> Env.of(Map.of(
                "LETHE_SECRET_FILE", shortFile.toString())).secret("LETHE_SECRET_FILE", "LETHE_SECRET", 32));
        assertEquals("LETHE_SECRET_FILE: the secret in " + shortFile + " is 16 bytes; at least 32 are needed",
                tooShort.getMessage());
        final ConfigException inline = assertThrows(ConfigException.class, () -> Env.of(Map.of(
                "LETHE_SECRET", "too-short-secret")).secret("LETHE_SECRET_FILE", "LETHE_SECRET", 32));
        assertFalse(inline.getMessage().contains("too-short-secret"), inline.getMessage());
        assertProblem("LETHE_SECRET_FILE: must be set, or LETHE_SECRET (hint)",
                () -> Env.of(Map.of()).requiredSecret("LETHE_SECRET_FILE", "LETHE_SECRET", 32, "hint"));
        assertProblem("LETHE_SECRET_FILE: set it or LETHE_SECRET, not both", () -> Env.of(Map.of(
                "LETHE_SECRET_FILE", shortFile.toString(), "LETHE_SECRET", SECRET))
                .secret("LETHE_SECRET_FILE", "LETHE_SECRET", 32));
    }

    @Test
    void shouldTurnAParserErrorIntoOneLineNamingTheVariable() {
        final ConfigException e = assertThrows(ConfigException.class, () -> Env.of(Map.of("LETHE_MODE", "odd"))
                .parsed("LETHE_MODE", "auto", text -> {
                    throw new IllegalArgumentException("unknown mode 'odd'\n(known: auto, manual)");
                }));

        assertEquals("LETHE_MODE: unknown mode 'odd' (known: auto, manual)", e.getMessage());
        assertEquals("LETHE_MODE", e.variable());
    }

    @Test
    void shouldPrintOneLineForAConfigurationError() {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        final Optional<Integer> read = StartupCheck.read(
                () -> Env.of(Map.of("LETHE_PARTITIONS", "")).integer("LETHE_PARTITIONS", 6, 1, 100), err);

        assertTrue(read.isEmpty());
        assertEquals("lethe: configuration error: LETHE_PARTITIONS: is set but empty; give it a value or unset it"
                + System.lineSeparator(), bytes.toString(StandardCharsets.UTF_8));
    }

    private static void assertProblem(String expectedStart, Executable read) {
        final ConfigException e = assertThrows(ConfigException.class, read);
        assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
