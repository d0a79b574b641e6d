package dev.lethe.chaos;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.utils.Time;

/**
 * One node of the chaos cluster's three-node KRaft quorum (combined broker and controller), in
 * its own JVM: {@code BrokerNodeMain <node id> <data dir> <client port> <controller port>
 * <voters> <cluster id>}. The settings are docker-compose.yml's ({@code x-kafka-env}): replication
 * 3, {@code min.insync.replicas=2}, offsets and transaction state replicated 3 (min ISR 2), no
 * automatic topic creation. The first start formats the data directory; SIGTERM shuts down
 * cleanly, SIGKILL does not.
 */
public final class BrokerNodeMain {

    private BrokerNodeMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 6) {
            System.err.println("usage: BrokerNodeMain <node id> <data dir> <client port> <controller port> <voters> <cluster id>");
            System.exit(2);
        }
        final Path dir = Path.of(args[1]).toAbsolutePath();
        final Properties p = properties(args[0], dir, args[2], args[3], args[4]);
        final Path file = dir.resolve("server.properties");
        Files.createDirectories(dir.resolve("logs"));
        try (OutputStream out = Files.newOutputStream(file)) {
            p.store(out, "chaos broker " + args[0]);
        }
        if (!Files.exists(dir.resolve("logs").resolve("meta.properties"))) {
            format(file, args[5]);
        }
        final KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(p, false), Time.SYSTEM);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            server.awaitShutdown();
        }, "chaos-broker-shutdown"));
        server.startup();
        server.awaitShutdown();
    }

    static Properties properties(String nodeId, Path dir, String clientPort, String controllerPort, String voters) {
        final Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", nodeId);
        p.put("controller.quorum.voters", voters);
        p.put("listeners", "INTERNAL://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "INTERNAL://127.0.0.1:" + clientPort);
        p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,INTERNAL:PLAINTEXT");
        p.put("inter.broker.listener.name", "INTERNAL");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("log.dirs", dir.resolve("logs").toString());
        p.put("auto.create.topics.enable", "false");
        p.put("default.replication.factor", "3");
        p.put("min.insync.replicas", "2");
        p.put("offsets.topic.replication.factor", "3");
        p.put("transaction.state.log.replication.factor", "3");
        p.put("transaction.state.log.min.isr", "2");
        p.put("share.coordinator.state.topic.replication.factor", "3");
        p.put("share.coordinator.state.topic.min.isr", "2");
        // Small machine: fewer threads and smaller segments than the defaults.
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("log.segment.bytes", Integer.toString(16 * 1024 * 1024));
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("group.streams.initial.rebalance.delay.ms", "0");
        return p;
    }

    private static void format(Path file, String clusterId) {
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        final int status;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            status = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", file.toString()}, out);
        }
        if (status != 0) {
            throw new IllegalStateException("formatting failed (" + status + "): " + output.toString(StandardCharsets.UTF_8));
        }
    }
}
