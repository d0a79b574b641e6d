package dev.lethe.standalone.cli;

import java.io.PrintWriter;

/**
 * A progress line on standard error, rewritten in place ({@code \r}) at most every half second:
 * how many of how many, the rate, and the time left. {@link #done} ends the line.
 */
final class Progress {

    private static final long EVERY_NANOS = 500_000_000L;

    private final PrintWriter err;
    private final String what;
    private final long total;
    private final long started = System.nanoTime();
    private long lastShown;
    private long count;
    private long shownCount = -1;

    Progress(PrintWriter err, String what, long total) {
        this.err = err;
        this.what = what;
        this.total = total;
    }

    void add(long n) {
        count += n;
        final long now = System.nanoTime();
        if (now - lastShown >= EVERY_NANOS) {
            lastShown = now;
            show(now);
        }
    }

    void done() {
        if (shownCount != count) {
            show(System.nanoTime());
        }
        err.println();
        err.flush();
    }

    double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    private void show(long now) {
        shownCount = count;
        final double seconds = Math.max(1e-3, (now - started) / 1e9);
        final double rate = count / seconds;
        final StringBuilder line = new StringBuilder("\r").append(what).append(' ').append(count);
        if (total > 0) {
            final int percent = (int) Math.min(100, count * 100 / total);
            line.append('/').append(total).append(' ').append(bar(percent)).append(' ').append(percent).append('%');
            if (rate > 0 && count < total) {
                line.append("  ").append(Math.round((total - count) / rate)).append(" s left");
            }
        }
        line.append("  ").append(Math.round(rate)).append("/s   ");
        err.print(line);
        err.flush();
    }

    private static String bar(int percent) {
        final int width = 20;
        final int filled = percent * width / 100;
        return "[" + "#".repeat(filled) + " ".repeat(width - filled) + "]";
    }
}
