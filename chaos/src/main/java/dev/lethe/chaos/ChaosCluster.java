package dev.lethe.chaos;

import dev.lethe.schemas.Topics;
import dev.lethe.schemas.opendsr.SigningPair;
import dev.lethe.standalone.s3.EmbeddedS3Server;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The production-shaped cluster of docker-compose.yml on loopback, each process in its own JVM:
 * three KRaft brokers, the schema registry, two ledger instances of one application (standby
 * replicas, the S3 and HTTP executors), one gateway; the S3-compatible store (s3proxy) runs in
 * the harness's JVM. The ledger's and gateway's settings are the compose file's environment
 * variables (docs/reliability.md lists where they differ). Secrets are random per run and written
 * only under the run's folder.
 */
public final class ChaosCluster implements AutoCloseable {

    public static final int PARTITIONS = 6;
    public static final String BUCKET = "chaos-media";
    /** The event-mode systems the fake partners answer for. */
    public static final List<String> PARTNER_SYSTEMS = List.of("crm", "billing", "analytics");
    /** The S3-mode system the ledger's executor erases. */
    public static final String S3_SYSTEM = "media";
    private static final String S3_ACCESS = "chaos";
    private static final Duration START = Duration.ofSeconds(180);
    /**
     * The ledgers' LETHE_FORGET_AFTER and LETHE_ARCHIVE_RELEASE_AFTER (compose: the defaults, P7D and
     * PT10M): short, so that finished requests are forgotten, archived and released from the task stores
     * during the scenarios, and late callbacks, kills and the check's reads meet archived requests.
     */
    static final String FORGET_AFTER = "PT30S";
    static final String ARCHIVE_RELEASE_AFTER = "PT10S";

    private final Path dir;
    private final String classpath;
    private final List<Node> brokers = new ArrayList<>();
    private final List<Node> ledgers = new ArrayList<>();
    private Node registry;
    private Node gateway;
    private EmbeddedS3Server s3;
    private Admin admin;
    private final Map<String, String> tokens = new HashMap<>();
    private String bootstrap;
    private String registryUrl;
    private int gatewayPort;
    /** What the supervisor saw: processes that exited on their own, and their restarts. */
    private final java.util.Queue<String> events = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicBoolean supervising = new java.util.concurrent.atomic.AtomicBoolean();
    private Thread supervisor;

    private ChaosCluster(Path dir, String classpath) {
        this.dir = dir;
        this.classpath = classpath;
    }

    /** Starts everything under {@code dir}, in compose's order, and returns once the gateway answers. */
    public static ChaosCluster start(Path dir, String classpath) {
        final ChaosCluster cluster = new ChaosCluster(dir, classpath);
        try {
            cluster.startAll();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private void startAll() {
        final String clusterId = Uuid.randomUuid().toString();
        final int[] client = {freePort(), freePort(), freePort()};
        final int[] controller = {freePort(), freePort(), freePort()};
        final String voters = "1@127.0.0.1:" + controller[0] + ",2@127.0.0.1:" + controller[1]
                + ",3@127.0.0.1:" + controller[2];
        bootstrap = "127.0.0.1:" + client[0] + ",127.0.0.1:" + client[1] + ",127.0.0.1:" + client[2];
        for (int i = 0; i < 3; i++) {
            final int port = client[i];
            brokers.add(new Node("kafka-" + (i + 1), classpath, BrokerNodeMain.class.getName(),
                    List.of(Integer.toString(i + 1), dir.resolve("kafka-" + (i + 1)).toString(),
                            Integer.toString(port), Integer.toString(controller[i]), voters, clusterId),
                    Map.of(), "384m", dir.resolve("logs/kafka-" + (i + 1) + ".log"), () -> listening(port), START));
        }
        brokers.forEach(Node::launch);
        brokers.forEach(Node::awaitReady);
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000));
        awaitBrokers(3);
        createSchemasTopic();
        final int registryPort = freePort();
        registryUrl = "http://127.0.0.1:" + registryPort;
        registry = new Node("schema-registry", classpath, RegistryMain.class.getName(),
                List.of(bootstrap, Integer.toString(registryPort)), Map.of(), "256m",
                dir.resolve("logs/schema-registry.log"), () -> httpOk(registryUrl + "/subjects"), START).start();
        s3 = EmbeddedS3Server.start(dir.resolve("s3"), 0, S3_ACCESS, writeSecrets(), BUCKET);
        for (int i = 1; i <= 2; i++) {
            ledgers.add(ledgerNode(i));
        }
        ledgers.get(0).start();
        ledgers.get(1).start();
        gatewayPort = freePort();
        gateway = gatewayNode().start();
        supervise();
    }

