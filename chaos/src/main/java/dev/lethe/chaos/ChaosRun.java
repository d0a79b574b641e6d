package dev.lethe.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import dev.lethe.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Runs the scenarios of issue 19 on one {@link ChaosCluster}, one after the other, each under a
 * steady {@link Load} with the {@link Partners} answering, each ended by the {@link Check}. A kill
 * is followed at once by a restart of the same process (as compose's {@code restart:
 * unless-stopped} would), and failover is the time from the kill until a write (a new request's
 * 202) and a read (its GET) answer again through the gateway.
 */
public final class ChaosRun {

    /** How long after a kill a write and then a read must answer again before the scenario fails. */
    private static final Duration FAILOVER_DEADLINE = Duration.ofMinutes(3);
    /** How long the load may take to get its first acknowledgements at the start of a scenario. */
    private static final Duration FIRST_ACKS = Duration.ofMinutes(3);

    private final ChaosCluster cluster;
    private final ChaosArgs args;
    private final Api api;
    private final Check check;
    private final Random random = new Random(19);
    /** Every id acknowledged in this run: earlier scenarios' requests still get late answers and retries. */
    private final Set<String> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** What a scenario's action reports beside the load's acks. */
    private final class Context {
        final Load load;
        final List<Long> failovers = java.util.Collections.synchronizedList(new ArrayList<>());
        final List<String> notes = java.util.Collections.synchronizedList(new ArrayList<>());
        final List<Load.Ack> extraAcks = new ArrayList<>();
        /** Checks that can only run once the load has stopped. */
        final List<Runnable> after = new ArrayList<>();
        int kills;
        boolean ok = true;

        Context(Load load) {
            this.load = load;
        }

        synchronized void fail(String why) {
            ok = false;
            notes.add(why);
        }
    }

    private interface Action {
        void run(Context context);
    }

    public ChaosRun(ChaosCluster cluster, ChaosArgs args) {
        this.cluster = cluster;
        this.args = args;
        this.api = new Api(cluster.gatewayUrl());
        this.check = new Check(api, cluster.token("admin"), Duration.ofSeconds(args.settleSeconds()));
    }

    public Api api() {
        return api;
    }

    public Result run(String scenario) {
        return switch (scenario) {
            case "ledger-kill" -> scenario(scenario, false, this::ledgerKills);
            case "broker-kill" -> scenario(scenario, false, this::brokerKill);
            case "rolling-restart" -> scenario(scenario, false, this::rollingRestart);
            case "gateway-kill" -> scenario(scenario, false, this::gatewayKills);
            case "s3-executor-kill" -> scenario(scenario, false, this::s3ExecutorKill);
            case "poison" -> scenario(scenario, false, this::poison);
            case "fuzz" -> scenario(scenario, true, this::fuzz);
            default -> throw new IllegalArgumentException(scenario);
        };
    }

