package dev.lethe.bench;

import dev.lethe.gateway.GatewayConfig;
import dev.lethe.gateway.GatewayServer;
import dev.lethe.ledger.LedgerApp;
import dev.lethe.ledger.LedgerConfig;
import dev.lethe.standalone.LedgerInProcess;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpRequest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The HTTP side under test: a broker JVM, the ledger and the api-gateway in this JVM (wired as the
 * embedded default wires them: request and subject reads in process, see {@link LedgerInProcess}), and beside
 * them the comparison endpoint — a Javalin app in the same process whose
 * {@code POST /v1/erasures} answers 202 and {@code GET /v1/erasures/{id}} answers 200, both doing
 * nothing else. The admin token is random per run and never printed.
 */
public final class LetheRig implements AutoCloseable {

    static final String EMPTY_ANSWER = "{\"id\":\"00000000-0000-0000-0000-000000000000\",\"status\":\"RECEIVED\"}";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** How the gateway reads the ledger: in process as the embedded default does (unset), or {@value #HTTP_READS}. */
    static final String READS = "LETHE_BENCH_READS";
    static final String HTTP_READS = "http";

    private final BenchCluster cluster;
    private final LedgerApp ledger;
    private final GatewayServer gateway;
    private final Javalin empty;
    private final String token;
    private final String applicationId;

    private LetheRig(BenchCluster cluster, LedgerApp ledger, GatewayServer gateway, Javalin empty, String token,
                     String applicationId) {
        this.cluster = cluster;
        this.applicationId = applicationId;
        this.ledger = ledger;
        this.gateway = gateway;
        this.empty = empty;
        this.token = token;
    }

    public static LetheRig start(BenchContext context, String name) {
        final BenchCluster cluster = BenchCluster.start(context, name);
        LedgerApp ledger = null;
        GatewayServer gateway = null;
        try {
            ledger = LedgerApp.start(LedgerConfig.fromEnvironment(cluster.ledgerEnv("bench-" + name, 0)));
            final byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            final String token = HexFormat.of().formatHex(random);
            final Map<String, String> env = new HashMap<>();
            env.put(GatewayConfig.HTTP_PORT, "0");
            env.put(GatewayConfig.BOOTSTRAP_SERVERS, cluster.bootstrapServers());
            env.put(GatewayConfig.SCHEMA_REGISTRY_URL, cluster.registryUrl());
            env.put(GatewayConfig.LEDGER_URL, "http://127.0.0.1:" + ledger.queryPort());
            env.put(GatewayConfig.ADMIN_TOKEN, token);
            env.put(GatewayConfig.INTERNAL_TOKEN, cluster.internalToken());
            // Wired as the embedded default (./lethe) wires them: the gateway reads requests and subjects from the
            // ledger in this process, everything else over its query port. LETHE_BENCH_READS=http measures the
            // split deployment's wiring instead (every read over HTTP, as between two containers).
            final LedgerInProcess inProcess = HTTP_READS.equals(System.getenv(READS)) ? null
                    : new LedgerInProcess(ledger);
            final GatewayConfig gatewayConfig = GatewayConfig.fromEnvironment(env);
            gateway = (inProcess == null ? new GatewayServer(gatewayConfig)
                    : new GatewayServer(gatewayConfig, () -> inProcess)).start();
            Console.progress("%s: the gateway reads the ledger %s", name,
                    inProcess == null ? "over HTTP only" : "in process (requests, subjects) and over HTTP");
            final Javalin empty = Javalin.create(config -> {
                config.jetty.port = 0;
                config.startup.showJavalinBanner = false;
                config.routes.post("/v1/erasures", ctx -> ctx.status(202).result(EMPTY_ANSWER));
                config.routes.get("/v1/erasures/{id}", ctx -> ctx.status(200).result(EMPTY_ANSWER));
            }).start();
            return new LetheRig(cluster, ledger, gateway, empty, token, "bench-" + name);
        } catch (RuntimeException e) {
            if (gateway != null) {
                gateway.close();
            }
            if (ledger != null) {
                ledger.close();
            }
            cluster.close();
            throw e;
        }
    }

    public BenchCluster cluster() {
        return cluster;
    }

    /** The ledger's application id (its consumer group). */
    public String applicationId() {
        return applicationId;
    }

    /** {@code POST /v1/erasures} for a new user id, to the gateway ({@code real}) or the empty endpoint. */
    public HttpRequest intake(boolean real, String userId) {
        final String body = "{\"subject\": {\"namespace\": \"user_id\", \"value\": \"" + userId + "\"},"
                + " \"jurisdiction\": \"GDPR\", \"reason\": \"account_deleted\", \"source\": \"lethe-bench\"}";
        return HttpRequest.newBuilder(URI.create(base(real) + "/v1/erasures")).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** {@code POST /v1/erasures/batch} of {@code userIds.size()} new requests, to the gateway. */
    public HttpRequest batch(List<String> userIds) {
        final StringBuilder body = new StringBuilder(userIds.size() * 140).append("{\"requests\": [");
        for (int i = 0; i < userIds.size(); i++) {
            body.append(i == 0 ? "" : ",").append("{\"subject\": {\"namespace\": \"user_id\", \"value\": \"")
                    .append(userIds.get(i)).append("\"}, \"jurisdiction\": \"GDPR\", \"reason\": \"account_deleted\","
                            + " \"source\": \"lethe-bench\"}");
        }
        body.append("]}");
        return HttpRequest.newBuilder(URI.create(base(true) + "/v1/erasures/batch")).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
    }

    /** {@code GET /v1/erasures/{id}} to the gateway ({@code real}) or the empty endpoint. */
    public HttpRequest status(boolean real, String id) {
        return HttpRequest.newBuilder(URI.create(base(real) + "/v1/erasures/" + id)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token).GET().build();
    }

    private String base(boolean real) {
        return "http://127.0.0.1:" + (real ? gateway.port() : empty.port());
    }

    @Override
    public void close() {
        try {
            empty.stop();
            gateway.close();
            ledger.close();
        } finally {
            cluster.close();
        }
    }
}
