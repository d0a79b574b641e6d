package dev.lethe.gateway;

import dev.lethe.gateway.auth.Authenticator;
import dev.lethe.gateway.erasure.Vocabulary;
import dev.lethe.gateway.opendsr.OpenDsrGateway;
import dev.lethe.schemas.config.ConfigException;
import dev.lethe.schemas.config.Env;
import dev.lethe.schemas.config.InternalToken;
import dev.lethe.schemas.config.Secret;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import dev.lethe.schemas.crypto.KekConfig;
import dev.lethe.schemas.crypto.KeyWrapper;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The gateway's settings, read and checked at once through {@link Env} (a missing, blank or
 * malformed value is a {@link ConfigException} that names the variable), with these defaults:
 *
 * <table>
 *   <caption>Environment</caption>
 *   <tr><th>variable</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code LETHE_HTTP_PORT}</td><td>HTTP port (0: any free port)</td><td>8080</td></tr>
 *   <tr><td>{@code LETHE_BOOTSTRAP_SERVERS}</td><td>Kafka bootstrap servers</td><td>required</td></tr>
 *   <tr><td>{@code LETHE_SCHEMA_REGISTRY_URL}</td><td>schema registry URL</td><td>required</td></tr>
 *   <tr><td>{@code LETHE_LEDGER_URL}</td><td>the streams-app's query endpoint, or several (one per ledger
 *       instance), comma separated: a read goes to the instance that answered last, and to the next one when
 *       that one is down or not running ({@link dev.lethe.gateway.ledger.HttpLedgerClient})</td>
 *       <td>http://localhost:8082</td></tr>
 *   <tr><td>{@code LETHE_INTERNAL_TOKEN_FILE} / {@code LETHE_INTERNAL_TOKEN}</td><td>the secret the
 *       ledger's query endpoint requires ({@link InternalToken})</td><td>required</td></tr>
 *   <tr><td>{@code LETHE_ADMIN_TOKEN}</td><td>a token with the admin role</td><td>none</td></tr>
 *   <tr><td>{@code LETHE_TOKENS_FILE}</td><td>file of {@code role token} lines</td><td>none</td></tr>
 *   <tr><td>{@code LETHE_NAMESPACES}</td><td>identifier namespaces, comma separated</td>
 *       <td>user_id,email,phone,account_id,device_id,customer_id</td></tr>
 *   <tr><td>{@code LETHE_JURISDICTIONS}</td><td>jurisdictions, comma separated</td><td>GDPR,CCPA,CPRA,PIPA</td></tr>
 *   <tr><td>{@code LETHE_INTAKE_CONFIRM_MS}</td><td>how long a write (decision, callback,
 *       registration) waits for the ledger to apply it; a new request is answered once durable</td>
 *       <td>10000</td></tr>
 * </table>
 *
 * <p>The tokens are checked when the settings are read ({@link Authenticator#from}).
 * {@link #toString()} never shows the admin token or the internal secret.
 */
public record GatewayConfig(int httpPort, String bootstrapServers, String schemaRegistryUrl, String ledgerUrl,
                            String adminToken, Path tokensFile, List<String> namespaces, List<String> jurisdictions,
                            Duration intakeConfirm, Secret internalToken, OpenDsrGateway opendsr,
                            Optional<KeyWrapper> kek) {

    /** Without a key-encryption key: intake is not sealed (tests, tools). */
    public GatewayConfig(int httpPort, String bootstrapServers, String schemaRegistryUrl, String ledgerUrl,
                         String adminToken, Path tokensFile, List<String> namespaces, List<String> jurisdictions,
                         Duration intakeConfirm, Secret internalToken, OpenDsrGateway opendsr) {
        this(httpPort, bootstrapServers, schemaRegistryUrl, ledgerUrl, adminToken, tokensFile, namespaces,
                jurisdictions, intakeConfirm, internalToken, opendsr, Optional.empty());
    }

    /** Without OpenDSR settings ({@link OpenDsrGateway#local()}). */
    public GatewayConfig(int httpPort, String bootstrapServers, String schemaRegistryUrl, String ledgerUrl,
                         String adminToken, Path tokensFile, List<String> namespaces, List<String> jurisdictions,
                         Duration intakeConfirm, Secret internalToken, Optional<KeyWrapper> kek) {
        this(httpPort, bootstrapServers, schemaRegistryUrl, ledgerUrl, adminToken, tokensFile, namespaces,
                jurisdictions, intakeConfirm, internalToken, OpenDsrGateway.local(), kek);
    }

    /** Without OpenDSR settings and without a key-encryption key. */
    public GatewayConfig(int httpPort, String bootstrapServers, String schemaRegistryUrl, String ledgerUrl,
                         String adminToken, Path tokensFile, List<String> namespaces, List<String> jurisdictions,
                         Duration intakeConfirm, Secret internalToken) {
        this(httpPort, bootstrapServers, schemaRegistryUrl, ledgerUrl, adminToken, tokensFile, namespaces,
                jurisdictions, intakeConfirm, internalToken, OpenDsrGateway.local(), Optional.empty());
    }

    public static final String HTTP_PORT = "LETHE_HTTP_PORT";
    public static final String BOOTSTRAP_SERVERS = "LETHE_BOOTSTRAP_SERVERS";
    public static final String SCHEMA_REGISTRY_URL = "LETHE_SCHEMA_REGISTRY_URL";
    public static final String LEDGER_URL = "LETHE_LEDGER_URL";
    public static final String ADMIN_TOKEN = Authenticator.ADMIN_TOKEN;
    public static final String TOKENS_FILE = Authenticator.TOKENS_FILE;
    public static final String NAMESPACES = "LETHE_NAMESPACES";
    public static final String JURISDICTIONS = "LETHE_JURISDICTIONS";
    public static final String INTAKE_CONFIRM_MS = "LETHE_INTAKE_CONFIRM_MS";
    public static final String INTERNAL_TOKEN = InternalToken.INLINE_VARIABLE;

    public static final int DEFAULT_HTTP_PORT = 8080;
    public static final String DEFAULT_LEDGER_URL = "http://localhost:8082";
    public static final String DEFAULT_NAMESPACES = "user_id,email,phone,account_id,device_id,customer_id";
    public static final String DEFAULT_JURISDICTIONS = "GDPR,CCPA,CPRA,PIPA";
    public static final long DEFAULT_INTAKE_CONFIRM_MS = 10_000;

    public GatewayConfig {
        if (httpPort < 0 || httpPort > 65_535) {
            throw new ConfigException(HTTP_PORT, "must be in 0..65535");
        }
        namespaces = List.copyOf(namespaces);
        jurisdictions = List.copyOf(jurisdictions);
        if (namespaces.isEmpty() || jurisdictions.isEmpty()) {
            throw new ConfigException(namespaces.isEmpty() ? NAMESPACES : JURISDICTIONS, "must name at least one");
        }
        if (intakeConfirm.isNegative()) {
            throw new ConfigException(INTAKE_CONFIRM_MS, "must not be negative");
        }
    }

    /** The settings in {@code env} (typically {@code System.getenv()}), every one checked. */
    public static GatewayConfig fromEnvironment(Map<String, String> env) {
        return read(Env.of(env));
    }

    /** Every setting, read and checked (tokens included) before anything starts. */
    public static GatewayConfig read(Env env) {
        final GatewayConfig config = new GatewayConfig(
                env.port(HTTP_PORT, DEFAULT_HTTP_PORT, 0),
                env.required(BOOTSTRAP_SERVERS, "Kafka bootstrap servers, host:port[,host:port]"),
                env.requiredUrl(SCHEMA_REGISTRY_URL, "the schema registry, e.g. http://registry:8081").toString(),
                env.urls(LEDGER_URL, DEFAULT_LEDGER_URL).stream().map(URI::toString)
                        .collect(Collectors.joining(",")),
                env.optional(ADMIN_TOKEN).orElse(null),
                env.readableFile(TOKENS_FILE).orElse(null),
                env.list(NAMESPACES, names(DEFAULT_NAMESPACES)),
                env.list(JURISDICTIONS, names(DEFAULT_JURISDICTIONS)),
                env.duration(INTAKE_CONFIRM_MS, ChronoUnit.MILLIS, DEFAULT_INTAKE_CONFIRM_MS, 0),
                InternalToken.read(env),
                OpenDsrGateway.read(env),
                KekConfig.read(env));
        config.authenticator();
        return config;
    }

    /** The tokens these settings name ({@code LETHE_ADMIN_TOKEN}, {@code LETHE_TOKENS_FILE}). */
    public Authenticator authenticator() {
        try {
            return Authenticator.from(adminToken, tokensFile);
        } catch (UncheckedIOException e) {
            throw new ConfigException(TOKENS_FILE, "cannot read " + tokensFile + ": "
                    + e.getCause().getClass().getSimpleName());
        }
    }

    /** These settings with another admin token (e.g. one the standalone run generated). */
    public GatewayConfig withAdminToken(String token) {
        return new GatewayConfig(httpPort, bootstrapServers, schemaRegistryUrl, ledgerUrl, token, tokensFile,
                namespaces, jurisdictions, intakeConfirm, internalToken, opendsr, kek);
    }

    /** These settings on another port. */
    public GatewayConfig withHttpPort(int port) {
        return new GatewayConfig(port, bootstrapServers, schemaRegistryUrl, ledgerUrl, adminToken, tokensFile,
                namespaces, jurisdictions, intakeConfirm, internalToken, opendsr, kek);
    }

    /** The namespaces and jurisdictions a request may name. */
    public Vocabulary vocabulary() {
        return new Vocabulary(namespaces, jurisdictions);
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
                + ", intakeConfirm=" + intakeConfirm + ", internalToken=" + internalToken
                + ", kek=" + kek.map(KeyWrapper::currentKekId).orElse("none") + "]";
    }
}