    /**
     * Compose's {@code restart: unless-stopped}: a process that exits when the harness did not kill
     * or stop it (a ledger whose stream processing failed for good exits so that it is restarted)
     * is started again, and the event is kept for the scenario's notes ({@link #drainEvents()}).
     */
    private void supervise() {
        supervising.set(true);
        supervisor = new Thread(() -> {
            while (supervising.get()) {
                for (Node node : all()) {
                    try {
                        final Integer status = node.relaunchIfExitedOnItsOwn();
                        if (status != null) {
                            events.add(node.name() + " exited on its own (status " + status + ") at " + java.time.Instant.now()
                                    + "; restarted, as compose's restart: unless-stopped would");
                            if (!node.awaitReadyOrExit()) {
                                events.add(node.name() + " did not come up again: " + node.lastWords());
                            }
                        }
                    } catch (RuntimeException e) {
                        events.add(node.name() + " could not be restarted: " + e.getMessage());
                    }
                }
                Pause.forMillis(1000);
            }
        }, "chaos-supervisor");
        supervisor.setDaemon(true);
        supervisor.start();
    }

    /** The supervisor's events since the last call. */
    public List<String> drainEvents() {
        final List<String> drained = new ArrayList<>();
        for (String event = events.poll(); event != null; event = events.poll()) {
            drained.add(event);
        }
        return drained;
    }

    /** The secrets of the run (compose's ./secrets), returns the S3 secret key. */
    private String writeSecrets() {
        final String s3Secret = random(24);
        tokens.put("admin", random(24));
        tokens.put("submitter", random(24));
        tokens.put("approver", random(24));
        PARTNER_SYSTEMS.forEach(system -> tokens.put("partner:" + system, random(24)));
        try {
            final Path secrets = Files.createDirectories(dir.resolve("secrets"));
            Files.writeString(secrets.resolve("pseudonym.secret"), random(32));
            Files.writeString(secrets.resolve("kek.secret"), random(32));
            Files.writeString(secrets.resolve("internal.token"), random(32));
            Files.writeString(secrets.resolve("s3-access-key"), S3_ACCESS);
            Files.writeString(secrets.resolve("s3-secret-key"), s3Secret);
            Files.writeString(secrets.resolve("tokens"), tokens.entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining("\n", "", "\n")));
            Files.writeString(dir.resolve("systems.json"), systemsJson());
            // compose's secrets/opendsr.key and .crt: one OpenDSR signing pair for the gateway and the ledgers
            SigningPair.local(secrets, "localhost");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return s3Secret;
    }

    private static String systemsJson() {
        final String partners = PARTNER_SYSTEMS.stream().map(name -> """
                  {"name": "%s", "owner": "%s-team", "contact": "%s@example.com", "mode": "event",
                   "namespaces": ["user_id"], "jurisdictions": [], "tags": [], "slaDays": 30, "reminderHours": 24}"""
                .formatted(name, name, name)).collect(Collectors.joining(",\n"));
        return "[\n" + partners + """
                ,
                  {"name": "%s", "owner": "media-team", "contact": "media@example.com", "mode": "s3",
                   "namespaces": ["user_id"], "jurisdictions": [], "tags": [], "slaDays": 30,
                   "s3": {"buckets": ["%s"], "prefixes": ["users/{user_id}/"], "deletesPerSecond": 2000}}
                ]
                """.formatted(S3_SYSTEM, BUCKET);
    }

