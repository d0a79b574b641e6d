package dev.lethe.standalone.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka broker (KRaft, combined broker and controller, node id 1) running inside
 * this JVM, so that the standalone Lethe needs no Kafka installation. Both listeners bind to
 * 127.0.0.1 only. Everything it stores lives under the data directory: the first start formats
 * it (a standalone dynamic quorum), later starts reuse it and keep every record.
 *
 * <p>Topics are never created implicitly ({@code auto.create.topics.enable=false}): an
 * idempotent producer writing to a topic that is created on the fly can lose records
 * (KAFKA-15591), so Lethe provisions its topics up front. Internal topics have replication 1.
 *
 * <p>Contract: {@link #start()} once, {@link #close()} once; ports given as 0 are resolved to
 * free ports when the instance is created, so {@link #bootstrapServers()} is known before start.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    public static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final String LOG_DIR = "kafka-logs";
    private static final String SERVER_PROPERTIES = "server.properties";
    /** {@code broker.session.timeout.ms} (Kafka's default 9000): see {@link #serverProperties()}. */
    static final int SESSION_TIMEOUT_MS = 4_000;
    /**
     * {@code broker.heartbeat.interval.ms} (Kafka's default 2000). Not lower: the controller gives a
     * heartbeat half the interval in its queue and logs an ERROR for each one that waits longer
     * (seen at 500 on a saturated machine).
     */
    static final int HEARTBEAT_INTERVAL_MS = 1_000;
    private static final String META_PROPERTIES = "meta.properties";

    private final Path dataDir;
    private final int clientPort;
    private final int controllerPort;
    private final Map<String, String> extraProperties;
    private KafkaRaftServer server;

    /**
     * @param dataDir         where the broker keeps its logs (created if missing)
     * @param clientPort      the PLAINTEXT port for clients, 0 for a free one
     * @param controllerPort  the KRaft controller port, 0 for a free one
     * @param extraProperties broker properties that override the defaults set here
     */
    public EmbeddedKafkaBroker(Path dataDir, int clientPort, int controllerPort, Map<String, String> extraProperties) {
        this.dataDir = dataDir.toAbsolutePath();
        this.clientPort = clientPort == 0 ? freePort() : clientPort;
        this.controllerPort = controllerPort == 0 ? freePort() : controllerPort;
        this.extraProperties = Map.copyOf(extraProperties);
    }

    /** A broker on free ports with the default settings. */
    public static EmbeddedKafkaBroker onFreePorts(Path dataDir) {
        return new EmbeddedKafkaBroker(dataDir, 0, 0, Map.of());
    }

    /** Formats the data directory if it has never been formatted, then starts and waits until the broker serves. */
    public synchronized EmbeddedKafkaBroker start() {
        if (server != null) {
            throw new IllegalStateException("the embedded Kafka broker is already started");
        }
        final long started = System.nanoTime();
        final Properties properties = serverProperties();
        final Path propertiesFile = writeProperties(properties);
        if (!Files.exists(logDir().resolve(META_PROPERTIES))) {
            format(propertiesFile);
        }
        server = startServer(properties);
        LOG.info("Kafka broker serving on {} (data in {}), started in {} ms",
                bootstrapServers(), dataDir, (System.nanoTime() - started) / 1_000_000);
        return this;
    }

    /** Starts the combined server; if the broker half fails, stops the controller half that already runs. */
    private static KafkaRaftServer startServer(Properties properties) {
        final KafkaRaftServer raftServer = new KafkaRaftServer(KafkaConfig.fromProps(properties, false), Time.SYSTEM);
        try {
            raftServer.startup();
            return raftServer;
        } catch (RuntimeException e) {
            try {
                raftServer.shutdown();
                raftServer.awaitShutdown();
            } catch (RuntimeException shutdownFailure) {
                e.addSuppressed(shutdownFailure);
            }
            throw new IllegalStateException("the embedded Kafka broker did not start: " + e.getMessage(), e);
        }
    }

    /** {@code 127.0.0.1:<client port>}. */
    public String bootstrapServers() {
        return HOST + ":" + clientPort;
    }

    public int clientPort() {
        return clientPort;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Shuts the broker down and waits until it has stopped; does nothing if it is not running. */
    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        server = null;
        LOG.info("Kafka broker on {} stopped", bootstrapServers());
    }

    private Path logDir() {
        return dataDir.resolve(LOG_DIR);
    }

    /** The broker configuration; config names are Kafka's documented broker settings. */
    private Properties serverProperties() {
        final Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("listeners", "PLAINTEXT://" + HOST + ":" + clientPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + clientPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("controller.quorum.bootstrap.servers", HOST + ":" + controllerPort);
        p.put("log.dirs", logDir().toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("auto.create.topics.enable", "false");
        // One broker serves one application: 50 partitions each (Kafka's defaults) only lengthen the
        // log recovery after a crash. Takes effect when the data folder is formatted.
        p.put("offsets.topic.num.partitions", "3");
        p.put("transaction.state.log.num.partitions", "3");
        // After a crash (kill -9) the restarted controller gives the dead broker's registration a fresh
        // session and refuses the new one (DUPLICATE_BROKER_REGISTRATION) until that session expires;
        // then the broker is unfenced on its next heartbeat. Kafka's 9 s and 2 s made up about 7 s of a
        // restart; broker and controller share this JVM, so a short session fences nothing that is alive.
        p.put("broker.session.timeout.ms", Integer.toString(SESSION_TIMEOUT_MS));
        p.put("broker.heartbeat.interval.ms", Integer.toString(HEARTBEAT_INTERVAL_MS));
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("group.streams.initial.rebalance.delay.ms", "0");
        p.putAll(extraProperties);
        return p;
    }

    private Path writeProperties(Properties properties) {
        final Path file = dataDir.resolve(SERVER_PROPERTIES);
        try {
            Files.createDirectories(logDir());
            try (OutputStream out = Files.newOutputStream(file)) {
                properties.store(out, "written by Lethe's embedded broker on every start");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the broker configuration under " + dataDir, e);
        }
    }

    /** Runs {@code kafka-storage format --standalone} in-process; StorageTool.execute never exits the JVM. */
    private static void format(Path propertiesFile) {
        final String clusterId = Uuid.randomUuid().toString();
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        final int status;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            status = StorageTool.execute(new String[] {
                "format", "-t", clusterId, "-c", propertiesFile.toString(), "--standalone"}, out);
        } catch (RuntimeException e) {
            throw new IllegalStateException("formatting the Kafka storage failed: " + e.getMessage()
                    + " " + output.toString(StandardCharsets.UTF_8).trim(), e);
        }
        final String printed = output.toString(StandardCharsets.UTF_8).trim();
        if (status != 0) {
            throw new IllegalStateException("formatting the Kafka storage failed (" + status + "): " + printed);
        }
        LOG.info("formatted Kafka storage for new cluster {}", clusterId);
        LOG.debug("kafka-storage format printed: {}", printed);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on " + HOST, e);
        }
    }
}
