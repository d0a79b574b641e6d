package dev.lethe.ledger.notify;

import java.net.URI;
import java.time.Duration;
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
        final String url = env.get("LETHE_NOTIFY_URL");
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        final URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("LETHE_NOTIFY_URL is not a URL", e);
        }
        return Optional.of(new NotifierConfig(uri,
                number(env, "LETHE_NOTIFY_MAX_ATTEMPTS", 6),
                Duration.ofMillis(number(env, "LETHE_NOTIFY_BACKOFF_MS", 500)),
                Duration.ofMillis(number(env, "LETHE_NOTIFY_TIMEOUT_MS", 5_000))));
    }

    private static int number(Map<String, String> env, String name, int fallback) {
        final String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'", e);
        }
    }
}