    /** A ledger instance: x-streams-app-env of docker-compose.yml, on loopback ports. */
    private Node ledgerNode(int index) {
        final int port = freePort();
        final Path secrets = dir.resolve("secrets");
        final Map<String, String> env = new HashMap<>();
        env.put("LETHE_BOOTSTRAP_SERVERS", bootstrap);
        env.put("LETHE_SCHEMA_REGISTRY_URL", registryUrl);
        env.put("LETHE_QUERY_PORT", Integer.toString(port));
        env.put("LETHE_STATE_DIR", dir.resolve("streams-app-" + index + "-state").toString());
        env.put("LETHE_PARTITIONS", Integer.toString(PARTITIONS));
        env.put("LETHE_REPLICATION_FACTOR", "3");
        env.put("LETHE_STANDBY_REPLICAS", "1");
        env.put("LETHE_PSEUDONYM_SECRET_FILE", secrets.resolve("pseudonym.secret").toString());
        env.put("LETHE_KEK_FILE", secrets.resolve("kek.secret").toString());
        env.put("LETHE_INTERNAL_TOKEN_FILE", secrets.resolve("internal.token").toString());
        openDsrPair(env, secrets);
        env.put("LETHE_EXECUTORS", "s3,http");
        env.put("LETHE_S3_ENDPOINT", s3.endpoint().toString());
        env.put("LETHE_S3_PATH_STYLE", "true");
        env.put("LETHE_S3_ACCESS_KEY_FILE", secrets.resolve("s3-access-key").toString());
        env.put("LETHE_S3_SECRET_KEY_FILE", secrets.resolve("s3-secret-key").toString());
        env.put("LETHE_ADVERTISED_HOST", "127.0.0.1");
        // differences from compose (docs/reliability.md): loopback only, a systems file, a small RocksDB
        env.put("LETHE_QUERY_BIND", "127.0.0.1");
        env.put("LETHE_SYSTEMS_FILE", dir.resolve("systems.json").toString());
        env.put("LETHE_ROCKSDB_MEMORY_MB", "32");
        env.put("LETHE_EXECUTOR_RETRY_BASE_MS", "50");
        // requests are forgotten, archived and released from the task stores while the scenarios run
        env.put("LETHE_FORGET_AFTER", FORGET_AFTER);
        env.put("LETHE_ARCHIVE_RELEASE_AFTER", ARCHIVE_RELEASE_AFTER);
        final String health = "http://127.0.0.1:" + port + "/internal/health";
        return new Node("streams-app-" + index, classpath, "dev.lethe.ledger.LedgerMain", List.of(), env, "384m",
                dir.resolve("logs/streams-app-" + index + ".log"), () -> httpOk(health), START);
    }

    /** Compose's LETHE_OPENDSR_KEY_FILE and LETHE_OPENDSR_CERT_FILE: the one signing pair every service shares. */
    private static void openDsrPair(Map<String, String> env, Path secrets) {
        env.put(SigningPair.KEY_FILE, secrets.resolve("opendsr.key").toString());
        env.put(SigningPair.CERT_FILE, secrets.resolve("opendsr.crt").toString());
    }

    /** The gateway: compose's api-gateway environment; it reads through both ledger instances, as in compose. */
    private Node gatewayNode() {
        final Path secrets = dir.resolve("secrets");
        final Map<String, String> env = new HashMap<>();
        env.put("LETHE_BOOTSTRAP_SERVERS", bootstrap);
        env.put("LETHE_SCHEMA_REGISTRY_URL", registryUrl);
        env.put("LETHE_HTTP_PORT", Integer.toString(gatewayPort));
        env.put("LETHE_LEDGER_URL", ledgers.stream()
                .map(ledger -> "http://127.0.0.1:" + ledger.env().get("LETHE_QUERY_PORT"))
                .collect(Collectors.joining(",")));
        env.put("LETHE_PARTITIONS", Integer.toString(PARTITIONS));
        env.put("LETHE_REPLICATION_FACTOR", "3");
        env.put("LETHE_PSEUDONYM_SECRET_FILE", secrets.resolve("pseudonym.secret").toString());
        env.put("LETHE_KEK_FILE", secrets.resolve("kek.secret").toString());
        env.put("LETHE_TOKENS_FILE", secrets.resolve("tokens").toString());
        env.put("LETHE_INTERNAL_TOKEN_FILE", secrets.resolve("internal.token").toString());
        openDsrPair(env, secrets);
        final String health = "http://127.0.0.1:" + gatewayPort + "/health";
        return new Node("api-gateway", classpath, "dev.lethe.gateway.GatewayMain", List.of(), env, "256m",
                dir.resolve("logs/api-gateway.log"), () -> httpOk(health), START);
    }

