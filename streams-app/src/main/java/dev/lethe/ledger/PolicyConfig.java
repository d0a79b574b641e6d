package dev.lethe.ledger;

import dev.lethe.ledger.domain.ApprovalPolicy;
import dev.lethe.ledger.domain.LedgerPolicy;
import dev.lethe.schemas.config.ConfigException;
import dev.lethe.schemas.config.Env;
import java.time.Period;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the {@link LedgerPolicy} from the environment; anything malformed fails the start with a
 * {@link ConfigException} that names the variable and the bad part.
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
        return read(Env.of(env));
    }

    public static LedgerPolicy read(Env env) {
        final LedgerPolicy defaults = LedgerPolicy.defaults();
        final ApprovalPolicy approval = env.parsed("LETHE_APPROVAL", ApprovalPolicy.parse(null), ApprovalPolicy::parse);
        final Map<String, Period> deadlines = new HashMap<>(defaults.deadlines());
        pairs(env, "LETHE_DEADLINES").forEach((jurisdiction, text) ->
                deadlines.put(jurisdiction, Env.positivePeriod("LETHE_DEADLINES", jurisdiction, text)));
        final Period defaultDeadline = env.period("LETHE_DEFAULT_DEADLINE", defaults.defaultDeadline());
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
            throw new ConfigException("LETHE_EXTENSIONS", jurisdiction + "=" + text
                    + " must be standard or standard/maximum, e.g. P45D or P1M/P2M");
        }
        final Period standard = Env.positivePeriod("LETHE_EXTENSIONS", jurisdiction, parts[0]);
        final Period maximum = parts.length == 2
                ? Env.positivePeriod("LETHE_EXTENSIONS", jurisdiction, parts[1]) : standard;
        return new LedgerPolicy.Extension(standard, maximum);
    }

    private static Map<String, String> pairs(Env env, String name) {
        final Map<String, String> pairs = new HashMap<>();
        final String text = env.string(name, "");
        if (text.isEmpty()) {
            return pairs;
        }
        for (String pair : text.split(",", -1)) {
            final int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) {
                throw new ConfigException(name, "'" + pair.strip() + "' must be JURISDICTION=value, e.g. GDPR=P1M");
            }
            pairs.put(pair.substring(0, eq).strip().toUpperCase(Locale.ROOT), pair.substring(eq + 1).strip());
        }
        return pairs;
    }
}
