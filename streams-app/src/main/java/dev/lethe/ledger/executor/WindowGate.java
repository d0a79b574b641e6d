package dev.lethe.ledger.executor;

import dev.lethe.avro.ProcessingWindow;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * Decides whether a processing window (local {@code from}–{@code to} in a zone, e.g. 02:00–06:00
 * Asia/Seoul) is open at an instant, and when it next opens. A window whose {@code to} is before
 * its {@code from} spans midnight; equal ends mean always open.
 */
public final class WindowGate {

    private WindowGate() {
    }

    /** Empty when work may run at {@code now}; otherwise the instant the window next opens. */
    public static Optional<Instant> closedUntil(ProcessingWindow window, Instant now) {
        if (window == null) {
            return Optional.empty();
        }
        final ZoneId zone = ZoneId.of(window.getZone());
        final LocalTime from = LocalTime.parse(window.getFrom());
        final LocalTime to = LocalTime.parse(window.getTo());
        final ZonedDateTime local = now.atZone(zone);
        final LocalTime time = local.toLocalTime();
        final boolean open = from.equals(to)
                || (from.isBefore(to) ? !time.isBefore(from) && time.isBefore(to)
                                      : !time.isBefore(from) || time.isBefore(to));
        if (open) {
            return Optional.empty();
        }
        ZonedDateTime next = local.with(from);
        if (!next.isAfter(local)) {
            next = next.plusDays(1);
        }
        return Optional.of(next.toInstant());
    }

    /** Rejects a window that cannot be parsed, naming the bad part. */
    public static void validate(ProcessingWindow window) {
        if (window == null) {
            return;
        }
        try {
            ZoneId.of(window.getZone());
            LocalTime.parse(window.getFrom());
            LocalTime.parse(window.getTo());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("bad processing window (from/to as HH:mm, zone as e.g. Europe/Berlin): "
                    + e.getMessage(), e);
        }
    }
}
