package dev.lethe.ledger.notify;

import dev.lethe.schemas.config.Env;
import dev.lethe.schemas.opendsr.PortalHosts;
import dev.lethe.schemas.opendsr.SigningPair;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Settings of the OpenDSR status callbacks to portals ({@link PortalCallbacks}): the hosts a
 * callback URL may name ({@code LETHE_OPENDSR_PORTAL_HOSTS}; the sender is off while it is empty,
 * as the gateway then accepts no callback URL), Lethe's signing pair ({@code LETHE_OPENDSR_KEY_FILE}
 * and {@code LETHE_OPENDSR_CERT_FILE}, else the local pair under {@code LETHE_OPENDSR_LOCAL_DIR}:
 * the same the gateway signs with), {@code LETHE_OPENDSR_CALLBACK_MAX_ATTEMPTS} (per URL and
 * status, default 8), {@code LETHE_OPENDSR_CALLBACK_BACKOFF_MS} (the first retry's wait, doubled
 * each time with jitter, default 1000) and {@code LETHE_OPENDSR_CALLBACK_TIMEOUT_MS} (per call,
 * default 10000).
 */
public record PortalCallbackConfig(PortalHosts hosts, Supplier<SigningPair> signer, int maxAttempts,
                                   Duration initialBackoff, Duration timeout) {

    public static final String MAX_ATTEMPTS = "LETHE_OPENDSR_CALLBACK_MAX_ATTEMPTS";
    public static final String BACKOFF_MS = "LETHE_OPENDSR_CALLBACK_BACKOFF_MS";
    public static final String TIMEOUT_MS = "LETHE_OPENDSR_CALLBACK_TIMEOUT_MS";

    /** Every setting checked; empty while no portal host is allowed. */
    public static Optional<PortalCallbackConfig> read(Env env) {
        final PortalHosts hosts = PortalHosts.read(env);
        final Supplier<SigningPair> signer = SigningPair.read(env);
        final int maxAttempts = env.integer(MAX_ATTEMPTS, 8, 1, 100);
        final Duration backoff = env.duration(BACKOFF_MS, ChronoUnit.MILLIS, 1_000, 1);
        final Duration timeout = env.duration(TIMEOUT_MS, ChronoUnit.MILLIS, 10_000, 1);
        return hosts.hosts().isEmpty() ? Optional.empty()
                : Optional.of(new PortalCallbackConfig(hosts, memoize(signer), maxAttempts, backoff, timeout));
    }

    private static <T> Supplier<T> memoize(Supplier<T> supplier) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }

    /** Never shows a key. */
    @Override
    public String toString() {
        return "PortalCallbackConfig[hosts=" + hosts.hosts() + ", maxAttempts=" + maxAttempts + "]";
    }
}