    /** _schemas replicated 3 (compose's registry: KAFKASTORE_TOPIC_REPLICATION_FACTOR 3), before the registry makes it with 1. */
    private void createSchemasTopic() {
        try {
            admin.createTopics(List.of(new NewTopic("_schemas", 1, (short) 3)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                    .all().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot create _schemas: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until {@code count} brokers are registered. */
    public void awaitBrokers(int count) {
        final long deadline = System.nanoTime() + START.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size() >= count) {
                    return;
                }
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                // not yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            Pause.briefly();
        }
        throw new IllegalStateException(count + " brokers did not register within " + START);
    }

    /** Waits until every partition of Lethe's topics has its full ISR again (after a broker restart). */
    public void awaitFullIsr(Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        String missing = "no answer from the cluster";
        while (System.nanoTime() < deadline) {
            try {
                final Set<String> names = admin.listTopics().names().get(10, TimeUnit.SECONDS);
                final Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames()
                        .get(10, TimeUnit.SECONDS);
                final List<String> lagging = topics.values().stream().flatMap(t -> t.partitions().stream()
                        .filter(p -> p.isr().size() < p.replicas().size())
                        .map(p -> t.name() + "-" + p.partition() + " isr " + p.isr().stream().map(n -> n.id()).toList()
                                + " of " + p.replicas().stream().map(n -> n.id()).toList())).sorted().toList();
                if (lagging.isEmpty()) {
                    return;
                }
                missing = lagging.size() + " partitions short, e.g. " + lagging.subList(0, Math.min(8, lagging.size()));
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                missing = "the cluster did not answer: " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the full ISR", e);
            }
            Pause.briefly();
        }
        throw new IllegalStateException("the ISR of every partition did not fill again within " + timeout + ": " + missing);
    }

    /** The broker that leads most partitions of the three input topics. */
    public Node inputLeader() {
        try {
            final Map<String, TopicDescription> topics = admin.describeTopics(
                    List.of(Topics.REQUESTS, Topics.DECISIONS, Topics.CALLBACKS)).allTopicNames().get(20, TimeUnit.SECONDS);
            final Map<Integer, Long> led = topics.values().stream().flatMap(t -> t.partitions().stream())
                    .map(TopicPartitionInfo::leader).filter(java.util.Objects::nonNull)
                    .collect(Collectors.groupingBy(n -> n.id(), Collectors.counting()));
            final int id = led.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            return brokers.get(id - 1);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot describe the input topics: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    public String registryUrl() {
        return registryUrl;
    }

    public String gatewayUrl() {
        return "http://127.0.0.1:" + gatewayPort;
    }

    public String token(String role) {
        return tokens.get(role);
    }

    public List<Node> brokers() {
        return brokers;
    }

    public List<Node> ledgers() {
        return ledgers;
    }

    public Node registry() {
        return registry;
    }

    public Node gateway() {
        return gateway;
    }

    /** Every process, in compose's start order. */
    public List<Node> all() {
        final List<Node> all = new ArrayList<>(brokers);
        all.add(registry);
        all.addAll(ledgers);
        all.add(gateway);
        return all;
    }

    public Admin admin() {
        return admin;
    }

    public Path dir() {
        return dir;
    }

    /** The folder where s3proxy keeps {@link #BUCKET}'s objects as files. */
    public Path bucketDir() {
        return dir.resolve("s3").resolve(BUCKET);
    }

    public int s3Port() {
        return s3.endpoint().getPort();
    }

    @Override
    public void close() {
        supervising.set(false);
        if (supervisor != null) {
            try {
                supervisor.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (gateway != null) {
            gateway.kill();
        }
        ledgers.forEach(Node::kill);
        if (registry != null) {
            registry.kill();
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        brokers.forEach(Node::kill);
        if (s3 != null) {
            try {
                s3.close();
            } catch (Exception e) {
                System.err.println("closing the S3 server failed: " + e.getMessage());
            }
        }
    }

    private static String random(int bytes) {
        final byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static final HttpClient PROBE = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static boolean httpOk(String url) {
        try {
            return PROBE.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
