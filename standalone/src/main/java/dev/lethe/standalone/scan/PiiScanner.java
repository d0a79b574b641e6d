package dev.lethe.standalone.scan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rocksdb.RocksDBException;

/**
 * The scan behind {@code lethe pii-scan}: looks for raw values (identifiers, tokens) in every
 * topic of a cluster ({@link TopicScan}), in the files and RocksDB stores of state directories
 * ({@link FileScan}, {@link RocksDbScan}), in the raw files of a broker's data directory and in log
 * files, and reports every place in a {@link ScanReport} that never shows a value in clear.
 *
 * <pre>{@code
 * ScanReport report = PiiScanner.builder()
 *         .values(List.of(userId, email))
 *         .bootstrapServers("localhost:9092")
 *         .stateDir(dataDir.resolve("streams"))
 *         .build()
 *         .scan();
 * assertFalse(report.found(), report.human());
 * }</pre>
 */
public final class PiiScanner {

    private final List<SearchedValue> values;
    private final Optional<String> bootstrapServers;
    private final Map<String, String> kafkaProperties;
    private final List<Path> stateDirs;
    private final List<Path> brokerDirs;
    private final List<Path> logDirs;
    private final List<String> skipped;
    private final Duration timeout;

    private PiiScanner(Builder builder) {
        final List<SearchedValue> parsed = new ArrayList<>();
        for (int i = 0; i < builder.values.size(); i++) {
            parsed.add(SearchedValue.of(i + 1, builder.values.get(i)));
        }
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException("no value to look for");
        }
        this.values = List.copyOf(parsed);
        this.bootstrapServers = Optional.ofNullable(builder.bootstrapServers);
        this.kafkaProperties = Map.copyOf(builder.kafkaProperties);
        this.stateDirs = List.copyOf(builder.stateDirs);
        this.brokerDirs = List.copyOf(builder.brokerDirs);
        this.logDirs = List.copyOf(builder.logDirs);
        this.skipped = List.copyOf(builder.skipped);
        this.timeout = builder.timeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Reads every source once; never throws for a source it cannot read (that is a problem in the report). */
    public ScanReport scan() {
        final ByteMatcher matcher = new ByteMatcher(values);
        final HitCollector hits = new HitCollector();
        final List<String> read = new ArrayList<>();
        final List<String> notRead = new ArrayList<>(skipped);
        final List<String> problems = new ArrayList<>();
        bootstrapServers.ifPresentOrElse(
                servers -> new TopicScan(servers, kafkaProperties, timeout).scan(matcher, hits, read, problems),
                () -> notRead.add("Kafka topics: no bootstrap servers given (--no-kafka)"));
        stateDirs.forEach(dir -> scanFiles(dir, Hit.Source.STATE_FILE, true, matcher, hits, read, notRead, problems));
        brokerDirs.forEach(dir -> scanFiles(dir, Hit.Source.BROKER_FILE, false, matcher, hits, read, notRead, problems));
        logDirs.forEach(dir -> scanFiles(dir, Hit.Source.LOG_FILE, false, matcher, hits, read, notRead, problems));
        return new ScanReport(values.stream().map(SearchedValue::tag).toList(), hits.hits(), read, notRead, problems);
    }

    private static void scanFiles(Path root, Hit.Source source, boolean stores, ByteMatcher matcher, HitCollector hits,
                                  List<String> read, List<String> skipped, List<String> problems) {
        final String kind = source.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + "s";
        final List<Path> files;
        try {
            files = FileScan.files(root);
        } catch (IOException | UncheckedIOException e) {
            problems.add(kind + " under " + root + ": cannot list (" + e.getMessage() + ")");
            return;
        }
        long bytes = 0;
        int count = 0;
        int indexes = 0;
        for (Path file : files) {
            if (source == Hit.Source.BROKER_FILE && isOffsetOrTimeIndex(file)) {
                indexes++;
                continue;
            }
            try {
                if (FileScan.scan(file, source, matcher, hits)) {
                    count++;
                    bytes += file.toFile().length();
                } else {
                    skipped.add(file + ": removed while the scan ran (a running deployment compacts and rolls files)");
                }
            } catch (UncheckedIOException e) {
                problems.add(e.getMessage());
            }
        }
        read.add(kind + " under " + root + ": " + count + " files, " + bytes + " bytes (raw bytes)");
        if (indexes > 0) {
            skipped.add(indexes + " offset and time index files under " + root + " (*.index, *.timeindex: offsets and "
                    + "timestamps only, no record bytes; a running broker pre-allocates them at 10 MB each)");
        }
        if (stores) {
            scanStores(files, matcher, hits, read, problems);
        }
    }

    private static boolean isOffsetOrTimeIndex(Path file) {
        final String name = file.getFileName().toString();
        return name.endsWith(".index") || name.endsWith(".timeindex");
    }

    private static void scanStores(List<Path> files, ByteMatcher matcher, HitCollector hits, List<String> read,
                                   List<String> problems) {
        files.stream().map(Path::getParent).distinct().filter(RocksDbScan::isStore).forEach(store -> {
            try {
                final long entries = RocksDbScan.scan(store, matcher, hits);
                read.add("RocksDB store " + store + ": " + entries + " entries (opened read-only)");
            } catch (RocksDBException | RuntimeException e) {
                problems.add("RocksDB store " + store + ": cannot open read-only (" + e.getMessage() + ")");
            }
        });
    }

    /** What to look for and where. Only the values are required; every source is optional. */
    public static final class Builder {
        private final List<String> values = new ArrayList<>();
        private String bootstrapServers;
        private final Map<String, String> kafkaProperties = new LinkedHashMap<>();
        private final List<Path> stateDirs = new ArrayList<>();
        private final List<Path> brokerDirs = new ArrayList<>();
        private final List<Path> logDirs = new ArrayList<>();
        private final List<String> skipped = new ArrayList<>();
        private Duration timeout = Duration.ofSeconds(60);

        private Builder() {
        }

        /** The raw values, each at least {@value SearchedValue#MIN_LENGTH} characters. */
        public Builder values(List<String> raw) {
            values.addAll(raw);
            return this;
        }

        /** Reads every topic of this cluster; without it no topic is read. */
        public Builder bootstrapServers(String servers) {
            this.bootstrapServers = servers;
            return this;
        }

        /** Extra client settings (security, for instance), as in a Kafka client's properties. */
        public Builder kafkaProperties(Map<String, String> properties) {
            kafkaProperties.putAll(properties);
            return this;
        }

        /** A Kafka Streams state directory: raw bytes of every file, and every RocksDB store opened read-only. */
        public Builder stateDir(Path dir) {
            stateDirs.add(dir);
            return this;
        }

        /** A broker's data directory (log segments, indexes, snapshots): raw bytes of every file. */
        public Builder brokerDir(Path dir) {
            brokerDirs.add(dir);
            return this;
        }

        /** A folder of log files (or one log file): raw bytes, {@code .gz} files uncompressed. */
        public Builder logDir(Path dir) {
            logDirs.add(dir);
            return this;
        }

        /** Notes a source that is not read, and why, in the report. */
        public Builder skipped(String why) {
            skipped.add(why);
            return this;
        }

        /** How long the whole topic read may take (default 60 s); past it, unread partitions are problems. */
        public Builder timeout(Duration bound) {
            this.timeout = bound;
            return this;
        }

        /** @throws IllegalArgumentException when there is no value or a value is too short */
        public PiiScanner build() {
            return new PiiScanner(this);
        }
    }
}
