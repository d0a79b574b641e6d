package dev.lethe.standalone.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The rows of an import file, each turned into the body of {@code POST /v1/erasures} or into the
 * reason it cannot be one. CSV: a header row names the columns; {@code jurisdiction},
 * {@code reason}, {@code source} override the defaults per row; every other column is an
 * identifier namespace (the gateway refuses a namespace it does not know, per row); the first
 * namespace column, or the one {@code subject} names, is the subject and the others are further
 * identifiers (a blank cell gives none). NDJSON: one request body per line, the defaults filling
 * {@code jurisdiction}, {@code reason}, {@code source} where a line has none; blank lines are skipped.
 */
final class ImportRows implements AutoCloseable {

    static final Set<String> OVERRIDES = Set.of("jurisdiction", "reason", "source");

    /** One row: its number in the file (1 is the first row after a CSV header, or the first line), and its body or refusal. */
    record Row(long number, ObjectNode body, String refusal) {
    }

    /** The values a row falls back to when it gives none. */
    record Defaults(String jurisdiction, String reason, String source, String subject) {
    }

    private final BufferedReader reader;
    private final boolean ndjson;
    private final Defaults defaults;
    private final Csv csv;
    private List<String> header;
    private int subjectColumn = -1;
    private long number;

    private ImportRows(BufferedReader reader, boolean ndjson, Defaults defaults) {
        this.reader = reader;
        this.ndjson = ndjson;
        this.defaults = defaults;
        this.csv = ndjson ? null : new Csv(reader);
    }

    /** Opens {@code file}: NDJSON when its name ends in .ndjson or .jsonl or its first character is '{'. */
    static ImportRows open(Path file, Defaults defaults) throws IOException {
        return new ImportRows(Files.newBufferedReader(file, StandardCharsets.UTF_8), isNdjson(file), defaults);
    }

    static boolean isNdjson(Path file) throws IOException {
        final String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".ndjson") || name.endsWith(".jsonl")) {
            return true;
        }
        if (name.endsWith(".csv")) {
            return false;
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int c;
            do {
                c = in.read();
            } while (c != -1 && Character.isWhitespace(c));
            return c == '{';
        }
    }

    /** The next row, or null at the end of the file. */
    Row next() throws IOException {
        return ndjson ? nextLine() : nextRecord();
    }

    private Row nextLine() throws IOException {
        String line;
        do {
            line = reader.readLine();
            if (line == null) {
                return null;
            }
            number++;
        } while (line.isBlank());
        final JsonNode node;
        try {
            node = Api.JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return new Row(number, null, "is not JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode body)) {
            return new Row(number, null, "is not a JSON object");
        }
        fill(body, "jurisdiction", defaults.jurisdiction());
        fill(body, "reason", defaults.reason());
        fill(body, "source", defaults.source());
        return new Row(number, body, null);
    }

    private Row nextRecord() throws IOException {
        if (header == null && !readHeader()) {
            return null;
        }
        List<String> fields;
        do {
            fields = csv.next();
            if (fields == null) {
                return null;
            }
            number++;
        } while (fields.isEmpty());
        if (fields.size() != header.size()) {
            return new Row(number, null, "has " + fields.size() + " fields where the header names " + header.size());
        }
        final String subject = fields.get(subjectColumn).strip();
        if (subject.isEmpty()) {
            return new Row(number, null, "has no subject: column " + header.get(subjectColumn) + " is blank");
        }
        final ObjectNode body = Api.JSON.createObjectNode();
        body.putObject("subject").put("namespace", header.get(subjectColumn)).put("value", subject);
        final ArrayNode identifiers = Api.JSON.createArrayNode();
        for (int i = 0; i < header.size(); i++) {
            final String column = header.get(i);
            final String value = fields.get(i).strip();
            if (OVERRIDES.contains(column)) {
                if (!value.isEmpty()) {
                    body.put(column, value);
                }
            } else if (i != subjectColumn && !value.isEmpty()) {
                identifiers.addObject().put("namespace", column).put("value", value);
            }
        }
        if (!identifiers.isEmpty()) {
            body.set("identifiers", identifiers);
        }
        fill(body, "jurisdiction", defaults.jurisdiction());
        fill(body, "reason", defaults.reason());
        fill(body, "source", defaults.source());
        return new Row(number, body, null);
    }

    private boolean readHeader() throws IOException {
        List<String> names;
        do {
            names = csv.next();
            if (names == null) {
                return false;
            }
        } while (names.isEmpty());
        header = new ArrayList<>();
        for (String name : names) {
            header.add(name.strip().replace("\uFEFF", ""));
        }
        for (int i = 0; i < header.size(); i++) {
            final boolean namespace = !OVERRIDES.contains(header.get(i));
            if (namespace && (defaults.subject() == null ? subjectColumn < 0 : header.get(i).equals(defaults.subject()))) {
                subjectColumn = i;
            }
        }
        if (subjectColumn < 0) {
            throw new IllegalArgumentException(defaults.subject() == null
                    ? "the header names no namespace column (only " + String.join(",", header) + ")"
                    : "--subject " + defaults.subject() + " is not a column of the header (" + String.join(",", header)
                            + ")");
        }
        return true;
    }

    private static void fill(ObjectNode body, String field, String value) {
        if (value != null && !body.hasNonNull(field)) {
            body.put(field, value);
        }
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
