package dev.lethe.ledger.notify;

import dev.lethe.schemas.config.Env;
import java.net.URI;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;

/**
 * Settings of the notification webhook, from the environment: {@code LETHE_NOTIFY_URL} (the
 * webhook is off without it), {@code LETHE_NOTIFY_MAX_ATTEMPTS} (default 6),
 * {@code LETHE_NOTIFY_BACKOFF_MS} (the first retry's wait, doubled each time with jitter,
 * default 500) and {@code LETHE_NOTIFY_TIMEOUT_MS} (per call, default 5000).
 */
public record NotifierConfig(URI url, int maxAttempts, Duration initialBackoff, Duration timeout) {

    public NotifierConfig {
        final String scheme = url.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw new IllegalArgumentException("LETHE_NOTIFY_URL must be an http(s) URL with a host");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("LETHE_NOTIFY_MAX_ATTEMPTS must be at least 1, got " + maxAttempts);
        }
        if (initialBackoff.isNegative() || initialBackoff.isZero() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("LETHE_NOTIFY_BACKOFF_MS and LETHE_NOTIFY_TIMEOUT_MS must be positive");
        }
    }

    public static Optional<NotifierConfig> fromEnvironment(Map<String, String> env) {
        return read(Env.of(env));
    }

    /** The webhook's settings (every one checked, even while the webhook is off), or empty without a URL. */
    public static Optional<NotifierConfig> read(Env env) {
        final Optional<URI> url = env.url("LETHE_NOTIFY_URL");
        final int maxAttempts = env.integer("LETHE_NOTIFY_MAX_ATTEMPTS", 6, 1, 1_000);
        final Duration backoff = env.duration("LETHE_NOTIFY_BACKOFF_MS", ChronoUnit.MILLIS, 500, 1);
        final Duration timeout = env.duration("LETHE_NOTIFY_TIMEOUT_MS", ChronoUnit.MILLIS, 5_000, 1);
        return url.map(uri -> new NotifierConfig(uri, maxAttempts, backoff, timeout));
    }
}
