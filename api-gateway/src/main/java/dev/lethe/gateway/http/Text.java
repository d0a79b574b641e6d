package dev.lethe.gateway.http;

/**
 * What text the API takes. Everything is valid Unicode: a lone UTF-16 surrogate (which a JSON
 * {@code \ud800} escape can produce) would be replaced by {@code ?} on its way to UTF-8, so two
 * different inputs would become one. Free text may hold tabs and line breaks but no other control
 * character; identifiers, references and names hold no control character at all.
 */
public final class Text {

    private Text() {
    }

    /** What is wrong with {@code text} as free text, or null when nothing is. */
    public static String problemInFreeText(String text) {
        return problem(text, true);
    }

    /** What is wrong with {@code text} as an identifier, a reference or a name, or null when nothing is. */
    public static String problemInValue(String text) {
        return problem(text, false);
    }

    private static String problem(String text, boolean lineBreaksAllowed) {
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "contains a lone UTF-16 surrogate (not valid Unicode)";
            }
            if (Character.isLowSurrogate(c)) {
                return "contains a lone UTF-16 surrogate (not valid Unicode)";
            }
            if (Character.isISOControl(c) && !(lineBreaksAllowed && (c == '\t' || c == '\n' || c == '\r'))) {
                return lineBreaksAllowed ? "contains a control character (only tabs and line breaks are allowed)"
                        : "contains a control character";
            }
        }
        return null;
    }
}
