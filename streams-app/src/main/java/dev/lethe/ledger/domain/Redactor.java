package dev.lethe.ledger.domain;

import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Keeps raw identifier values out of every text the ledger keeps or emits: partner text may
 * quote an identifier, the ledger never keeps one. It remembers the values of every state it is
 * shown (still known after a request finishes and drops them), longest first, so a value that
 * contains another is redacted whole; texts are cut to {@link #MAX_DETAIL} after redacting.
 */
final class Redactor {

    static final int MAX_DETAIL = 2_000;
    private static final String REDACTED = "[redacted]";

    private final Map<String, Pattern> secrets = new TreeMap<>(
            Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));

    /** Remembers the identifier values {@code state} holds. */
    void remember(RequestState state) {
        if (state.subject() == null && state.identifiers().isEmpty()) {
            return;
        }
        Stream.concat(Stream.ofNullable(state.subject()), state.identifiers().stream())
                .map(Identifier::value).filter(Objects::nonNull).map(String::strip)
                .filter(value -> value.length() >= 3 && !secrets.containsKey(value))
                .forEach(value -> secrets.put(value, null)); // compiled when a text first holds it
    }

    String redact(String text) {
        if (text == null) {
            return null;
        }
        String clean = text;
        for (Map.Entry<String, Pattern> secret : secrets.entrySet()) {
            if (containsIgnoringCase(clean, secret.getKey())) {
                clean = pattern(secret).matcher(clean).replaceAll(Matcher.quoteReplacement(REDACTED));
            }
        }
        // cut after redacting, so the cut never leaves a piece of an identifier behind
        return clean.length() > MAX_DETAIL ? clean.substring(0, MAX_DETAIL) : clean;
    }

    private static Pattern pattern(Map.Entry<String, Pattern> secret) {
        if (secret.getValue() == null) {
            secret.setValue(Pattern.compile(Pattern.quote(secret.getKey()),
                    Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
        }
        return secret.getValue();
    }

    /**
     * A cheap first look (most texts hold no identifier): whether {@code value} occurs in {@code text}
     * ignoring case, char by char as {@link String#regionMatches(boolean, int, String, int, int)}
     * compares, which folds case as the pattern's Unicode-case matching does.
     */
    private static boolean containsIgnoringCase(String text, String value) {
        for (int i = 0; i + value.length() <= text.length(); i++) {
            if (text.regionMatches(true, i, value, 0, value.length())) {
                return true;
            }
        }
        return false;
    }
}
