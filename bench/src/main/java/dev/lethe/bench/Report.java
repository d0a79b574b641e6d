package dev.lethe.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The results of one run: printed as a table (median, min, max, goal, whether it is met) and
 * written with the same figures as JSON to {@code <out>/bench-<UTC time>.json}.
 */
public final class Report {

    private static final DateTimeFormatter FILE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private Report() {
    }

    public static void print(List<Figure> figures, PrintStream out) {
        final String row = "| %-8s | %-52s | %-9s | %12s | %12s | %12s | %-9s | %-4s |%n";
        out.printf(row, "stage", "figure", "unit", "median", "min", "max", "goal", "met");
        out.printf(row, "-".repeat(8), "-".repeat(52), "-".repeat(9), "-".repeat(12), "-".repeat(12), "-".repeat(12),
                "-".repeat(9), "-".repeat(4));
        for (Figure f : figures) {
            out.printf(row, f.stage(), f.name(), f.unit(), number(f.summary().median()), number(f.summary().min()),
                    number(f.summary().max()), f.goal(), f.met() == null ? "" : (f.met() ? "yes" : "NO"));
        }
    }

    /** A readable number: ratios with two decimals, larger figures with fewer. */
    static String number(double value) {
        if (Math.abs(value) >= 1000) {
            return String.format("%,.0f", value);
        }
        if (Math.abs(value) >= 10) {
            return String.format("%.1f", value);
        }
        return String.format("%.3f", value);
    }

    /** Writes the JSON file and returns its path. */
    public static Path write(List<Figure> figures, List<String> notes, BenchArgs args, Map<String, Object> environment,
                             Instant started)
            throws IOException {
        Files.createDirectories(args.outDir());
        final Path file = args.outDir().resolve("bench-" + FILE_TIME.format(started) + ".json");
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("started", started.toString());
        json.put("long", args.longRun());
        json.put("rounds", args.rounds());
        json.put("environment", environment);
        json.put("figures", figures);
        json.put("notes", notes);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
        return file;
    }
}
