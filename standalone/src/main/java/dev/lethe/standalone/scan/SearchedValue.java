package dev.lethe.standalone.scan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * One raw value that {@code lethe pii-scan} looks for, with every byte form it may take where Lethe
 * or Kafka keeps it. The value itself is never shown: reports name it by {@link #tag()} (its
 * position and a short SHA-256 prefix).
 *
 * <p>The forms: its UTF-8 bytes, which is also how an Avro string and a Kafka string key hold it
 * (Avro prefixes the UTF-8 bytes with a zig-zag varint length, so the bytes themselves are
 * contiguous); JSON-escaped (only where escaping changes it: quotes, backslashes, control
 * characters, and the variant that escapes {@code /} and every non-ASCII character as
 * {@code \\uXXXX}); UTF-16 in both byte orders; lower-case hexadecimal of the UTF-8 bytes; and
 * base64, standard and URL-safe, at each of the three alignments the value can start at inside a
 * longer encoded text (the characters that depend on the value's bytes alone). Text forms match
 * ASCII letters in any case; base64 forms are case-sensitive, so they are made of the value as given
 * and of its lower-case form.
 */
public final class SearchedValue {

    /** Shorter values would match almost any bytes: they are refused. */
    public static final int MIN_LENGTH = 4;
    private static final int MIN_BASE64_CHARS = 4;

    private final int index;
    private final String tag;
    private final List<Pattern> patterns;

    /** One byte form of the value; {@code foldCase} when ASCII letters match in any case. */
    public record Pattern(String encoding, byte[] bytes, boolean foldCase) {
    }

    private SearchedValue(int index, String tag, List<Pattern> patterns) {
        this.index = index;
        this.tag = tag;
        this.patterns = List.copyOf(patterns);
    }

    /**
     * @param index the value's position in the input, from 1
     * @throws IllegalArgumentException when the value is shorter than {@value #MIN_LENGTH} characters
     */
    public static SearchedValue of(int index, String value) {
        if (value.strip().length() < MIN_LENGTH) {
            throw new IllegalArgumentException("value #" + index + " is shorter than " + MIN_LENGTH
                    + " characters: it would match almost anything");
        }
        final List<Pattern> patterns = new ArrayList<>();
        final byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        add(patterns, new Pattern("utf-8", utf8, true));
        add(patterns, new Pattern("json", jsonEscaped(value, false).getBytes(StandardCharsets.UTF_8), true));
        add(patterns, new Pattern("json-ascii", jsonEscaped(value, true).getBytes(StandardCharsets.UTF_8), true));
        add(patterns, new Pattern("utf-16le", value.getBytes(StandardCharsets.UTF_16LE), true));
        add(patterns, new Pattern("utf-16be", value.getBytes(StandardCharsets.UTF_16BE), true));
        add(patterns, new Pattern("hex", HexFormat.of().formatHex(utf8).getBytes(StandardCharsets.US_ASCII), true));
        for (String form : List.of(value, value.toLowerCase(Locale.ROOT))) {
            final byte[] bytes = form.getBytes(StandardCharsets.UTF_8);
            for (int align = 0; align < 3; align++) {
                base64(patterns, "base64", Base64.getEncoder(), bytes, align);
                base64(patterns, "base64url", Base64.getUrlEncoder(), bytes, align);
            }
        }
        return new SearchedValue(index, tag(index, value), patterns);
    }

    /** The value's position and the first 8 hex digits of its SHA-256: enough to tell values apart, not to read them. */
    static String tag(int index, String value) {
        try {
            final byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return "#" + index + " (sha256:" + HexFormat.of().formatHex(digest, 0, 4) + ", "
                    + value.length() + " chars)";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    public int index() {
        return index;
    }

    /** How reports name the value: never the value itself. */
    public String tag() {
        return tag;
    }

    public List<Pattern> patterns() {
        return patterns;
    }

    int longestPattern() {
        return patterns.stream().mapToInt(p -> p.bytes().length).max().orElse(0);
    }

    private static void add(List<Pattern> patterns, Pattern pattern) {
        final boolean known = patterns.stream().anyMatch(p -> Arrays.equals(p.bytes(), pattern.bytes())
                && p.foldCase() == pattern.foldCase());
        if (!known && pattern.bytes().length > 0) {
            patterns.add(pattern);
        }
    }

    /**
     * The characters of the base64 text of {@code bytes} that depend on them alone when they start
     * {@code align} bytes into a 3-byte group: the characters that mix in the preceding bytes (2 for
     * an alignment of 1, 3 for 2) and the last, incomplete group are left out.
     */
    private static void base64(List<Pattern> patterns, String name, Base64.Encoder encoder, byte[] bytes, int align) {
        final byte[] shifted = new byte[align + bytes.length];
        System.arraycopy(bytes, 0, shifted, align, bytes.length);
        final String encoded = encoder.withoutPadding().encodeToString(shifted);
        final int from = align == 0 ? 0 : align + 1;
        final int to = (shifted.length / 3) * 4;
        if (to - from >= MIN_BASE64_CHARS) {
            add(patterns, new Pattern(name, encoded.substring(from, to).getBytes(StandardCharsets.US_ASCII), false));
        }
    }

    /** As a JSON string's content: {@code asciiOnly} also escapes {@code /} and every non-ASCII character. */
    static String jsonEscaped(String value, boolean asciiOnly) {
        final StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            final char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '/' -> out.append(asciiOnly ? "\\/" : "/");
                default -> {
                    if (c < 0x20 || (asciiOnly && c > 0x7e)) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
