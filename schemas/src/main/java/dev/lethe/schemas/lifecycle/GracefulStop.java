package dev.lethe.schemas.lifecycle;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * How a Lethe service stops when its orchestrator asks (SIGTERM, as Kubernetes and
 * {@code docker stop} send; SIGINT too): it closes what it runs, in its own order, and exits with
 * status 0 — not the JVM's default 143, which an orchestrator or a shell reads as a failure. The
 * close is bounded: past {@code bound} the process halts with status {@value #OVERRAN_STATUS}
 * rather than hang until the orchestrator's SIGKILL.
 *
 * <p>{@link #install} takes the signals first, before anything starts, so that a stop that comes
 * while the service is starting also exits 0; {@link #onStop} then names what to close.
 */
public final class GracefulStop {

    /** The exit status when the close did not finish within its bound. */
    public static final int OVERRAN_STATUS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(GracefulStop.class);

    private final String name;
    private final Duration bound;

    private GracefulStop(String name, Duration bound) {
        this.name = name;
        this.bound = bound;
    }

    /** Makes SIGTERM and SIGINT exit this JVM with status 0, after the {@link #onStop} actions. */
    public static GracefulStop install(String name, Duration bound) {
        final GracefulStop stop = new GracefulStop(name, bound);
        for (String signal : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(signal), received -> {
                LOG.info("{} received SIG{}: stopping (at most {} s)", name, received.getName(), bound.toSeconds());
                System.exit(0);
            });
        }
        return stop;
    }

    /** Closes {@code close} when the JVM stops (after a signal or {@link System#exit}), within the bound. */
    public void onStop(Runnable close) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeWithin(close), name + "-shutdown"));
    }

    private void closeWithin(Runnable close) {
        final Thread watchdog = new Thread(() -> {
            try {
                TimeUnit.MILLISECONDS.sleep(bound.toMillis());
                LOG.error("{} did not stop within {} s: halting", name, bound.toSeconds());
                Runtime.getRuntime().halt(OVERRAN_STATUS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name + "-stop-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        final long started = System.nanoTime();
        try {
            close.run();
            LOG.info("{} stopped cleanly in {} ms", name, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } catch (RuntimeException e) {
            LOG.error("{} failed while stopping", name, e);
        } finally {
            watchdog.interrupt();
        }
    }
}
