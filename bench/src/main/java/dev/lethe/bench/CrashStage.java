package dev.lethe.bench;

import dev.lethe.ledger.LedgerConfig;
import dev.lethe.ledger.LedgerMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Figure 8: recovery after a crash. A ledger instance runs in its own JVM on N stored requests: N
 * finished and forgotten ones in the ledger's archive ({@code erasure.archive}, {@link ArchivePreloader}),
 * which its archive follower keeps with their list and subject index entries (a released request
 * leaves nothing in the task stores but its share of the counts in {@code stats}, a fixed set of
 * keys), and a fixed {@link #RECENT} open or recently finished ones in its
 * task stores (preloaded into its changelog, {@link StorePreloader}); each round kills it with
 * SIGKILL ({@code kill -9}) and starts it again on the same state folder, and times from the
 * restart until its query port answers a read of a stored request (200). The baseline, measured
 * in the same run, is the first start, which rebuilds the task stores and the archive follower's
 * whole copy; the figure's ratio says how much of that a crash still costs. Run at 100,000 and
 * 1,000,000 stored requests, it shows whether recovery grows with the ledger: a crash wipes and
 * restores the task stores, which hold the same {@link #RECENT} requests at every size, and the
 * follower's copy of the archive survives it. The released requests' puts and tombstones in the
 * task stores' changelogs are not preloaded: the log cleaner removes them within an hour or two
 * ({@code LedgerTopology.CHANGELOG_CONFIG}), so a ledger filed for longer holds none.
 *
 * <p>First, failover: two instances of one application (one standby replica each) on the 100,000
 * store; each round waits until the other instance's standby copy holds a stored request, kills the
 * instance that owns it and times until the other one serves that request (200: from its standby copy while the dead owner's session lasts, then as
 * the new owner), then starts the killed one again for the next round.
 */
public final class CrashStage implements Stage {

    static final String NAME = "crash";
    /** Stored requests per crash measurement; {@code -Dlethe.bench.crash.sizes=100000} (or {@code none}: failover only). */
    private static final List<Long> SIZES = sizes(System.getProperty("lethe.bench.crash.sizes", "100000,1000000"));
    private static final long FAILOVER_SIZE = 100_000L;
    /**
     * The open and recently finished requests whose states the ledger's task stores hold (its
     * changelog), the same at every size: what the archive leaves there whatever the number of
     * requests ever filed.
     */
    static final long RECENT = 10_000L;
    private static final Duration TIMEOUT = Duration.ofMinutes(20);
    /** The start of LedgerApp's line that gives the time of each phase of a start. */
    private static final String PHASES = "ledger started in";
    private static final Duration PHASES_WAIT = Duration.ofSeconds(60);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Figure> run(BenchContext context) throws Exception {
        final List<Figure> figures = new ArrayList<>();
        try (BenchCluster cluster = BenchCluster.start(context, NAME)) {
            // Failover first: the shortest part, and the one with a target (< 10 s).
            figures.add(failover(context, cluster, FAILOVER_SIZE));
            // the archived requests finished, one a second, before a week and a day ago: forgotten
            final Instant base = Instant.now().minus(Duration.ofDays(8)).truncatedTo(ChronoUnit.SECONDS);
            long archived = 0;
            for (long size : SIZES) {
                // one archive for the whole stage: each size adds what it lacks (requests 0 to size - 1)
                ArchivePreloader.preload(cluster, archived, Math.max(archived, size), base);
                archived = Math.max(archived, size);
                figures.addAll(crash(context, cluster, size));
            }
        }
        return figures;
    }

    private static List<Long> sizes(String value) {
        return "none".equals(value.strip()) ? List.of()
                : java.util.Arrays.stream(value.split(",")).map(String::strip).map(Long::parseLong).toList();
    }

    private List<Figure> crash(BenchContext context, BenchCluster cluster, long size)
            throws Exception {
        final String applicationId = "bench-crash-" + size;
        final Map<String, String> env = cluster.ledgerEnv(applicationId, ScaleStage.ROCKSDB_MB);
        BenchLedger.publishSystems(cluster, LedgerConfig.fromEnvironment(env));
        final String id = StorePreloader.preload(cluster, applicationId, RECENT);
        final List<Double> restarts = new ArrayList<>();
        final List<Double> ratios = new ArrayList<>();
        Process ledger = start(context, cluster, env, "first");
        final double full = awaitRead(ledger, env, id);
        Console.progress("crash %s: first start (full restore of the store) %.1f s; %s; %s", ScaleStage.count(size),
                full, phases(cluster, env, "first"), followerRestores(cluster, env, "first"));
        try {
            for (int round = 1; round <= context.rounds(); round++) {
                kill(ledger);
                ledger = start(context, cluster, env, "round-" + round);
                final double seconds = awaitRead(ledger, env, id);
                Console.progress("crash %s round %d: serving %.1f s after the restart; %s; %s", ScaleStage.count(size),
                        round, seconds, phases(cluster, env, "round-" + round),
                        followerRestores(cluster, env, "round-" + round));
                restarts.add(seconds);
                ratios.add(seconds / full);
            }
        } finally {
            kill(ledger);
        }
        final String label = " (" + ScaleStage.count(size) + " requests)";
        return List.of(
                Figure.of(NAME, "restart after kill -9 until a stored request is served" + label, "s",
                        Summary.of(restarts)),
                Figure.of(NAME, "restart after kill -9 / first start that restores the whole store" + label, "x",
                        Summary.of(ratios)));
    }

    private Figure failover(BenchContext context, BenchCluster cluster, long size) throws Exception {
        final String applicationId = "bench-failover-" + size;
        final List<Map<String, String>> envs = new ArrayList<>();
        for (String name : List.of("a", "b")) {
            final Map<String, String> env = cluster.ledgerEnv(applicationId, ScaleStage.ROCKSDB_MB);
            env.put("LETHE_STATE_DIR", cluster.dir().resolve("state-" + applicationId + "-" + name).toString());
            env.put("LETHE_STANDBY_REPLICAS", "1");
            envs.add(env);
        }
        BenchLedger.publishSystems(cluster, LedgerConfig.fromEnvironment(envs.get(0)));
        final String id = StorePreloader.preload(cluster, applicationId, size);
        final Process[] ledgers = {start(context, cluster, envs.get(0), "a-0"), start(context, cluster, envs.get(1), "b-0")};
        final List<Double> failovers = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                awaitRead(ledgers[i], envs.get(i), id);
            }
            for (int round = 1; round <= context.rounds(); round++) {
                final int owner = owns(envs.get(0), id) ? 0 : 1;
                final int other = 1 - owner;
                // The usual state of a cluster: the other instance's standby copy has caught up with the key.
                awaitStandbyCopy(envs.get(other), id);
                kill(ledgers[owner]);
                final double seconds = awaitRead(ledgers[other], envs.get(other), id);
                Console.progress("failover round %d: the other instance serves the key %.1f s after the kill", round,
                        seconds);
                failovers.add(seconds);
                ledgers[owner] = start(context, cluster, envs.get(owner), (owner == 0 ? "a-" : "b-") + round);
                awaitRead(ledgers[owner], envs.get(owner), id);
                awaitBothActive(envs, id);
            }
        } finally {
            kill(ledgers[0]);
            kill(ledgers[1]);
        }
        return Figure.of(NAME, "two instances: kill -9 of a key's owner until the other serves it ("
                + ScaleStage.count(size) + " requests, 1 standby)", "s", Summary.of(failovers));
    }

    /** Whether the instance of {@code env} answers {@code id} itself (a forwarded call is not passed on). */
    private boolean owns(Map<String, String> env, String id) throws InterruptedException {
        return status(env, id, "?forwarded=1") == 200;
    }

    /** Until the instance of {@code env} holds {@code id} in its standby copy ({@code ?standby=1} answers 200). */
    private void awaitStandbyCopy(Map<String, String> env, String id) throws InterruptedException {
        final long started = System.nanoTime();
        while (status(env, id, "?standby=1") != 200) {
            if (System.nanoTime() - started > TIMEOUT.toNanos()) {
                throw new IllegalStateException("the standby copy did not catch up within " + TIMEOUT);
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        Console.progress("failover: the standby copy holds the key %.1f s after the instances served it",
                (System.nanoTime() - started) / 1e9);
    }

    /** Until exactly one of the two owns {@code id} and both are up: the restarted one may take tasks back. */
    private void awaitBothActive(List<Map<String, String>> envs, String id) throws InterruptedException {
        final long started = System.nanoTime();
        while (System.nanoTime() - started < TIMEOUT.toNanos()) {
            final boolean a = owns(envs.get(0), id);
            final boolean b = owns(envs.get(1), id);
            if (a != b && status(envs.get(0), id, "") == 200 && status(envs.get(1), id, "") == 200) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new IllegalStateException("the two instances did not settle within " + TIMEOUT);
    }

    private int status(Map<String, String> env, String id, String query) throws InterruptedException {
        try {
            return http.send(read(env, id, query), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        }
    }

    private static HttpRequest read(Map<String, String> env, String id, String query) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + env.get("LETHE_QUERY_PORT")
                        + "/internal/v1/requests/" + id + query))
                .header("Authorization", "Bearer " + env.get("LETHE_INTERNAL_TOKEN"))
                .timeout(Duration.ofSeconds(5)).GET().build();
    }

    /**
     * The ledger's own account of its start ("ledger started in ... (phase ms, ...)", logged once its
     * executors run, a moment after it serves), read from its log; waits for it a little.
     */
    private static String phases(BenchCluster cluster, Map<String, String> env, String name)
            throws InterruptedException {
        final Path log = log(cluster, env, name);
        final long started = System.nanoTime();
        while (System.nanoTime() - started < PHASES_WAIT.toNanos()) {
            try (Stream<String> lines = Files.lines(log)) {
                final Optional<String> line = lines.filter(l -> l.contains(PHASES)).reduce((a, b) -> b);
                if (line.isPresent()) {
                    return line.get().substring(line.get().indexOf(PHASES));
                }
            } catch (IOException | UncheckedIOException e) {
                // not written yet
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        return "no phase line in " + log;
    }

    /**
     * Where the archive follower restored each partition of {@code erasure.archive} from, as its log
     * says ("archive follower: restoring erasure.archive-0 from offset 3 to 3"): after a
     * {@code kill -9}, from the offsets its copy holds, not from 0.
     */
    private static String followerRestores(BenchCluster cluster, Map<String, String> env, String name) {
        final String marker = "archive follower: restoring ";
        try (Stream<String> lines = Files.lines(log(cluster, env, name))) {
            return "archive follower restored " + String.join(", ", lines.filter(l -> l.contains(marker))
                    .map(l -> l.substring(l.indexOf(marker) + marker.length())).toList());
        } catch (IOException | UncheckedIOException e) {
            return "no archive follower line: " + e.getMessage();
        }
    }

    private static Path log(BenchCluster cluster, Map<String, String> env, String name) {
        return cluster.dir().resolve(env.get("LETHE_APPLICATION_ID") + "-" + name + ".log");
    }

    /** The ledger in its own JVM ({@link LedgerMain}), its output in a log file next to the broker's. */
    private static Process start(BenchContext context, BenchCluster cluster, Map<String, String> env, String name) {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final Path log = log(cluster, env, name);
        final ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx1g", "-Dlethe.bench.log=" + log,
                "-cp", context.classpath(), LedgerMain.class.getName()))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the ledger JVM", e);
        }
    }

    /** Seconds from now until the instance answers 200 to a read of {@code id}. */
    private double awaitRead(Process ledger, Map<String, String> env, String id) throws InterruptedException {
        final long started = System.nanoTime();
        final HttpRequest read = read(env, id, "");
        while (System.nanoTime() - started < TIMEOUT.toNanos()) {
            if (!ledger.isAlive()) {
                throw new IllegalStateException("the ledger JVM exited with " + ledger.exitValue());
            }
            try {
                if (http.send(read, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return (System.nanoTime() - started) / 1e9;
                }
            } catch (IOException e) {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new IllegalStateException("the ledger did not serve within " + TIMEOUT);
    }

    /** SIGKILL, as {@code kill -9}: no shutdown hook runs, nothing is flushed or committed. */
    private static void kill(Process ledger) throws InterruptedException {
        ledger.destroyForcibly();
        ledger.waitFor(30, TimeUnit.SECONDS);
    }
}
