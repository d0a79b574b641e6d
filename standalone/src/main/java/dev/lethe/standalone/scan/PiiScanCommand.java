package dev.lethe.standalone.scan;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lethe pii-scan}: reports every place where given raw values (identifiers, tokens) are
 * kept by a Lethe deployment, running or stopped (see {@link PiiScanner}). Without options it reads
 * the embedded default's: the broker on {@code localhost:$LETHE_KAFKA_PORT} (9092), the state under
 * {@code $LETHE_DATA_DIR/streams}, the broker's files under {@code $LETHE_DATA_DIR/kafka} and the
 * log files under {@code $LETHE_DATA_DIR/logs} ({@code ./data} by default). A default folder that
 * does not exist is noted and skipped; a folder named on the command line must exist.
 * Exit status: 0 nothing found, 1 found, 2 error (or nothing found but a source could not be read).
 */
@Command(name = "pii-scan", mixinStandardHelpOptions = true,
        description = {"Reports every place a Lethe deployment keeps the given raw values: every topic from its "
                + "earliest offset (internal ones too), the state directories (files and RocksDB stores), the "
                + "broker's files and the log files. Values are never shown in clear: the report names them by "
                + "position and SHA-256 prefix.",
                "Exit status: 0 nothing found, 1 found, 2 error."})
public class PiiScanCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = {"-v", "--value"}, paramLabel = "VALUE",
            description = "A raw value to look for (repeatable). Prefer --values-file: a command line is visible to "
                    + "other users and kept in shell history.")
    private List<String> values = new ArrayList<>();

    @Option(names = {"-f", "--values-file"}, paramLabel = "FILE",
            description = "A file of raw values, one a line (blank lines are ignored).")
    private Path valuesFile;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "The Kafka cluster whose topics are read (default localhost:$LETHE_KAFKA_PORT, 9092).")
    private String bootstrapServers;

    @Option(names = "--no-kafka", description = "Read no topic (a stopped deployment: scan its files only).")
    private boolean noKafka;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
            description = "An extra Kafka client setting, e.g. security.protocol=SSL (repeatable).")
    private Map<String, String> kafkaProperties = new LinkedHashMap<>();

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "The embedded default's data folder, for the defaults below (default $LETHE_DATA_DIR, ./data).")
    private Path dataDir;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "A Kafka Streams state directory (repeatable; default DATA/streams).")
    private List<Path> stateDirs = new ArrayList<>();

    @Option(names = "--broker-dir", paramLabel = "DIR",
            description = "A broker's data directory, read as raw bytes (repeatable; default DATA/kafka).")
    private List<Path> brokerDirs = new ArrayList<>();

    @Option(names = "--log-dir", paramLabel = "DIR",
            description = "A folder of log files, or one file (repeatable; default DATA/logs).")
    private List<Path> logDirs = new ArrayList<>();

    @Option(names = "--json", description = "Print the report as one JSON object.")
    private boolean json;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long reading the topics may take (default ${DEFAULT-VALUE}).")
    private long timeoutSeconds;

    private final Map<String, String> environment;

    /** Defaults from the process's environment. */
    public PiiScanCommand() {
        this(System.getenv());
    }

    /** Defaults from {@code environment} ({@code LETHE_DATA_DIR}, {@code LETHE_KAFKA_PORT}). */
    public PiiScanCommand(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    @Override
    public Integer call() {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        try {
            final ScanReport report = scanner().scan();
            out.print(json ? report.json() + System.lineSeparator() : report.human());
            out.flush();
            return report.exitStatus();
        } catch (IllegalArgumentException | IOException e) {
            err.println("lethe pii-scan: " + e.getMessage());
            err.flush();
            return ScanReport.ERROR;
        }
    }

    private PiiScanner scanner() throws IOException {
        final PiiScanner.Builder builder = PiiScanner.builder().values(allValues())
                .kafkaProperties(kafkaProperties).timeout(Duration.ofSeconds(timeoutSeconds));
        if (!noKafka) {
            builder.bootstrapServers(bootstrapServers != null ? bootstrapServers
                    : "localhost:" + environment.getOrDefault("LETHE_KAFKA_PORT", "9092"));
        }
        final Path data = dataDir != null ? dataDir : Path.of(environment.getOrDefault("LETHE_DATA_DIR", "./data"));
        dirs(stateDirs, data.resolve("streams"), "state directory", builder).forEach(builder::stateDir);
        dirs(brokerDirs, data.resolve("kafka"), "broker data directory", builder).forEach(builder::brokerDir);
        dirs(logDirs, data.resolve("logs"), "log directory", builder).forEach(builder::logDir);
        return builder.build();
    }

    /** The folders given, each of which must exist, or the default when it exists (else a note in the report). */
    private static List<Path> dirs(List<Path> given, Path fallback, String what, PiiScanner.Builder builder) {
        if (given.isEmpty()) {
            if (Files.exists(fallback)) {
                return List.of(fallback);
            }
            builder.skipped(what + " " + fallback + ": not present (the default; name one to read it)");
            return List.of();
        }
        for (Path dir : given) {
            if (!Files.exists(dir)) {
                throw new IllegalArgumentException(what + " " + dir + " does not exist");
            }
        }
        return given;
    }

    private List<String> allValues() throws IOException {
        final List<String> all = new ArrayList<>(values);
        if (valuesFile != null) {
            Files.readAllLines(valuesFile, StandardCharsets.UTF_8).stream().map(String::strip)
                    .filter(line -> !line.isEmpty()).forEach(all::add);
        }
        if (all.isEmpty()) {
            throw new IllegalArgumentException("no value to look for: give --value or --values-file");
        }
        return all;
    }
}
