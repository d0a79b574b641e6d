package dev.lethe.ledger;

import dev.lethe.ledger.domain.ApprovalPolicy;
import dev.lethe.ledger.domain.LedgerPolicy;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the {@link LedgerPolicy} from the environment; anything malformed fails the start with a
 * message that names the variable and the bad part.
 *
 * <ul>
 *   <li>{@code LETHE_APPROVAL}: {@code auto} (default), {@code manual}, or rules as in {@link ApprovalPolicy}.</li>
 *   <li>{@code LETHE_DEADLINES}: {@code JURISDICTION=ISO-8601 period} pairs, comma-separated, over
 *       the statutory defaults, e.g. {@code GDPR=P1M,LGPD=P15D}.</li>
 *   <li>{@code LETHE_DEFAULT_DEADLINE}: the period of any other jurisdiction (default {@code P30D}).</li>
 *   <li>{@code LETHE_EXTENSIONS}: {@code JURISDICTION=standard[/maximum]} pairs over the defaults
 *       ({@code GDPR=P2M}, {@code CCPA=P45D}, {@code CPRA=P45D}); {@code JURISDICTION=none} forbids extensions.</li>
 * </ul>
 */
public final class PolicyConfig {

    private PolicyConfig() {
    }

    public static LedgerPolicy fromEnvironment(Map<String, String> env) {
        final LedgerPolicy defaults = LedgerPolicy.defaults();
        final ApprovalPolicy approval;
        try {
            approval = ApprovalPolicy.parse(env.get("LETHE_APPROVAL"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("LETHE_APPROVAL: " + e.getMessage(), e);
        }
        final Map<String, Period> deadlines = new HashMap<>(defaults.deadlines());
        pairs(env, "LETHE_DEADLINES").forEach((jurisdiction, text) ->
                deadlines.put(jurisdiction, period("LETHE_DEADLINES", jurisdiction, text)));
        final String fallback = env.get("LETHE_DEFAULT_DEADLINE");
        final Period defaultDeadline = fallback == null || fallback.isBlank() ? defaults.defaultDeadline()
                : period("LETHE_DEFAULT_DEADLINE", "the default", fallback);
        final Map<String, LedgerPolicy.Extension> extensions = new HashMap<>(defaults.extensions());
        pairs(env, "LETHE_EXTENSIONS").forEach((jurisdiction, text) -> {
            if (text.equalsIgnoreCase("none")) {
                extensions.remove(jurisdiction);
            } else {
                extensions.put(jurisdiction, extension(jurisdiction, text));
            }
        });
        return new LedgerPolicy(approval, deadlines, defaultDeadline, extensions, defaults.maxEarlyCallbacks());
    }

    private static LedgerPolicy.Extension extension(String jurisdiction, String text) {
        final String[] parts = text.split("/", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException("LETHE_EXTENSIONS: " + jurisdiction + "=" + text
                    + " must be standard or standard/maximum, e.g. P45D or P1M/P2M");
        }
        final Period standard = period("LETHE_EXTENSIONS", jurisdiction, parts[0]);
        final Period maximum = parts.length == 2 ? period("LETHE_EXTENSIONS", jurisdiction, parts[1]) : standard;
        return new LedgerPolicy.Extension(standard, maximum);
    }

    private static Map<String, String> pairs(Map<String, String> env, String name) {
        final Map<String, String> pairs = new HashMap<>();
        final String text = env.get(name);
        if (text == null || text.isBlank()) {
            return pairs;
        }
        for (String pair : text.split(",", -1)) {
            final int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) {
                throw new IllegalArgumentException(name + ": '" + pair.strip()
                        + "' must be JURISDICTION=value, e.g. GDPR=P1M");
            }
            pairs.put(pair.substring(0, eq).strip().toUpperCase(Locale.ROOT), pair.substring(eq + 1).strip());
        }
        return pairs;
    }

    private static Period period(String variable, String jurisdiction, String text) {
        try {
            final Period period = Period.parse(text.strip());
            if (period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException(variable + ": the period of " + jurisdiction + " must be positive, got "
                        + text);
            }
            return period;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(variable + ": '" + text + "' for " + jurisdiction
                    + " is not an ISO-8601 period such as P1M or P45D", e);
        }
    }
}
