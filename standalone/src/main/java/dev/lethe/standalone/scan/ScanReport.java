package dev.lethe.standalone.scan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one {@code lethe pii-scan} found and read: the {@link Hit}s, what it read (so that a clean
 * result can be told from a scan that read nothing), what it skipped and why, and the problems
 * that kept it from reading something. No hit and no problem is a clean result.
 *
 * @param values   how each value is named ({@link SearchedValue#tag()}), in input order
 * @param hits     every place a value was found
 * @param read     what was read, one line a source ({@code topic erasure.requests: 3 partitions, 12 records})
 * @param skipped  what was not read and why
 * @param problems what could not be read: a scan with problems and no hit proves nothing
 */
public record ScanReport(List<String> values, List<Hit> hits, List<String> read, List<String> skipped,
                         List<String> problems) {

    /** How many example places a hit lists. */
    public static final int EXAMPLES = 3;
    public static final int CLEAN = 0;
    public static final int FOUND = 1;
    public static final int ERROR = 2;

    public ScanReport {
        values = List.copyOf(values);
        hits = hits.stream().sorted(Comparator.comparingInt(Hit::value).thenComparing(Hit::source)
                .thenComparing(Hit::container).thenComparing(Hit::encoding)).toList();
        read = List.copyOf(read);
        skipped = List.copyOf(skipped);
        problems = List.copyOf(problems);
    }

    public boolean found() {
        return !hits.isEmpty();
    }

    /** 1 when a value was found, else 2 when something could not be read, else 0. */
    public int exitStatus() {
        return found() ? FOUND : problems.isEmpty() ? CLEAN : ERROR;
    }

    /** The hits of the value at {@code index} (from 1, in input order). */
    public List<Hit> hitsOf(int index) {
        return hits.stream().filter(hit -> hit.value() == index).toList();
    }

    /** The containers (topic names, file or store paths) where any value was found, per source. */
    public Map<Hit.Source, List<String>> containers() {
        final Map<Hit.Source, List<String>> out = new LinkedHashMap<>();
        for (Hit hit : hits) {
            final List<String> list = out.computeIfAbsent(hit.source(), s -> new ArrayList<>());
            if (!list.contains(hit.container())) {
                list.add(hit.container());
            }
        }
        return out;
    }

    /** The report for a person: one line a hit, then what was read, skipped and not readable. */
    public String human() {
        final StringBuilder out = new StringBuilder();
        out.append("lethe pii-scan: ").append(values.size()).append(values.size() == 1 ? " value" : " values")
                .append(" (shown by position and SHA-256 prefix, never in clear)\n");
        values.forEach(value -> out.append("  value ").append(value).append('\n'));
        out.append('\n');
        if (hits.isEmpty()) {
            out.append("No value was found.\n");
        } else {
            out.append("Found:\n");
            for (Hit hit : hits) {
                out.append(String.format("  #%d  %-11s %-60s %-10s %5d×  %s%n", hit.value(),
                        hit.source().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), hit.container(),
                        hit.encoding(), hit.count(), String.join(", ", hit.examples())));
            }
        }
        out.append("\nRead:\n");
        read.forEach(line -> out.append("  ").append(line).append('\n'));
        if (!skipped.isEmpty()) {
            out.append("\nSkipped:\n");
            skipped.forEach(line -> out.append("  ").append(line).append('\n'));
        }
        if (!problems.isEmpty()) {
            out.append("\nCould not read:\n");
            problems.forEach(line -> out.append("  ").append(line).append('\n'));
        }
        out.append('\n').append(switch (exitStatus()) {
            case FOUND -> "Result: FOUND in " + hits.size() + " places (exit 1)";
            case ERROR -> "Result: nothing found, but " + problems.size() + " sources could not be read (exit 2)";
            default -> "Result: clean (exit 0)";
        }).append('\n');
        return out.toString();
    }

    /** The same as one JSON object: {@code result}, {@code exitStatus}, {@code values}, {@code hits}, {@code read}, {@code skipped}, {@code problems}. */
    public String json() {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("result", switch (exitStatus()) {
            case FOUND -> "found";
            case ERROR -> "error";
            default -> "clean";
        });
        out.put("exitStatus", exitStatus());
        out.put("values", values);
        out.put("hits", hits);
        out.put("read", read);
        out.put("skipped", skipped);
        out.put("problems", problems);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report as JSON", e);
        }
    }
}