    private Result scenario(String name, boolean scoped, Action action) {
        final long started = System.nanoTime();
        final Api.Tally tally = api.newTally();
        final Context context;
        try (Load load = new Load(api, cluster.token("submitter"), name + "-" + Long.toString(System.nanoTime(), 36),
                args.rate(), args.clients(), scoped).start()) {
            context = new Context(load);
            try {
                if (!awaitAcks(load, 3)) {
                    throw new IllegalStateException("the load got fewer than 3 requests acknowledged within "
                            + FIRST_ACKS + " (got " + load.acks().size() + ")");
                }
                action.run(context);
            } catch (RuntimeException e) {
                // a wait gave up (each is bounded): the scenario fails with what it waited for, and goes on to its check
                context.fail(name + " stopped: " + e.getMessage() + "; diagnostics in " + Diagnostics.dump(cluster,
                        name + ": " + e.getMessage()));
            }
            final long until = started + Duration.ofSeconds(args.loadSeconds()).toNanos();
            while (System.nanoTime() < until) {
                Pause.briefly();
            }
        }
        context.after.forEach(Runnable::run);
        context.notes.addAll(cluster.drainEvents());
        final List<Load.Ack> acks = new ArrayList<>(context.load.acks());
        acks.addAll(context.extraAcks);
        acks.forEach(ack -> acknowledged.add(ack.id()));
        final Check.Findings findings = check.run(acks);
        context.notes.addAll(findings.problems());
        if (context.load.unanswered() > 0) {
            context.notes.add(context.load.unanswered() + " submissions got no 202 (4xx or gave up)");
        }
        tally.examples().forEach((route, body) -> context.notes.add("5xx: " + route + " " + body));
        final boolean passed = context.ok && findings.lost() == 0 && findings.duplicated() == 0
                && findings.wrongFinal() == 0 && findings.badAudit() == 0 && context.load.idMismatches() == 0
                && tally.unexpected5xx() == 0;
        final String load = String.format("%.0f req/s, %d clients, %d s", args.rate(), args.clients(),
                (System.nanoTime() - started) / 1_000_000_000L);
        return new Result(name, load, context.kills, findings.acknowledged(), findings.lost(), findings.duplicated(),
                findings.wrongFinal(), findings.badAudit(), context.load.idMismatches(), tally.unexpected5xx(),
                tally.unavailable(), Result.percentile(context.failovers, 50), Result.percentile(context.failovers, 99),
                List.copyOf(context.failovers), passed, List.copyOf(context.notes),
                (System.nanoTime() - started) / 1_000_000_000L);
    }

    private static boolean awaitAcks(Load load, int count) {
        final long deadline = System.nanoTime() + FIRST_ACKS.toNanos();
        while (load.acks().size() < count && System.nanoTime() < deadline) {
            Pause.briefly();
        }
        return load.acks().size() >= count;
    }

