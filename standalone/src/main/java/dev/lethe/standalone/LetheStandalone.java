package dev.lethe.standalone;

import dev.lethe.gateway.GatewayConfig;
import dev.lethe.gateway.GatewayServer;
import dev.lethe.ledger.LedgerApp;
import dev.lethe.ledger.LedgerConfig;
import dev.lethe.standalone.kafka.EmbeddedKafkaBroker;
import dev.lethe.standalone.registry.EmbeddedSchemaRegistry;
import dev.lethe.standalone.s3.EmbeddedS3Server;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lethe's embedded default: one JVM with a single-node KRaft broker, a Confluent-compatible
 * schema registry, an S3-compatible server for the demo s3 system, the ledger (streams-app, with
 * the S3 and HTTP executors enabled) and the api-gateway, all on loopback, with every
 * byte of state under the data folder so that a restart finds every request where it was.
 * Components start in dependency order and stop in the reverse order.
 */
public final class LetheStandalone implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LetheStandalone.class);
    private static final String DEMO_SYSTEMS = "demo-systems.json";
    /** The bucket of the demo s3 system {@code media} (demo-systems.json). */
    public static final String DEMO_BUCKET = "demo-media";

    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private final StandaloneConfig config;
    private GatewayServer gateway;
    private LedgerApp ledger;
    private EmbeddedKafkaBroker broker;
    private EmbeddedSchemaRegistry registry;
    private EmbeddedS3Server s3;

    private LetheStandalone(StandaloneConfig config) {
        this.config = config;
    }

    /** Starts every component; on any failure stops what had started and rethrows. */
    public static LetheStandalone start(StandaloneConfig config, Map<String, String> environment, PrintStream console) {
        final LetheStandalone lethe = new LetheStandalone(config);
        try {
            lethe.startAll(environment, console);
            return lethe;
        } catch (RuntimeException e) {
            lethe.close();
            throw e;
        }
    }

    private void startAll(Map<String, String> environment, PrintStream console) {
        final Path dataDir = config.dataDir().toAbsolutePath();
        started(DataDirLock.acquire(dataDir));
        final Secrets secrets = new Secrets(dataDir);
        final Path pseudonymSecret = config.pseudonymSecretFile()
                .orElseGet(() -> secrets.fileOf("pseudonym.secret").file());
        final Secrets.Generated adminToken = config.adminToken().isPresent() ? null : secrets.fileOf("admin.token");

        broker = started(new EmbeddedKafkaBroker(dataDir.resolve("kafka"), config.kafkaPort(),
                config.controllerPort(), Map.of()).start());
        registry = started(new EmbeddedSchemaRegistry(broker.bootstrapServers(), config.registryPort()).start());
        final Secrets.Generated s3Access = secrets.fileOf("s3.access-key");
        final Secrets.Generated s3Secret = secrets.fileOf("s3.secret-key");
        s3 = started(EmbeddedS3Server.start(dataDir.resolve("s3"), config.s3Port(), s3Access.value(),
                s3Secret.value(), DEMO_BUCKET));

        final Map<String, String> env = new HashMap<>(environment);
        env.put("LETHE_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("LETHE_SCHEMA_REGISTRY_URL", registry.url());
        env.put("LETHE_STATE_DIR", dataDir.resolve("streams").toString());
        env.put("LETHE_ADVERTISED_HOST", "127.0.0.1");
        env.put("LETHE_QUERY_BIND", "127.0.0.1");
        env.put("LETHE_QUERY_PORT", Integer.toString(config.queryPort()));
        env.putIfAbsent("LETHE_PARTITIONS", "3");
        env.put("LETHE_REPLICATION_FACTOR", "1");
        env.put("LETHE_PSEUDONYM_SECRET_FILE", pseudonymSecret.toString());
        env.put("LETHE_SYSTEMS_FILE", config.systemsFile().orElseGet(() -> demoSystems(dataDir)).toString());
        env.putIfAbsent("LETHE_APPROVAL", "auto"); // auto, manual or a rule list: the ledger parses it
        env.putIfAbsent("LETHE_EXECUTORS", "s3,http");
        env.put("LETHE_S3_ENDPOINT", s3.endpoint().toString());
        env.put("LETHE_S3_PATH_STYLE", "true");
        env.put("LETHE_S3_ACCESS_KEY_FILE", s3Access.file().toString());
        env.put("LETHE_S3_SECRET_KEY_FILE", s3Secret.file().toString());
        ledger = started(LedgerApp.start(LedgerConfig.fromEnvironment(env)));

        env.put("LETHE_HTTP_PORT", Integer.toString(config.httpPort()));
        env.put("LETHE_LEDGER_URL", "http://127.0.0.1:" + ledger.queryPort());
        GatewayConfig gatewayConfig = GatewayConfig.fromEnvironment(env);
        if (adminToken != null) {
            gatewayConfig = gatewayConfig.withAdminToken(adminToken.value());
        }
        gateway = started(new GatewayServer(gatewayConfig).start());
        announce(console, adminToken);
    }

    private <T extends AutoCloseable> T started(T component) {
        running.push(component);
        return component;
    }

    /** The demo systems file, copied under the data folder on the first start so that it can be edited. */
    private static Path demoSystems(Path dataDir) {
        final Path file = dataDir.resolve("systems.json");
        if (Files.exists(file)) {
            return file;
        }
        try (InputStream demo = Objects.requireNonNull(
                LetheStandalone.class.getClassLoader().getResourceAsStream(DEMO_SYSTEMS), DEMO_SYSTEMS)) {
            Files.createDirectories(dataDir);
            Files.copy(demo, file);
            return file;
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the demo systems file " + file + ": " + e.getMessage(), e);
        }
    }

    private void announce(PrintStream console, Secrets.Generated adminToken) {
        console.println();
        console.println("Lethe is running.");
        console.println("  API and console   http://localhost:" + gateway.port());
        console.println("  Kafka             " + broker.bootstrapServers());
        console.println("  Schema registry   " + registry.url());
        console.println("  S3 (demo store)   " + s3.endpoint() + "   bucket " + DEMO_BUCKET
                + ", keys in " + config.dataDir().toAbsolutePath().resolve("secrets"));
        console.println("  Data              " + config.dataDir().toAbsolutePath());
        if (adminToken != null && adminToken.created()) {
            console.println("  Admin token       " + adminToken.value() + "   (shown once; kept in "
                    + adminToken.file() + ")");
        } else if (adminToken != null) {
            console.println("  Admin token       in " + adminToken.file());
        }
        console.println("Press Ctrl-C to stop.");
    }

    public int httpPort() {
        return gateway.port();
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public String schemaRegistryUrl() {
        return registry.url();
    }

    public URI s3Endpoint() {
        return s3.endpoint();
    }

    public LedgerApp ledger() {
        return ledger;
    }

    @Override
    public void close() {
        while (!running.isEmpty()) {
            final AutoCloseable component = running.pop();
            try {
                component.close();
            } catch (Exception e) {
                LOG.error("could not stop {} cleanly", component.getClass().getSimpleName(), e);
            }
        }
    }

    public static void main(String[] args) throws InterruptedException {
        final StandaloneConfig config = StandaloneConfig.fromEnvironment(System.getenv());
        final LetheStandalone lethe = start(config, System.getenv(), System.out);
        final Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping Lethe...");
            lethe.close();
            main.interrupt();
        }, "lethe-shutdown"));
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
