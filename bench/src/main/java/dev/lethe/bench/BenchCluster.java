package dev.lethe.bench;

import dev.lethe.schemas.LetheSerdes;
import dev.lethe.schemas.TopicProvisioner;
import dev.lethe.schemas.Topics;
import dev.lethe.schemas.registry.RestSchemaRegistryClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * One stage's world: a broker and registry in their own JVM, Lethe's topics provisioned with
 * {@link #PARTITIONS} partitions, serdes and an admin client against them, and the ledger's
 * environment. The pseudonym secret is random per run and never written anywhere.
 */
public final class BenchCluster implements AutoCloseable {

    /** The partition count of every topic (as in the standalone run). */
    public static final int PARTITIONS = 3;
    /** How many systems every request is routed to (they all hold {@code user_id}). */
    public static final int SYSTEMS = 10;

    private final BrokerProcess broker;
    private final Admin admin;
    private final LetheSerdes serdes;
    private final Path dir;
    private final String secret;
    private final String internalToken;

    private BenchCluster(BrokerProcess broker, Path dir) {
        this.broker = broker;
        this.dir = dir;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
        this.serdes = new LetheSerdes(new RestSchemaRegistryClient(broker.registryUrl()));
        final byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        this.secret = HexFormat.of().formatHex(random);
        new SecureRandom().nextBytes(random);
        this.internalToken = HexFormat.of().formatHex(random);
    }

    /** The internal secret of the ledger's query endpoint, random per run, as the gateway must send it. */
    public String internalToken() {
        return internalToken;
    }

    /** Starts the broker JVM under a new folder of the context and provisions the topics. */
    public static BenchCluster start(BenchContext context, String name) {
        final Path dir = context.dir(name);
        final BenchCluster cluster = new BenchCluster(BrokerProcess.start(context.classpath(), dir), dir);
        try {
            new TopicProvisioner(cluster.admin, Duration.ofSeconds(60))
                    .ensure(Topics.all(Topics.Settings.defaults(PARTITIONS, (short) 1)));
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public String registryUrl() {
        return broker.registryUrl();
    }

    public LetheSerdes serdes() {
        return serdes;
    }

    public Admin admin() {
        return admin;
    }

    public Path dir() {
        return dir;
    }

    /** The ledger's environment for application {@code applicationId}, routing to {@link #SYSTEMS} systems. */
    public Map<String, String> ledgerEnv(String applicationId, int rocksDbMemoryMb) {
        final Map<String, String> env = new HashMap<>();
        env.put("LETHE_BOOTSTRAP_SERVERS", bootstrapServers());
        env.put("LETHE_SCHEMA_REGISTRY_URL", registryUrl());
        env.put("LETHE_APPLICATION_ID", applicationId);
        env.put("LETHE_STATE_DIR", dir.resolve("state-" + applicationId).toString());
        env.put("LETHE_ADVERTISED_HOST", "127.0.0.1");
        env.put("LETHE_QUERY_BIND", "127.0.0.1");
        env.put("LETHE_QUERY_PORT", Integer.toString(Ports.free()));
        env.put("LETHE_PARTITIONS", Integer.toString(PARTITIONS));
        env.put("LETHE_REPLICATION_FACTOR", "1");
        env.put("LETHE_PSEUDONYM_SECRET", secret);
        env.put("LETHE_INTERNAL_TOKEN", internalToken);
        env.put("LETHE_SYSTEMS_FILE", systemsFile().toString());
        env.put("LETHE_ROCKSDB_MEMORY_MB", Integer.toString(rocksDbMemoryMb));
        return env;
    }

    /** {@link #SYSTEMS} event-mode systems {@code system-00..}, each holding user ids. */
    private Path systemsFile() {
        final String systems = IntStream.range(0, SYSTEMS).mapToObj(i -> String.format(
                "{\"name\": \"system-%02d\", \"owner\": \"team-%02d\", \"contact\": \"t%02d@example.com\","
                        + " \"mode\": \"event\", \"namespaces\": [\"user_id\"], \"jurisdictions\": [], \"tags\": [],"
                        + " \"slaDays\": 30, \"reminderHours\": 240}", i, i, i))
                .collect(Collectors.joining(",\n", "[\n", "\n]\n"));
        try {
            Files.createDirectories(dir);
            return Files.writeString(dir.resolve("systems.json"), systems);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The name of system {@code i} in the systems file. */
    public static String system(int i) {
        return String.format("system-%02d", i);
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(10));
        broker.close();
    }
}
