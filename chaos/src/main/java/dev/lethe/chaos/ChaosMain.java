package dev.lethe.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lethe.schemas.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * {@code ./lethe-chaos}: starts the production-shaped cluster ({@link ChaosCluster}), runs the
 * chosen scenarios under load with the fake partners, prints the table and writes it as JSON
 * ({@code chaos-<time>.json} under {@code --out}). Exits 1 when a scenario's check failed.
 */
public final class ChaosMain {

    private ChaosMain() {
    }

    public static void main(String[] argv) {
        final ChaosArgs args;
        try {
            args = ChaosArgs.parse(argv);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        final List<Result> results = run(args, System.getProperty("java.class.path"), System.out);
        System.exit(results.stream().allMatch(Result::passed) ? 0 : 1);
    }

    /** Runs {@code args}' scenarios with child JVMs on {@code classpath}; prints progress and the table. */
    public static List<Result> run(ChaosArgs args, String classpath, PrintStream out) {
        final Instant started = Instant.now();
        final Path dir = args.out().resolve("cluster-" + started.toEpochMilli()).toAbsolutePath();
        final List<Result> results = new ArrayList<>();
        if (System.getProperty("lethe.chaos.log") == null) {
            // the harness's own log (its Kafka clients, s3proxy), beside the cluster's
            System.setProperty("lethe.chaos.log", dir.resolve("logs").resolve("harness.log").toString());
        }
        out.println("Starting the chaos cluster (3 brokers, registry, 2 ledgers, gateway) under " + dir);
        try (ChaosCluster cluster = ChaosCluster.start(dir, classpath)) {
            out.printf("cluster up in %d s%n", java.time.Duration.between(started, Instant.now()).toSeconds());
            final ChaosRun run = new ChaosRun(cluster, args);
            // what the ledgers archived (forgotten, then moved out of their task stores) while the scenarios ran
            final TopicWatch archive = new TopicWatch(cluster.bootstrapServers(), List.of(Topics.ARCHIVE)).mark();
            try (Partners partners = new Partners(cluster, run.api())) {
                for (String scenario : args.only()) {
                    out.println("scenario " + scenario + " ...");
                    final Result result = run.run(scenario);
                    results.add(result);
                    out.println(row(result));
                    result.notes().forEach(note -> out.println("    " + note));
                    write(args, started, results, out); // so far: a run cut short keeps what it measured
                }
                out.printf("partners sent %d callbacks; officers retried %d systems%n", partners.callbacksSent(),
                        partners.officerRetries());
                final List<ConsumerRecord<byte[], byte[]>> archived =
                        archive.since().getOrDefault(Topics.ARCHIVE, List.of());
                out.printf("the ledgers archived %d requests (%d archive records: a request archived again after"
                        + " an event brought it back counts more than once)%n",
                        archived.stream().map(TopicWatch::key).distinct().count(), archived.size());
            }
        }
        out.println();
        out.println(table(results));
        write(args, started, results, out);
        return results;
    }

    static String table(List<Result> results) {
        final StringBuilder table = new StringBuilder(
                "| scenario | load | kills | acknowledged | lost | duplicated | wrong final states | 5xx | failover p50 / p99 | check |\n"
                        + "|---|---|---|---|---|---|---|---|---|---|\n");
        results.forEach(r -> table.append(row(r)).append('\n'));
        return table.toString();
    }

    static String row(Result r) {
        final String failover = r.failoverP50Ms() == null ? "-"
                : String.format("%.1f s / %.1f s", r.failoverP50Ms() / 1000.0, r.failoverP99Ms() / 1000.0);
        return String.format("| %s | %s | %d | %d | %d | %d | %d | %d | %s | %s |", r.scenario(), r.load(), r.kills(),
                r.acknowledged(), r.lost(), r.duplicated() + r.idMismatches(), r.wrongFinal() + r.badAudit(),
                r.unexpected5xx(), failover, r.passed() ? "passed" : "FAILED");
    }

    private static void write(ChaosArgs args, Instant started, List<Result> results, PrintStream out) {
        final Map<String, Object> report = new LinkedHashMap<>();
        report.put("started", started.toString());
        report.put("finished", Instant.now().toString());
        report.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(),
                "os", System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                "java", System.getProperty("java.version")));
        report.put("args", args);
        report.put("results", results);
        final Path file = args.out().resolve("chaos-" + started.toEpochMilli() + ".json");
        try {
            Files.createDirectories(args.out());
            new ObjectMapper().findAndRegisterModules().enable(SerializationFeature.INDENT_OUTPUT)
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).writeValue(file.toFile(), report);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println("results written to " + file);
    }
}
