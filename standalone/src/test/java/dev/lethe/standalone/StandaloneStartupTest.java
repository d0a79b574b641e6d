package dev.lethe.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.gateway.auth.Role;
import dev.lethe.schemas.config.ConfigException;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every setting of the standalone run (its own, the ledger's and the gateway's) is read and checked
 * before anything starts: a configuration error is one line on stderr and exit status 2, with no
 * port bound and the data folder untouched.
 */
class StandaloneStartupTest {

    private static final String ADMIN = "startup-admin-token-0123456789";

    @TempDir
    Path dir;

    @Test
    void shouldStopWithOneLineAndStatus2BeforeAnythingStartsOnABlankNumber() throws Exception {
        final Path data = dir.resolve("data");
        final Map<String, String> env = ports();
        env.put("LETHE_DATA_DIR", data.toString());
        env.put("LETHE_PARTITIONS", "");

        final Run run = runMain(env);

        assertEquals(2, run.status(), run.stderr());
        assertEquals("lethe: configuration error: LETHE_PARTITIONS: is set but empty; give it a value or unset it\n",
                run.stderr());
        assertEquals("", run.stdout());
        assertFalse(Files.exists(data), "the data folder was created");
        assertPortsFree(env);
    }

    @Test
    void shouldStopWithOneLineNamingTheFileAndLineOfATokenGivenToTwoRoles() throws Exception {
        final Path data = dir.resolve("data");
        final Path tokens = Files.writeString(dir.resolve("tokens"), "approver approver-token-0123456789\n"
                + "submitter " + ADMIN + "\n");
        final Map<String, String> env = ports();
        env.put("LETHE_DATA_DIR", data.toString());
        env.put("LETHE_ADMIN_TOKEN", ADMIN);
        env.put("LETHE_TOKENS_FILE", tokens.toString());

        final Run run = runMain(env);

        assertEquals(2, run.status(), run.stderr());
        assertEquals("lethe: configuration error: LETHE_TOKENS_FILE: " + tokens + " line 2: the token is already "
                + "given to another role, admin, by LETHE_ADMIN_TOKEN; give each role its own token\n", run.stderr());
        assertFalse(run.stderr().contains(ADMIN));
        assertFalse(Files.exists(data), "the data folder was created");
        assertPortsFree(env);
    }

    @Test
    void shouldAcceptTheAdminTokenListedAgainAsAdminWithoutWritingAnything() throws IOException {
        final Path data = dir.resolve("data");
        final Path tokens = Files.writeString(dir.resolve("tokens"), "admin " + ADMIN + "\n");

        final LetheStandalone.Plan plan = LetheStandalone.plan(Map.of("LETHE_DATA_DIR", data.toString(),
                "LETHE_ADMIN_TOKEN", ADMIN, "LETHE_TOKENS_FILE", tokens.toString()));

        assertEquals(Optional.of(Role.ADMIN), plan.gateway().authenticator().authenticate(ADMIN));
        assertFalse(Files.exists(data), "planning wrote to the data folder");
    }

    @Test
    void shouldPlanTheGeneratedSecretsAndReadThemBackOnTheNextStart() {
        final Path data = dir.resolve("data");

        final LetheStandalone.Plan first = LetheStandalone.plan(Map.of("LETHE_DATA_DIR", data.toString()));
        final Secrets secrets = new Secrets(data.toAbsolutePath());
        first.secrets().forEach(secrets::persist);
        final LetheStandalone.Plan second = LetheStandalone.plan(Map.of("LETHE_DATA_DIR", data.toString()));

        assertTrue(Files.exists(data.resolve("secrets/internal.token")));
        assertTrue(first.ledger().internalToken().matches(second.gateway().internalToken().value()));
        assertTrue(first.gateway().internalToken().matches(first.ledger().internalToken().value()));
        assertTrue(second.secrets().stream().noneMatch(Secrets.Generated::created));
        assertEquals(first.adminToken().value(), second.adminToken().value());
    }

    @Test
    void shouldCallPortalsBackOnlyOnceTheirHostsAreAllowedSigningWithTheGatewaysLocalPair() {
        final Path data = dir.resolve("data");

        final LetheStandalone.Plan off = LetheStandalone.plan(Map.of("LETHE_DATA_DIR", data.toString()));
        final LetheStandalone.Plan on = LetheStandalone.plan(Map.of("LETHE_DATA_DIR", data.toString(),
                "LETHE_OPENDSR_PORTAL_HOSTS", "portal.example.com"));

        assertTrue(off.ledger().portalCallbacks().isEmpty(), "no portal host by default");
        assertTrue(off.gateway().opendsr().portalHosts().hosts().isEmpty());
        assertEquals(java.util.Set.of("portal.example.com"), on.gateway().opendsr().portalHosts().hosts());
        assertEquals(java.util.Set.of("portal.example.com"),
                on.ledger().portalCallbacks().orElseThrow().hosts().hosts());
        // the callback sender and the gateway sign with the one pair generated under <data>/secrets
        final var sender = on.ledger().portalCallbacks().orElseThrow().signer().get();
        assertEquals(on.gateway().opendsr().signer().certificate(), sender.certificate());
        assertTrue(Files.exists(data.resolve("secrets/opendsr.key")));
    }

    @Test
    void shouldRefuseAnUnreadableSecretOfTheDataFolderNamingIt() throws IOException {
        final Path data = dir.resolve("data");
        Files.createDirectories(data.resolve("secrets"));
        Files.writeString(data.resolve("secrets/internal.token"), "short\n");

        final ConfigException e = assertThrows(ConfigException.class,
                () -> LetheStandalone.plan(Map.of("LETHE_DATA_DIR", data.toString())));

        assertEquals("LETHE_INTERNAL_TOKEN_FILE: the secret in " + data.toAbsolutePath().resolve("secrets/internal.token")
                + " is 5 bytes; at least 32 are needed", e.getMessage());
    }

    private record Run(int status, String stdout, String stderr) {
    }

    /** Runs {@link LetheStandalone#main} in a child JVM with exactly {@code env} as its Lethe settings. */
    private Run runMain(Map<String, String> env) throws Exception {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LetheStandalone.class.getName());
        builder.environment().keySet().removeIf(name -> name.startsWith("LETHE_"));
        builder.environment().putAll(env);
        final File out = dir.resolve("stdout").toFile();
        final File err = dir.resolve("stderr").toFile();
        final Process process = builder.redirectOutput(out).redirectError(err).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the standalone did not stop on a configuration error");
        }
        return new Run(process.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
                Files.readString(err.toPath(), StandardCharsets.UTF_8));
    }

    /** Every port of the run, each one free a moment ago. */
    private static Map<String, String> ports() {
        final Map<String, String> env = new HashMap<>();
        for (String name : List.of("LETHE_HTTP_PORT", "LETHE_KAFKA_PORT", "LETHE_KAFKA_CONTROLLER_PORT",
                "LETHE_REGISTRY_PORT", "LETHE_QUERY_PORT", "LETHE_S3_PORT")) {
            env.put(name, Integer.toString(LetheEnv.freePort()));
        }
        return env;
    }

    private static void assertPortsFree(Map<String, String> env) throws IOException {
        for (Map.Entry<String, String> setting : env.entrySet()) {
            if (setting.getKey().endsWith("_PORT")) {
                try (ServerSocket socket = new ServerSocket(Integer.parseInt(setting.getValue()), 1,
                        InetAddress.getLoopbackAddress())) {
                    assertTrue(socket.isBound(), setting.getKey());
                }
            }
        }
    }
}
