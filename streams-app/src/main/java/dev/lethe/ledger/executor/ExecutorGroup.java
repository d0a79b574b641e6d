package dev.lethe.ledger.executor;

import dev.lethe.ledger.executor.http.HttpEraser;
import dev.lethe.ledger.executor.opendsr.OpenDsrExecutor;
import dev.lethe.ledger.executor.s3.S3Clients;
import dev.lethe.ledger.executor.s3.S3Eraser;
import dev.lethe.ledger.executor.sql.SqlCredentials;
import dev.lethe.ledger.executor.sql.SqlEraser;
import dev.lethe.schemas.LetheSerdes;
import dev.lethe.schemas.crypto.KeyRing;
import dev.lethe.schemas.crypto.KeyWrapper;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The executors enabled by {@code LETHE_EXECUTORS}, started together inside a streams-app
 * instance and stopped together. Each runs its own {@link ExecutorLoop} in the consumer group
 * {@code <application.id>-executor-<kind>}.
 */
public final class ExecutorGroup implements AutoCloseable {

    /** Deletes between two PROGRESS reports of one S3 erasure. */
    public static final long PROGRESS_EVERY = 10_000;

    private final List<ExecutorLoop> loops;
    private final List<AutoCloseable> resources;

    private ExecutorGroup(List<ExecutorLoop> loops, List<AutoCloseable> resources) {
        this.loops = loops;
        this.resources = resources;
    }

    /**
     * @param instanceId stable and unique per instance (e.g. its advertised host:port), part of
     *                   the transactional id so that a restarted instance fences its old self
     */
    public static ExecutorGroup start(ExecutorSettings settings, String bootstrapServers, String applicationId,
                                      String instanceId, SystemLookup lookup, LetheSerdes serdes,
                                      byte[] pseudonymSecret, KeyWrapper kek) {
        final List<ExecutorLoop> loops = new ArrayList<>();
        final List<AutoCloseable> resources = new ArrayList<>();
        final Map<String, Object> kafka = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        if (Arrays.stream(ExecutorKind.values()).noneMatch(settings::enabled)) {
            return new ExecutorGroup(List.of(), List.of());
        }
        try {
            // the built-in executors open sealed identifiers with the requests' data keys (issue 12)
            final KeyRing ring = KeyRing.start(bootstrapServers, serdes, kek);
            resources.add(ring);
            for (ExecutorKind kind : ExecutorKind.values()) {
                if (!settings.enabled(kind)) {
                    continue;
                }
                final SystemEraser eraser;
                if (kind == ExecutorKind.S3) {
                    final S3Client s3 = S3Clients.create(settings);
                    resources.add(s3);
                    eraser = new S3Eraser(s3, settings.s3MaxAttempts(), settings.retryBase(), PROGRESS_EVERY);
                } else if (kind == ExecutorKind.OPENDSR) {
                    eraser = OpenDsrExecutor.eraser(settings.openDsr(), settings.retryBase());
                } else if (kind == ExecutorKind.SQL) {
                    eraser = sqlEraser(settings, resources, pseudonymSecret);
                } else {
                    eraser = new HttpEraser(settings.retryBase());
                }
                final String group = applicationId + "-executor-" + kind.id();
                loops.add(new ExecutorLoop(kind, new OpeningEraser(eraser, ring::findCaughtUp), lookup, serdes,
                        Clock.systemUTC(), kafka, group, group + "-" + instanceId, settings.maxPollInterval()).start());
            }
        } catch (RuntimeException e) {
            new ExecutorGroup(loops, resources).close();
            throw e;
        }
        return new ExecutorGroup(List.copyOf(loops), List.copyOf(resources));
    }

    /** The SQL eraser, with its own S3 client for the files rows point to. */
    private static SystemEraser sqlEraser(ExecutorSettings settings, List<AutoCloseable> resources, byte[] secret) {
        final S3Client s3 = S3Clients.create(settings);
        resources.add(s3);
        return new SqlEraser(new SqlCredentials(settings.sqlSecretsDir().orElseThrow()),
                new S3Eraser(s3, settings.s3MaxAttempts(), settings.retryBase(), PROGRESS_EVERY), secret,
                settings.sqlMaxAttempts(), settings.retryBase(), PROGRESS_EVERY, Clock.systemUTC());
    }

    public boolean allRunning() {
        return loops.stream().allMatch(ExecutorLoop::isRunning);
    }

    @Override
    public void close() {
        loops.forEach(ExecutorLoop::close);
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(ExecutorGroup.class).warn("closing an executor resource failed", e);
            }
        }
    }
}
