package dev.lethe.gateway.opendsr;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most one refused-callback audit per key ((request, system)) per {@link #WINDOW} in this
 * gateway, so that a forger cannot flood a request's trail: the rest are only logged. Keys older
 * than the window are forgotten once more than {@link #MAX_KEYS} are held; while that many are
 * still within their window (a flood of distinct keys), nothing more is audited, so the window
 * never holds more than {@link #MAX_KEYS} keys.
 */
final class RefusalWindow {

    static final Duration WINDOW = Duration.ofMinutes(1);
    static final int MAX_KEYS = 10_000;

    private final Map<String, Instant> last = new ConcurrentHashMap<>();

    /** Whether a refusal for {@code key} at {@code now} may be audited (and, if so, takes the window). */
    boolean take(String key, Instant now) {
        if (last.size() >= MAX_KEYS) {
            last.values().removeIf(at -> !now.isBefore(at.plus(WINDOW)));
            if (last.size() >= MAX_KEYS && !last.containsKey(key)) {
                return false;
            }
        }
        final Instant[] taken = new Instant[1];
        last.compute(key, (k, at) -> {
            if (at == null || !now.isBefore(at.plus(WINDOW))) {
                taken[0] = now;
                return now;
            }
            return at;
        });
        return taken[0] != null;
    }
}
