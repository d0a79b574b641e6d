package dev.lethe.standalone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The environments (as in {@code System.getenv()}) that integration tests hand to
 * {@code LedgerConfig.fromEnvironment} and {@code GatewayConfig.fromEnvironment}.
 */
final class LetheEnv {

    static final String ADMIN_TOKEN = "it-admin-token-0123456789abcdef";
    static final String PSEUDONYM_SECRET = "it-pseudonym-secret-0123456789abcdef-0123456789";
    /** The secret the gateway and the ledger instances share for the ledger's internal endpoint. */
    static final String INTERNAL_TOKEN = "it-internal-token-0123456789abcdef-0123456789";

    /**
     * The systems the tests route against: three that hold user ids or e-mail addresses, one that
     * holds only phone numbers and one limited to CCPA, so a GDPR request for a user id and an
     * e-mail address reaches exactly {@code analytics}, {@code billing} and {@code crm}.
     */
    static final String SYSTEMS_JSON = """
            [
              {"name": "billing", "owner": "billing-team", "contact": "billing@example.com", "mode": "event",
               "namespaces": ["user_id", "email"], "jurisdictions": [], "tags": ["finance"],
               "slaDays": 14, "reminderHours": 24},
              {"name": "crm", "owner": "sales-ops", "contact": "crm@example.com", "mode": "event",
               "namespaces": ["email", "phone"], "jurisdictions": [], "tags": ["marketing"],
               "slaDays": 14, "reminderHours": 24},
              {"name": "analytics", "owner": "data-platform", "contact": "data@example.com", "mode": "event",
               "namespaces": ["user_id", "device_id"], "jurisdictions": [], "tags": ["warehouse"],
               "slaDays": 30, "reminderHours": 48},
              {"name": "sms-gateway", "owner": "messaging", "contact": "sms@example.com", "mode": "event",
               "namespaces": ["phone"], "jurisdictions": [], "tags": [], "slaDays": 14, "reminderHours": 24},
              {"name": "ccpa-vault", "owner": "us-legal", "contact": "vault@example.com", "mode": "event",
               "namespaces": ["email", "user_id"], "jurisdictions": ["CCPA"], "tags": [],
               "slaDays": 14, "reminderHours": 24}
            ]
            """;

    private LetheEnv() {
    }

    /** Writes {@link #SYSTEMS_JSON} under {@code dir} and returns the file. */
    static Path systemsFile(Path dir) {
        try {
            Files.createDirectories(dir);
            return Files.writeString(dir.resolve("systems.json"), SYSTEMS_JSON);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The ledger's environment; {@code queryPort} must be a real port. */
    static Map<String, String> ledger(ItCluster cluster, String applicationId, Path stateDir, int queryPort,
                                      Path systemsFile) {
        final Map<String, String> env = new HashMap<>();
        env.put("LETHE_BOOTSTRAP_SERVERS", cluster.bootstrapServers());
        env.put("LETHE_SCHEMA_REGISTRY_URL", cluster.registryUrl());
        env.put("LETHE_APPLICATION_ID", applicationId);
        env.put("LETHE_STATE_DIR", stateDir.toString());
        env.put("LETHE_ADVERTISED_HOST", "127.0.0.1");
        env.put("LETHE_QUERY_PORT", Integer.toString(queryPort));
        env.put("LETHE_PARTITIONS", "2");
        env.put("LETHE_REPLICATION_FACTOR", "1");
        env.put("LETHE_PSEUDONYM_SECRET", PSEUDONYM_SECRET);
        env.put("LETHE_SYSTEMS_FILE", systemsFile.toString());
        env.put("LETHE_START_TIMEOUT_S", "90");
        env.put("LETHE_INTERNAL_TOKEN", INTERNAL_TOKEN);
        return env;
    }

    /** The gateway's environment, on a free port, reading the ledger on {@code ledgerQueryPort}. */
    static Map<String, String> gateway(ItCluster cluster, int ledgerQueryPort) {
        return Map.of(
                "LETHE_HTTP_PORT", "0",
                "LETHE_BOOTSTRAP_SERVERS", cluster.bootstrapServers(),
                "LETHE_SCHEMA_REGISTRY_URL", cluster.registryUrl(),
                "LETHE_LEDGER_URL", "http://127.0.0.1:" + ledgerQueryPort,
                "LETHE_ADMIN_TOKEN", ADMIN_TOKEN,
                "LETHE_INTERNAL_TOKEN", INTERNAL_TOKEN);
    }

    /**
     * The data key of {@code requestId} in the clear, read from {@code erasure.keys} and unwrapped
     * with the key-encryption key the ledger derives from {@link #PSEUDONYM_SECRET} when no
     * {@code LETHE_KEK} is set (as in {@link #ledger}).
     */
    static byte[] dataKey(ItCluster cluster, String requestId) {
        final dev.lethe.schemas.crypto.KeyWrapper kek = kek();
        final var keys = TopicReader.readAll(cluster.bootstrapServers(), dev.lethe.schemas.Topics.KEYS,
                cluster.serdes().key().deserializer(), cluster.serdes().dataKey().deserializer()).stream()
                .filter(record -> requestId.equals(record.key())).toList();
        final dev.lethe.avro.DataKey key = keys.get(keys.size() - 1).value();
        return kek.unwrap(new dev.lethe.schemas.crypto.KeyWrapper.Wrapped(key.getKekId(),
                dev.lethe.schemas.crypto.Sealing.bytes(key.getWrapped())));
    }

    /** The key-encryption key of a ledger started with {@link #ledger} (no {@code LETHE_KEK}: derived). */
    static dev.lethe.schemas.crypto.KeyWrapper kek() {
        return dev.lethe.schemas.crypto.KekConfig.readOrDerive(dev.lethe.schemas.config.Env.of(Map.of()),
                dev.lethe.schemas.config.Secret.of(PSEUDONYM_SECRET));
    }

    /** A port that was free a moment ago (for settings that need a real port number up front). */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
