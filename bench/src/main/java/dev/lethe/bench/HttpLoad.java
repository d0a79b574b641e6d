package dev.lethe.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A closed-loop HTTP load at a fixed concurrency: {@code concurrency} threads each send one
 * request, wait for its answer, send the next, until {@code maxRequests} were sent or
 * {@code maxTime} has passed (whichever first). Every answer's latency is kept; an answer with
 * another status than expected counts as an error.
 */
public final class HttpLoad {

    /** What one load run saw; {@code errors} counts answers with another status and failed exchanges. */
    public record Result(int requests, int errors, double seconds, long[] latenciesNanos) {

        public double perSecond() {
            return requests / seconds;
        }

        public double percentileMs(double p) {
            return Summary.percentile(latenciesNanos, p) / 1e6;
        }
    }

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * Runs the load; {@code request} builds the i-th request, {@code expected} is the status
     * every answer should have.
     */
    public Result run(int concurrency, int maxRequests, Duration maxTime, IntFunction<HttpRequest> request,
                      int expected) throws Exception {
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger errors = new AtomicInteger();
        final long[] latencies = new long[maxRequests];
        final long deadline = System.nanoTime() + maxTime.toNanos();
        final long start = System.nanoTime();
        final ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            final List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                workers.add(pool.submit(() -> {
                    int i;
                    while (System.nanoTime() < deadline && (i = next.getAndIncrement()) < maxRequests) {
                        latencies[i] = send(request.apply(i), expected, errors);
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        final int done = Math.min(next.get(), maxRequests);
        final long[] seen = new long[done];
        System.arraycopy(latencies, 0, seen, 0, done);
        return new Result(done, errors.get(), seconds, seen);
    }

    private long send(HttpRequest request, int expected, AtomicInteger errors) throws InterruptedException {
        final long t0 = System.nanoTime();
        try {
            final HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected && errors.getAndIncrement() == 0) {
                Console.progress("unexpected answer %d: %s", response.statusCode(), response.body());
            }
        } catch (IOException e) {
            if (errors.getAndIncrement() == 0) {
                Console.progress("a request failed: %s", e.getMessage());
            }
        }
        return System.nanoTime() - t0;
    }

    /** Sends one request and returns its body (for set-up calls). */
    public String call(HttpRequest request, int expected) throws IOException, InterruptedException {
        final HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException("expected " + expected + " but got " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body();
    }
}
