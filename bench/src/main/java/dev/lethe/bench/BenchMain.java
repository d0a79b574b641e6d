package dev.lethe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Runs the benchmark stages chosen on the command line, one after the other, each against its
 * own broker in a child JVM; prints the table on stdout and writes the JSON under
 * {@code bench-results/}. Load goes only to loopback and is bounded in count and time.
 */
public final class BenchMain {

    /** Every stage, in the order they run. Add a stage here. */
    static List<Stage> stages() {
        return List.of(
                new LedgerThroughputStage(),
                new IntakeStage(),
                new BulkStage(),
                new StatusStage(),
                new EndToEndStage(),
                new ScaleStage(),
                new RestoreStage(),
                new CrashStage(),
                new S3EraseStage(),
                new SqlEraseStage());
    }

    private BenchMain() {
    }

    public static void main(String[] argv) throws IOException {
        final List<Stage> stages = stages();
        final BenchArgs args;
        try {
            args = BenchArgs.parse(argv, stages.stream().map(Stage::name).toList());
        } catch (IllegalArgumentException e) {
            System.err.println("lethe-bench: " + e.getMessage());
            System.err.printf(BenchArgs.USAGE, String.join(",", stages.stream().map(Stage::name).toList()));
            System.exit(2);
            return;
        }
        if (args.help()) {
            System.out.printf(BenchArgs.USAGE, String.join(",", stages.stream().map(Stage::name).toList()));
            return;
        }
        System.exit(run(args, stages) ? 0 : 1);
    }

    private static boolean run(BenchArgs args, List<Stage> stages) throws IOException {
        final Instant started = Instant.now();
        final Path scratch = Files.createTempDirectory("lethe-bench-");
        final BenchContext context = new BenchContext(args, scratch, System.getProperty("java.class.path"));
        final List<Figure> figures = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        final Set<String> seenDeadlocks = new HashSet<>();
        boolean ok = true;
        try {
            for (Stage stage : stages) {
                if (!args.runs(stage.name())) {
                    continue;
                }
                final long t0 = System.nanoTime();
                Console.progress("stage %s ...", stage.name());
                try {
                    figures.addAll(stage.run(context));
                } catch (Exception e) {
                    ok = false;
                    Console.progress("stage %s FAILED: %s", stage.name(), e);
                    e.printStackTrace(System.err);
                }
                Console.progress("stage %s took %d s", stage.name(),
                        Duration.ofNanos(System.nanoTime() - t0).toSeconds());
                for (String deadlock : Deadlocks.find()) {
                    if (seenDeadlocks.add(deadlock)) {
                        final String note = "during stage " + stage.name() + ": Java-level deadlock: " + deadlock;
                        notes.add(note);
                        Console.progress("%s", note);
                    }
                }
            }
        } finally {
            deleteTree(scratch);
        }
        Report.print(figures, System.out);
        notes.forEach(note -> System.out.println("note: " + note));
        final Path json = Report.write(figures, notes, args, environment(started), started);
        System.out.println();
        System.out.println("Wrote " + json + " (total " + Duration.between(started, Instant.now()).toSeconds() + " s)");
        return ok;
    }

    private static Map<String, Object> environment(Instant started) {
        final Map<String, Object> env = new LinkedHashMap<>();
        env.put("cpus", Runtime.getRuntime().availableProcessors());
        env.put("maxHeapMb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        env.put("java", System.getProperty("java.version"));
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        env.put("seconds", Duration.between(started, Instant.now()).toSeconds());
        return env;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
