package dev.lethe.gateway;

import dev.lethe.gateway.erasure.Vocabulary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The gateway's settings, read from environment variables with these defaults:
 *
 * <table>
 *   <caption>Environment</caption>
 *   <tr><th>variable</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code LETHE_HTTP_PORT}</td><td>HTTP port (0: any free port)</td><td>8080</td></tr>
 *   <tr><td>{@code LETHE_BOOTSTRAP_SERVERS}</td><td>Kafka bootstrap servers</td><td>required to serve</td></tr>
 *   <tr><td>{@code LETHE_SCHEMA_REGISTRY_URL}</td><td>schema registry URL</td><td>required to serve</td></tr>
 *   <tr><td>{@code LETHE_LEDGER_URL}</td><td>the streams-app's query endpoint</td><td>http://localhost:8082</td></tr>
 *   <tr><td>{@code LETHE_ADMIN_TOKEN}</td><td>a token with the admin role</td><td>none</td></tr>
 *   <tr><td>{@code LETHE_TOKENS_FILE}</td><td>file of {@code role token} lines</td><td>none</td></tr>
 *   <tr><td>{@code LETHE_NAMESPACES}</td><td>identifier namespaces, comma separated</td>
 *       <td>user_id,email,phone,account_id,device_id,customer_id</td></tr>
 *   <tr><td>{@code LETHE_JURISDICTIONS}</td><td>jurisdictions, comma separated</td><td>GDPR,CCPA,CPRA,PIPA</td></tr>
 *   <tr><td>{@code LETHE_INTAKE_CONFIRM_MS}</td><td>how long a write (intake, decision, callback,
 *       registration) waits for the ledger to apply it</td>
 *       <td>10000</td></tr>
 * </table>
 *
 * <p>{@link #toString()} never shows the admin token.
 */
public record GatewayConfig(int httpPort, String bootstrapServers, String schemaRegistryUrl, String ledgerUrl,
                            String adminToken, Path tokensFile, List<String> namespaces, List<String> jurisdictions,
                            Duration intakeConfirm) {

    public static final String HTTP_PORT = "LETHE_HTTP_PORT";
    public static final String BOOTSTRAP_SERVERS = "LETHE_BOOTSTRAP_SERVERS";
    public static final String SCHEMA_REGISTRY_URL = "LETHE_SCHEMA_REGISTRY_URL";
    public static final String LEDGER_URL = "LETHE_LEDGER_URL";
    public static final String ADMIN_TOKEN = "LETHE_ADMIN_TOKEN";
    public static final String TOKENS_FILE = "LETHE_TOKENS_FILE";
    public static final String NAMESPACES = "LETHE_NAMESPACES";
    public static final String JURISDICTIONS = "LETHE_JURISDICTIONS";
    public static final String INTAKE_CONFIRM_MS = "LETHE_INTAKE_CONFIRM_MS";

    public static final int DEFAULT_HTTP_PORT = 8080;
    public static final String DEFAULT_LEDGER_URL = "http://localhost:8082";
    public static final String DEFAULT_NAMESPACES = "user_id,email,phone,account_id,device_id,customer_id";
    public static final String DEFAULT_JURISDICTIONS = "GDPR,CCPA,CPRA,PIPA";
    public static final long DEFAULT_INTAKE_CONFIRM_MS = 10_000;

    public GatewayConfig {
        if (httpPort < 0 || httpPort > 65_535) {
            throw new IllegalArgumentException(HTTP_PORT + " must be in 0..65535");
        }
        namespaces = List.copyOf(namespaces);
        jurisdictions = List.copyOf(jurisdictions);
        if (namespaces.isEmpty() || jurisdictions.isEmpty()) {
            throw new IllegalArgumentException(NAMESPACES + " and " + JURISDICTIONS + " must each name at least one");
        }
        if (intakeConfirm.isNegative()) {
            throw new IllegalArgumentException(INTAKE_CONFIRM_MS + " must not be negative");
        }
    }

    /** The settings in {@code env} (typically {@code System.getenv()}); blank values count as unset. */
    public static GatewayConfig fromEnvironment(Map<String, String> env) {
        final String tokensFile = value(env, TOKENS_FILE, null);
        return new GatewayConfig(
                port(env),
                value(env, BOOTSTRAP_SERVERS, null),
                value(env, SCHEMA_REGISTRY_URL, null),
                value(env, LEDGER_URL, DEFAULT_LEDGER_URL),
                value(env, ADMIN_TOKEN, null),
                tokensFile == null ? null : Path.of(tokensFile),
                names(value(env, NAMESPACES, DEFAULT_NAMESPACES)),
                names(value(env, JURISDICTIONS, DEFAULT_JURISDICTIONS)),
                Duration.ofMillis(number(env, INTAKE_CONFIRM_MS, DEFAULT_INTAKE_CONFIRM_MS)));
    }

    /** These settings with another admin token (e.g. one the standalone run generated). */
    public GatewayConfig withAdminToken(String token) {
        return new GatewayConfig(httpPort, bootstrapServers, schemaRegistryUrl, ledgerUrl, token, tokensFile,
                namespaces, jurisdictions, intakeConfirm);
    }

    /** These settings on another port. */
    public GatewayConfig withHttpPort(int port) {
        return new GatewayConfig(port, bootstrapServers, schemaRegistryUrl, ledgerUrl, adminToken, tokensFile,
                namespaces, jurisdictions, intakeConfirm);
    }

    /** The namespaces and jurisdictions a request may name. */
    public Vocabulary vocabulary() {
        return new Vocabulary(namespaces, jurisdictions);
    }

    private static String value(Map<String, String> env, String name, String fallback) {
        final String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    private static long number(Map<String, String> env, String name, long fallback) {
        final String value = value(env, name, null);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, was '" + value + "'", e);
        }
    }

    private static int port(Map<String, String> env) {
        final long port = number(env, HTTP_PORT, DEFAULT_HTTP_PORT);
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(HTTP_PORT + " must be in 0..65535, was " + port);
        }
        return (int) port;
    }

    private static List<String> names(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(s -> !s.isEmpty()).distinct()
                .toList();
    }

    @Override
    public String toString() {
        return "GatewayConfig[httpPort=" + httpPort + ", bootstrapServers=" + bootstrapServers
                + ", schemaRegistryUrl=" + schemaRegistryUrl + ", ledgerUrl=" + ledgerUrl
                + ", adminToken=" + (adminToken == null ? "none" : "(set)") + ", tokensFile=" + tokensFile
                + ", namespaces=" + namespaces + ", jurisdictions=" + jurisdictions
                + ", intakeConfirm=" + intakeConfirm + "]";
    }
}
