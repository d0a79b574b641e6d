package dev.lethe.gateway.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;

/**
 * A {@link BrokerCheck} by an Admin client's {@code describeCluster} with a short timeout; the
 * answer is cached for {@link #TTL} so that frequent health probes do not load the cluster.
 */
public final class KafkaBrokerCheck implements BrokerCheck, AutoCloseable {

    public static final Duration TTL = Duration.ofSeconds(5);
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final Admin admin;
    private final Clock clock;
    private Instant checkedAt = Instant.MIN;
    private boolean reachable;

    public KafkaBrokerCheck(String bootstrapServers, Clock clock) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "lethe-api-gateway-health",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis()));
        this.clock = clock;
    }

    @Override
    public synchronized boolean reachable() {
        final Instant now = clock.instant();
        if (now.isBefore(checkedAt.plus(TTL))) {
            return reachable;
        }
        reachable = describe();
        checkedAt = now;
        return reachable;
    }

    private boolean describe() {
        try {
            return !admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()))
                    .nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).isEmpty();
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        admin.close(TIMEOUT);
    }
}
