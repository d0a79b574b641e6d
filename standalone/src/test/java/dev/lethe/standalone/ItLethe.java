package dev.lethe.standalone;

import dev.lethe.gateway.GatewayConfig;
import dev.lethe.gateway.GatewayServer;
import dev.lethe.ledger.LedgerApp;
import dev.lethe.ledger.LedgerConfig;
import java.nio.file.Path;

/**
 * One ledger and one gateway on a fresh {@link ItCluster}, with {@link LetheEnv}'s settings, as
 * most integration test classes run them: started in {@code @BeforeAll}, closed in
 * {@code @AfterAll}, every byte under the given folder.
 */
final class ItLethe implements AutoCloseable {

    private final ItCluster cluster;
    private final LedgerApp ledger;
    private final GatewayServer gateway;
    private final ApiClient api;

    private ItLethe(ItCluster cluster, LedgerApp ledger, GatewayServer gateway) {
        this.cluster = cluster;
        this.ledger = ledger;
        this.gateway = gateway;
        this.api = new ApiClient(gateway.port(), LetheEnv.ADMIN_TOKEN);
    }

    /** Starts a broker and a registry, the ledger as {@code applicationId}, and the gateway, under {@code dir}. */
    static ItLethe start(Path dir, String applicationId) {
        final ItCluster cluster = ItCluster.withRegistry(dir);
        LedgerApp ledger = null;
        try {
            ledger = LedgerApp.start(LedgerConfig.fromEnvironment(LetheEnv.ledger(cluster, applicationId,
                    dir.resolve("streams"), LetheEnv.freePort(), LetheEnv.systemsFile(dir))));
            final GatewayServer gateway = new GatewayServer(GatewayConfig.fromEnvironment(
                    LetheEnv.gateway(cluster, ledger.queryPort()))).start();
            return new ItLethe(cluster, ledger, gateway);
        } catch (RuntimeException e) {
            if (ledger != null) {
                ledger.close();
            }
            cluster.close();
            throw e;
        }
    }

    ItCluster cluster() {
        return cluster;
    }

    /** The ledger instance (for a second gateway in this process that reads it in process). */
    LedgerApp ledger() {
        return ledger;
    }

    /** The ledger's query port (for a second gateway in front of the same ledger). */
    int ledgerQueryPort() {
        return ledger.queryPort();
    }

    /** The gateway's HTTP port. */
    int httpPort() {
        return gateway.port();
    }

    /** A client of the gateway with the admin token. */
    ApiClient api() {
        return api;
    }

    @Override
    public void close() {
        gateway.close();
        ledger.close();
        cluster.close();
    }
}
