package dev.lethe.standalone;

import dev.lethe.gateway.GatewayConfig;
import dev.lethe.gateway.GatewayServer;
import dev.lethe.gateway.opendsr.OpenDsrGateway;
import dev.lethe.ledger.LedgerApp;
import dev.lethe.ledger.LedgerConfig;
import dev.lethe.ledger.StartPhases;
import dev.lethe.ledger.query.InProcessReads;
import dev.lethe.standalone.cli.CliLogging;
import dev.lethe.standalone.cli.LetheCommand;
import dev.lethe.standalone.kafka.EmbeddedKafkaBroker;
import dev.lethe.standalone.registry.EmbeddedSchemaRegistry;
import dev.lethe.standalone.s3.EmbeddedS3Server;
import dev.lethe.schemas.config.ConfigException;
import dev.lethe.schemas.config.Env;
import dev.lethe.schemas.crypto.KekConfig;
import dev.lethe.schemas.config.InternalToken;
import dev.lethe.schemas.config.LogSettings;
import dev.lethe.schemas.config.StartupCheck;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lethe's embedded default: one JVM with a single-node KRaft broker, a Confluent-compatible
 * schema registry, an S3-compatible server for the demo s3 system, the ledger (streams-app, with
 * the S3 and HTTP executors enabled) and the api-gateway, all on loopback, with every
 * byte of state under the data folder so that a restart finds every request where it was.
 * Every setting is read and checked before anything starts ({@link #plan}); the gateway's port then
 * opens first, answering 503 with Retry-After while the other components start in dependency order
 * (so that a restart never refuses connections); it takes writes once the broker, the registry and the
 * ledger's topics and schema contracts are up, and serves reads once the ledger does (until then they
 * answer 503 with Retry-After, never 404); it stops first, the others in the reverse order. The log's
 * "Lethe started in ..." line gives the time of each phase.
 */
public final class LetheStandalone implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LetheStandalone.class);
    private static final String DEMO_SYSTEMS = "demo-systems.json";
    private static final String SYSTEMS_FILE = "systems.json";
    /** The bucket of the demo s3 system {@code media} (demo-systems.json). */
    public static final String DEMO_BUCKET = "demo-media";

    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private final StandaloneConfig config;
    private GatewayServer gateway;
    private LedgerApp ledger;
    /** The gateway's reads of the ledger in this process, without HTTP; null until the ledger runs. */
    private volatile LedgerInProcess inProcess;
    private EmbeddedKafkaBroker broker;
    private EmbeddedSchemaRegistry registry;
    private EmbeddedS3Server s3;
    /** The S3 server starting on its own thread beside the others; joined before the executors start. */
    private CompletableFuture<EmbeddedS3Server> s3Starting;

    private LetheStandalone(StandaloneConfig config) {
        this.config = config;
    }

    /**
     * Everything a start needs, read and checked before anything starts: the run's own settings,
     * the secrets it will generate (not yet written), and the ledger's and the gateway's settings
     * as they will run, against the embedded broker, registry and S3 server on their configured
     * ports.
     */
    record Plan(StandaloneConfig config, List<Secrets.Generated> secrets, Secrets.Generated adminToken,
                Optional<DemoSystems> demoSystems, LedgerConfig ledger, GatewayConfig gateway,
                Secrets.Generated s3Access, Secrets.Generated s3Secret, Optional<DemoSql.Settings> demoSql) {
    }

    /** The demo systems file, copied under the data folder on the first start so that it can be edited. */
    record DemoSystems(Path file, String content) {
    }

    /**
     * Reads and checks every setting; writes nothing, starts nothing.
     *
     * @throws ConfigException naming the first variable that is missing, blank or malformed
     */
    static Plan plan(Map<String, String> environment) {
        final Env userEnv = Env.of(environment);
        LogSettings.verify(userEnv);
        final StandaloneConfig config = StandaloneConfig.read(userEnv);
        final Path dataDir = config.dataDir().toAbsolutePath();
        final Secrets secrets = new Secrets(dataDir);
        final List<Secrets.Generated> generated = new ArrayList<>();
        final Map<Path, String> planned = new HashMap<>();
        final Map<String, String> env = new HashMap<>(environment);
        if (!userEnv.isSet("LETHE_PSEUDONYM_SECRET") && config.pseudonymSecretFile().isEmpty()) {
            env.put("LETHE_PSEUDONYM_SECRET_FILE", generate(secrets, "pseudonym.secret", generated, planned).toString());
        }
        if (!userEnv.isSet(KekConfig.FILE_VARIABLE) && !userEnv.isSet(KekConfig.INLINE_VARIABLE)) {
            // the key-encryption key of the requests' data keys (issue 12, docs/privacy.md)
            env.put(KekConfig.FILE_VARIABLE, generate(secrets, "kek.secret", generated, planned).toString());
        }
        if (!userEnv.isSet(InternalToken.FILE_VARIABLE) && !userEnv.isSet(InternalToken.INLINE_VARIABLE)) {
            env.put(InternalToken.FILE_VARIABLE, generate(secrets, "internal.token", generated, planned).toString());
        }
        final Secrets.Generated adminToken = config.adminToken().isPresent() ? null
                : remember(secrets.plan("admin.token"), generated, planned);
        final Secrets.Generated s3Access = remember(secrets.plan("s3.access-key"), generated, planned);
        final Secrets.Generated s3Secret = remember(secrets.plan("s3.secret-key"), generated, planned);
        final Optional<DemoSql.Settings> demoSql = DemoSql.read(userEnv);
        final Optional<DemoSystems> demo = (config.systemsFile().isPresent() ? Optional.<DemoSystems>empty()
                : demoSystems(dataDir)).map(systems -> demoSql.map(sql -> new DemoSystems(systems.file(),
                        DemoSql.withDemo(systems.content(), sql))).orElse(systems));
        demo.ifPresent(systems -> planned.put(systems.file(), systems.content()));

        env.put("LETHE_BOOTSTRAP_SERVERS", EmbeddedKafkaBroker.HOST + ":" + config.kafkaPort());
        env.put("LETHE_SCHEMA_REGISTRY_URL", "http://" + EmbeddedKafkaBroker.HOST + ":" + config.registryPort());
        env.put("LETHE_STATE_DIR", dataDir.resolve("streams").toString());
        env.put("LETHE_ADVERTISED_HOST", "127.0.0.1");
        env.put("LETHE_QUERY_BIND", "127.0.0.1");
        env.put("LETHE_QUERY_PORT", Integer.toString(config.queryPort()));
        env.putIfAbsent("LETHE_PARTITIONS", "3");
        env.put("LETHE_REPLICATION_FACTOR", "1");
        env.put("LETHE_SYSTEMS_FILE", config.systemsFile().orElseGet(() -> dataDir.resolve(SYSTEMS_FILE)).toString());
        env.putIfAbsent("LETHE_APPROVAL", "auto"); // auto, manual or a rule list: the ledger parses it
        env.putIfAbsent("LETHE_EXECUTORS", demoSql.isPresent() ? "s3,http,opendsr,sql" : "s3,http,opendsr");
        // OpenDSR: processors call back at this gateway; its signing pair is self-signed under <data>/secrets
        env.putIfAbsent("LETHE_OPENDSR_CALLBACK_URL", "http://localhost:" + config.httpPort());
        env.putIfAbsent(OpenDsrGateway.LOCAL_DIR, dataDir.resolve("secrets").toString());
        demoSql.ifPresent(sql -> env.putIfAbsent("LETHE_SQL_SECRETS_DIR", sql.secretsDir().toString()));
        env.put("LETHE_S3_ENDPOINT", "http://127.0.0.1:" + config.s3Port());
        env.put("LETHE_S3_PATH_STYLE", "true");
        env.put("LETHE_S3_ACCESS_KEY_FILE", s3Access.file().toString());
        env.put("LETHE_S3_SECRET_KEY_FILE", s3Secret.file().toString());
        env.put("LETHE_HTTP_PORT", Integer.toString(config.httpPort()));
        env.put("LETHE_LEDGER_URL", "http://127.0.0.1:" + config.queryPort());
        final Env checked = Env.of(env).withPlannedFiles(planned);
        final LedgerConfig ledger = LedgerConfig.read(checked);
        GatewayConfig gateway = GatewayConfig.read(checked);
        if (adminToken != null) {
            gateway = gateway.withAdminToken(adminToken.value());
            gateway.authenticator();
        }
        return new Plan(config, List.copyOf(generated), adminToken, demo, ledger, gateway, s3Access, s3Secret, demoSql);
    }

    private static Path generate(Secrets secrets, String name, List<Secrets.Generated> generated,
                                 Map<Path, String> planned) {
        return remember(secrets.plan(name), generated, planned).file();
    }

    private static Secrets.Generated remember(Secrets.Generated secret, List<Secrets.Generated> generated,
                                              Map<Path, String> planned) {
        generated.add(secret);
        if (secret.created()) {
            planned.put(secret.file(), secret.value());
        }
        return secret;
    }

    /**
     * Checks every setting, then starts every component; on a configuration error nothing has
     * started and nothing was written; on any other failure stops what had started and rethrows.
     *
     * @throws ConfigException naming the first variable that is missing, blank or malformed
     */
    public static LetheStandalone start(Map<String, String> environment, PrintStream console) {
        return start(plan(environment), console);
    }

    static LetheStandalone start(Plan plan, PrintStream console) {
        return start(plan, console, () -> { });
    }

    /**
     * As {@link #start(Plan, PrintStream)}, running {@code behindOpenPort} once the gateway's port
     * answers 503 and before the broker starts (tests hold the start there to watch it).
     */
    static LetheStandalone start(Plan plan, PrintStream console, Runnable behindOpenPort) {
        return start(plan, console, behindOpenPort, () -> { });
    }

    /**
     * As {@link #start(Plan, PrintStream, Runnable)}, running {@code whileWritesOnly} once the
     * gateway takes writes and before the ledger serves reads (tests hold the start there to watch it).
     */
    static LetheStandalone start(Plan plan, PrintStream console, Runnable behindOpenPort, Runnable whileWritesOnly) {
        final LetheStandalone lethe = new LetheStandalone(plan.config());
        try {
            lethe.startAll(plan, console, behindOpenPort, whileWritesOnly);
            return lethe;
        } catch (RuntimeException e) {
            lethe.close();
            throw e;
        }
    }

    private void startAll(Plan plan, PrintStream console, Runnable behindOpenPort, Runnable whileWritesOnly) {
        final StartPhases phases = StartPhases.begin();
        final Path dataDir = config.dataDir().toAbsolutePath();
        started(DataDirLock.acquire(dataDir));
        final Secrets secrets = new Secrets(dataDir);
        plan.secrets().forEach(secrets::persist);
        plan.demoSystems().ifPresent(LetheStandalone::writeDemoSystems);
        gateway = new GatewayServer(plan.gateway(), () -> inProcess).listen();
        phases.mark("gateway port");
        behindOpenPort.run();
        // only the s3 executor (started once the ledger serves) needs it: off the path to serving
        s3Starting = CompletableFuture.supplyAsync(() -> EmbeddedS3Server.start(dataDir.resolve("s3"),
                config.s3Port(), plan.s3Access().value(), plan.s3Secret().value(), DEMO_BUCKET), task -> {
                    final Thread thread = new Thread(task, "lethe-s3-start");
                    thread.setDaemon(true);
                    thread.start();
                });

        broker = started(new EmbeddedKafkaBroker(dataDir.resolve("kafka"), config.kafkaPort(),
                config.controllerPort(), Map.of()).start());
        phases.mark("broker");
        registry = started(new EmbeddedSchemaRegistry(broker.bootstrapServers(), config.registryPort()).start());
        phases.mark("registry");
        plan.demoSql().ifPresent(DemoSql::prepare);
        expect("the broker", plan.ledger().bootstrapServers(), broker.bootstrapServers());
        expect("the schema registry", plan.ledger().schemaRegistryUrl(), registry.url());
        ledger = started(LedgerApp.start(plan.ledger(), new LedgerApp.StartListener() {
            @Override
            public void writable() {
                // intake answers 202 once a write is durable; reads answer 503 with Retry-After until serving
                gateway.ready();
                phases.mark("ledger topics and contracts (writes taken)");
                whileWritesOnly.run();
            }

            @Override
            public void serving(InProcessReads reads) {
                inProcess = new LedgerInProcess(reads);
                phases.mark("ledger streams (reads served)");
                s3 = started(joined(s3Starting));
                expect("the S3 server", plan.ledger().executors().s3Endpoint().map(URI::toString).orElse(""),
                        s3.endpoint().toString());
                phases.mark("s3 (started beside)");
            }
        }));
        phases.mark("executors");
        LOG.info("Lethe started in {}", phases.summary());
        announce(console, plan.adminToken());
    }

    /** What {@code starting} started, or its own failure (not wrapped). */
    private static <T> T joined(CompletableFuture<T> starting) {
        try {
            return starting.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
        }
    }

    /** The embedded servers listen where the plan said: a mismatch is a bug, not a setting. */
    private static void expect(String what, String planned, String actual) {
        if (!planned.equals(actual)) {
            throw new IllegalStateException(what + " listens on " + actual + ", not on " + planned + " as planned");
        }
    }

    private <T extends AutoCloseable> T started(T component) {
        running.push(component);
        return component;
    }

    /** The demo systems to copy under the data folder, unless a copy is already there. */
    private static Optional<DemoSystems> demoSystems(Path dataDir) {
        final Path file = dataDir.resolve(SYSTEMS_FILE);
        if (Files.exists(file)) {
            return Optional.empty();
        }
        try (InputStream demo = Objects.requireNonNull(
                LetheStandalone.class.getClassLoader().getResourceAsStream(DEMO_SYSTEMS), DEMO_SYSTEMS)) {
            return Optional.of(new DemoSystems(file, new String(demo.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the demo systems " + DEMO_SYSTEMS + ": " + e.getMessage(), e);
        }
    }

    private static void writeDemoSystems(DemoSystems demo) {
        try {
            Files.writeString(demo.file(), demo.content(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the demo systems file " + demo.file() + ": "
                    + e.getMessage(), e);
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
        if (gateway != null) {
            stop(gateway);
            gateway = null;
        }
        while (!running.isEmpty()) {
            stop(running.pop());
        }
        if (s3 == null && s3Starting != null) {
            // the start failed before the S3 server was joined: stop it once it has started
            try {
                stop(s3Starting.join());
            } catch (CompletionException e) {
                LOG.debug("the S3 server did not start", e);
            }
        }
    }

    private static void stop(AutoCloseable component) {
        try {
            component.close();
        } catch (Exception e) {
            LOG.error("could not stop {} cleanly", component.getClass().getSimpleName(), e);
        }
    }

    /**
     * With arguments, runs the command line ({@link LetheCommand}: {@code lethe <subcommand>}) and
     * exits with its status. Without, runs Lethe until the JVM is asked to stop. Every setting is read and checked first: a
     * configuration error prints one line ({@link StartupCheck}) and exits with status
     * {@value ConfigException#EXIT_STATUS}, before any port is bound or the data folder is touched.
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0) {
            // ./lethe <subcommand>: the command line (dev.lethe.standalone.cli), not the server
            CliLogging.toStandardError(System.getenv());
            final PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
            final PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
            System.exit(LetheCommand.run(args, System.getenv(), out, err));
            return;
        }
        final Optional<Plan> plan = StartupCheck.read(() -> plan(System.getenv()), System.err);
        if (plan.isEmpty()) {
            System.exit(ConfigException.EXIT_STATUS);
            return;
        }
        final LetheStandalone lethe = start(plan.get(), System.out);
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
