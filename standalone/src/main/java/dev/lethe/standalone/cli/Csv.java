package dev.lethe.standalone.cli;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 comma-separated values: fields separated by commas, records by CRLF or LF, a field in
 * double quotes may hold commas, line breaks and doubled quotes. Enough for exports from
 * spreadsheets and databases, no more.
 */
final class Csv {

    private final Reader in;
    private int peeked = -2;

    Csv(Reader in) {
        this.in = in;
    }

    /** The next record's fields, or null at the end of the input. A blank line is an empty list. */
    List<String> next() throws IOException {
        int c = read();
        if (c == -1) {
            return null;
        }
        final List<String> fields = new ArrayList<>();
        final StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        while (true) {
            if (quoted) {
                if (c == -1) {
                    throw new IOException("a quoted field is not closed before the end of the file");
                }
                if (c == '"') {
                    if (peek() == '"') {
                        read();
                        field.append('"');
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append((char) c);
                }
            } else if (c == '"' && field.isEmpty()) {
                quoted = true;
                any = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                any = true;
            } else if (c == '\r' && peek() == '\n') {
                read();
                break;
            } else if (c == '\n' || c == -1) {
                break;
            } else {
                field.append((char) c);
                any = true;
            }
            c = read();
        }
        if (any || !field.isEmpty()) {
            fields.add(field.toString());
        }
        return fields;
    }

    private int read() throws IOException {
        if (peeked != -2) {
            final int c = peeked;
            peeked = -2;
            return c;
        }
        return in.read();
    }

    private int peek() throws IOException {
        if (peeked == -2) {
            peeked = in.read();
        }
        return peeked;
    }

    /** One record as a line (without its line break), quoting fields that need it. */
    static String line(List<String> fields) {
        final StringBuilder line = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            final String value = fields.get(i) == null ? "" : fields.get(i);
            if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
                line.append('"').append(value.replace("\"", "\"\"")).append('"');
            } else {
                line.append(value);
            }
        }
        return line.toString();
    }
}