    /**
     * Time from {@code killedAt} until a new request is acknowledged and read back; the scenario
     * fails (with diagnostics) when that does not happen within {@link #FAILOVER_DEADLINE}.
     */
    private long failover(Context context, long killedAt) {
        final long deadline = killedAt + FAILOVER_DEADLINE.toNanos();
        final Load.Ack ack = context.load.submitWithin(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        if (ack == null) {
            final String why = "no write (POST /v1/erasures) was acknowledged within " + FAILOVER_DEADLINE + " of the kill";
            context.fail(why + "; diagnostics in " + Diagnostics.dump(cluster, why));
            return (System.nanoTime() - killedAt) / 1_000_000;
        }
        while (System.nanoTime() < deadline) {
            if (api.get("/v1/erasures/" + ack.id(), cluster.token("admin")).ok()) {
                final long millis = (System.nanoTime() - killedAt) / 1_000_000;
                context.failovers.add(millis);
                return millis;
            }
            Pause.forMillis(50);
        }
        final String why = "acknowledged " + ack.id() + " was not readable (GET /v1/erasures/{id}) within "
                + FAILOVER_DEADLINE + " of the kill";
        context.fail(why + "; diagnostics in " + Diagnostics.dump(cluster, why));
        return -1;
    }

    private void randomMoment(int fromSeconds, int toSeconds) {
        final int millis;
        synchronized (random) {
            millis = fromSeconds * 1000 + random.nextInt(Math.max(1, (toSeconds - fromSeconds) * 1000));
        }
        Pause.forMillis(millis);
    }

    private void ledgerKills(Context context) {
        for (int i = 0; i < args.ledgerKills(); i++) {
            randomMoment(2, 8);
            final Node ledger = cluster.ledgers().get(random.nextInt(cluster.ledgers().size()));
            ledger.kill();
            final long killedAt = System.nanoTime();
            context.kills++;
            final long millis = restartAndMeasure(context, ledger, killedAt);
            context.notes.add("kill " + (i + 1) + ": " + ledger.name() + ", failover " + millis + " ms");
        }
    }

    /**
     * Starts a killed ledger again at once while the failover probe runs beside it. A ledger that
     * cannot start again is a failure of the scenario; the harness then does what an operator would
     * (docs/reliability.md): wipes the instance's global store, then if need be its whole state,
     * and starts it again, so that the run goes on.
     */
    private long restartAndMeasure(Context context, Node ledger, long killedAt) {
        final java.util.concurrent.CompletableFuture<Long> probe =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> failover(context, killedAt));
        ledger.launch();
        if (!ledger.awaitReadyOrExit()) {
            context.fail(ledger.name() + " could not start again after kill -9: " + ledger.lastWords());
            final Path state = Path.of(ledger.env().get("LETHE_STATE_DIR"));
            wipe(state.resolve("lethe-ledger").resolve("global"));
            ledger.launch();
            if (!ledger.awaitReadyOrExit()) {
                context.notes.add(ledger.name() + " still could not start with its global store wiped: "
                        + ledger.lastWords() + "; its whole state wiped");
                wipe(state);
                ledger.start();
            } else {
                context.notes.add(ledger.name() + " started again once its global store was wiped");
            }
        }
        try {
            return probe.get(FAILOVER_DEADLINE.toSeconds() + 60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the failover probe after the kill of " + ledger.name()
                    + " did not end within " + FAILOVER_DEADLINE.plusSeconds(60), e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("the failover probe failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring the failover", e);
        }
    }

    private static void wipe(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void brokerKill(Context context) {
        randomMoment(2, 6);
        final Node broker = cluster.inputLeader();
        broker.kill();
        final long killedAt = System.nanoTime();
        context.kills++;
        final long millis = failover(context, killedAt);
        context.notes.add("killed " + broker.name() + " (leader of most input partitions), failover " + millis + " ms");
        broker.start();
        cluster.awaitFullIsr(Duration.ofMinutes(3));
    }

    private void rollingRestart(Context context) {
        for (Node node : cluster.all()) {
            node.stop();
            final long stoppedAt = System.nanoTime();
            context.kills++;
            node.start();
            if (cluster.brokers().contains(node)) {
                cluster.awaitFullIsr(Duration.ofMinutes(3));
            }
            final long millis = failover(context, stoppedAt);
            context.notes.add("restarted " + node.name() + ", answering again after " + millis + " ms");
        }
    }

    private void gatewayKills(Context context) {
        final int kills = args.shortRun() ? 1 : 3;
        for (int i = 0; i < kills; i++) {
            randomMoment(2, 6);
            final Node gateway = cluster.gateway();
            gateway.kill();
            final long killedAt = System.nanoTime();
            context.kills++;
            gateway.launch();
            failover(context, killedAt);
            gateway.awaitReady();
        }
    }

    private void s3ExecutorKill(Context context) {
        final String subject = "chaos-large-" + Long.toString(System.nanoTime(), 36);
        final Path prefix = cluster.bucketDir().resolve("users").resolve(subject);
        writeObjects(prefix, args.objects());
        final Load.Ack ack = context.load.submitFor(subject);
        if (ack == null) {
            context.fail("the large erasure was not acknowledged");
            return;
        }
        final long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (count(prefix) >= args.objects() && System.nanoTime() < deadline) {
            Pause.forMillis(20);
        }
        final int left = count(prefix);
        final java.util.Optional<Node> busy = Sockets.connectedTo(cluster.ledgers(), cluster.s3Port());
        final Node executor = busy.orElse(cluster.ledgers().get(0));
        executor.kill();
        final long killedAt = System.nanoTime();
        context.kills++;
        restartAndMeasure(context, executor, killedAt);
        context.notes.add("killed " + executor.name() + (busy.isPresent() ? " (connected to the S3 store)" : " (no"
                + " connection to the S3 store seen; the first ledger)") + " with " + left + " of " + args.objects()
                + " objects left");
        final long erased = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (count(prefix) > 0 && System.nanoTime() < erased) {
            Pause.briefly();
        }
        if (count(prefix) > 0) {
            context.fail(count(prefix) + " objects of the large erasure are still there");
        }
    }

    private static void writeObjects(Path prefix, int count) {
        try {
            Files.createDirectories(prefix);
            for (int i = 0; i < count; i++) {
                Files.writeString(prefix.resolve(String.format("object-%05d.bin", i)), "chaos " + i);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int count(Path prefix) {
        if (!Files.isDirectory(prefix)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(prefix)) {
            return (int) files.count();
        } catch (IOException e) {
            return 0;
        }
    }

    private void poison(Context context) {
        final TopicWatch dlq = new TopicWatch(cluster.bootstrapServers(), List.of(Topics.DLQ)).mark();
        final List<Poison.Sent> sent = new Poison(cluster).sendAll();
        final long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        Set<String> missing = Poison.keys(sent);
        List<ConsumerRecord<byte[], byte[]>> dead = List.of();
        while (System.nanoTime() < deadline) {
            dead = dlq.since().getOrDefault(Topics.DLQ, List.of());
            missing = Poison.missing(sent, dead, new Poison(cluster));
            if (missing.isEmpty()) {
                break;
            }
            Pause.forMillis(1000);
        }
        context.notes.add(sent.size() + " poison records sent, " + (sent.size() - missing.size()) + " on "
                + Topics.DLQ + " with a reason");
        if (!missing.isEmpty()) {
            context.fail("not on the DLQ with a reason: " + missing);
        }
        for (Node ledger : cluster.ledgers()) {
            if (!ledger.alive()) {
                context.fail(ledger.name() + " died");
            }
        }
        context.after.add(() -> cluster.drainEvents().forEach(event -> {
            context.notes.add(event);
            if (cluster.ledgers().stream().anyMatch(ledger -> event.startsWith(ledger.name() + " "))) {
                context.fail("a ledger did not keep running: " + event);
            }
        }));
    }

    private void fuzz(Context context) {
        final Load targets = new Load(api, cluster.token("submitter"), "fuzz-target-" + System.nanoTime(), 1, 1, true);
        final List<String> targetIds = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            final Load.Ack ack = targets.submit(false);
            if (ack != null) {
                targetIds.add(ack.id());
            }
        }
        final TopicWatch watch = new TopicWatch(cluster.bootstrapServers(),
                List.of(Topics.REQUESTS, Topics.DECISIONS, Topics.CALLBACKS, Topics.SYSTEMS)).mark();
        final Fuzz fuzz = new Fuzz(api, List.of(cluster.token("admin"), cluster.token("submitter"),
                cluster.token("approver"), cluster.token("partner:crm")), targetIds);
        // about 20 ms an input on a busy machine; the limit is generous and only stops a gateway that hangs
        fuzz.run(args.fuzzInputs(), 19, Duration.ofSeconds(Math.max(300, args.fuzzInputs() / 5)));
        context.after.add(() -> fuzzWrites(context, fuzz, watch, targetIds));
    }

    /** The fuzz wrote nothing a valid request would not have: every new input record is explained. */
    private void fuzzWrites(Context context, Fuzz fuzz, TopicWatch watch, List<String> targetIds) {
        final var written = watch.since();
        final Set<String> explained = new HashSet<>(fuzz.writtenIds());
        explained.addAll(targetIds);
        context.load.acks().forEach(ack -> explained.add(ack.id()));
        explained.addAll(acknowledged);
        int unexplained = 0;
        final Set<String> examples = new java.util.TreeSet<>();
        for (String topic : List.of(Topics.REQUESTS, Topics.DECISIONS, Topics.CALLBACKS)) {
            for (ConsumerRecord<byte[], byte[]> record : written.getOrDefault(topic, List.of())) {
                if (!explained.contains(TopicWatch.key(record))) {
                    unexplained++;
                    if (examples.size() < 5) {
                        examples.add(topic + " key " + TopicWatch.key(record));
                    }
                }
            }
        }
        if (!examples.isEmpty()) {
            context.notes.add("unexplained records, e.g. " + examples);
        }
        final int systems = written.getOrDefault(Topics.SYSTEMS, List.of()).size();
        context.notes.add(fuzz.inputs() + " inputs over " + fuzz.operations() + " operations, " + fuzz.accepted()
                + " writes accepted (" + fuzz.systemWrites() + " to the registry)");
        if (unexplained > 0 || systems > fuzz.systemWrites()) {
            context.fail(unexplained + " input records and " + Math.max(0, systems - fuzz.systemWrites())
                    + " registry records written without an accepted request");
        }
    }
}
