package dev.lethe.chaos;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The steady load of one scenario: {@code clients} threads filing erasure requests through the
 * gateway at about {@code rate} requests a second in all, each with its own subject and an
 * Idempotency-Key. A client that gets no answer, a 503 or any 5xx sends the same body with the
 * same key again until it gets its 202 (as the API asks clients to); one in ten asks again with
 * the same key after its 202, and must get the same id.
 */
public final class Load implements AutoCloseable {

    private static final Duration GIVE_UP = Duration.ofMinutes(4);
    private static final Duration STOP = Duration.ofSeconds(30);

    /** One acknowledged request: the client's key and subject, and the id of its 202. */
    public record Ack(String key, String subject, String id) {
    }

    private final Api api;
    private final String token;
    private final String tag;
    private final double rate;
    private final boolean scoped;
    private final Queue<Ack> acks = new ConcurrentLinkedQueue<>();
    private final AtomicLong idMismatches = new AtomicLong();
    private final AtomicLong gaveUp = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicInteger sequence = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads;

    /** {@code scoped}: each request names its systems (so that systems registered meanwhile do not join it). */
    public Load(Api api, String submitterToken, String tag, double rate, int clients, boolean scoped) {
        this.api = api;
        this.scoped = scoped;
        this.token = submitterToken;
        this.tag = tag;
        this.rate = rate;
        this.threads = java.util.stream.IntStream.range(0, clients).mapToObj(i -> {
            final Thread thread = new Thread(() -> client(clients, new Random(tag.hashCode() * 31L + i)),
                    "chaos-client-" + i);
            thread.setDaemon(true);
            return thread;
        }).toList();
    }

    public Load start() {
        threads.forEach(Thread::start);
        return this;
    }

    private void client(int clients, Random random) {
        final long periodNanos = (long) (clients * 1e9 / rate);
        long next = System.nanoTime();
        while (running.get()) {
            next += periodNanos;
            submit(random.nextInt(10) == 0);
            final long wait = next - System.nanoTime();
            if (wait > 0) {
                Pause.forMillis(wait / 1_000_000);
            } else {
                next = System.nanoTime();
            }
        }
    }

    /** Files one new request until acknowledged; returns its ack, or null when it gave up or was refused. */
    public Ack submit(boolean askAgain) {
        return submit("chaos-" + tag + "-" + sequence.incrementAndGet(), askAgain, GIVE_UP);
    }

    /** As {@link #submit(boolean)}, giving up after {@code limit} (a failover probe has its own deadline). */
    public Ack submitWithin(Duration limit) {
        return submit("chaos-" + tag + "-" + sequence.incrementAndGet(), false, limit);
    }

    /** Files a request for {@code subject} until acknowledged. */
    public Ack submitFor(String subject) {
        return submit(subject, false, GIVE_UP);
    }

    private Ack submit(String subject, boolean askAgain, Duration giveUp) {
        final String key = UUID.randomUUID().toString();
        final String scope = !scoped ? "" : ", \"scope\": {\"systems\": [\"" + String.join("\", \"",
                ChaosCluster.PARTNER_SYSTEMS) + "\", \"" + ChaosCluster.S3_SYSTEM + "\"]}";
        final String body = """
                {"subject": {"namespace": "user_id", "value": "%s"}, "jurisdiction": "GDPR",
                 "reason": "account_deleted", "source": "chaos-%s"%s}""".formatted(subject, tag, scope);
        final String id = untilAnswered(body, key, giveUp);
        if (id == null) {
            return null;
        }
        final Ack ack = new Ack(key, subject, id);
        acks.add(ack);
        if (askAgain) {
            final String again = untilAnswered(body, key, giveUp);
            if (again != null && !again.equals(id)) {
                idMismatches.incrementAndGet();
            }
        }
        return ack;
    }

    /** Tries once; the id of a 202 or 200, else null (for failover probes). */
    public String once(String body, String key) {
        final Api.Answer answer = api.post("/v1/erasures", token, body, key);
        return answer.ok() ? answer.json().path("id").asText(null) : null;
    }

    private String untilAnswered(String body, String key, Duration giveUp) {
        final long deadline = System.nanoTime() + giveUp.toNanos();
        while (System.nanoTime() < deadline) {
            if (!running.get()) {
                return null; // the scenario is over: a request never acknowledged is not counted
            }
            final Api.Answer answer = api.post("/v1/erasures", token, body, key);
            if (answer.ok()) {
                return answer.json().path("id").asText();
            }
            if (answer.status() >= 400 && answer.status() < 500) {
                refused.incrementAndGet();
                return null;
            }
            Pause.forMillis(300);
        }
        gaveUp.incrementAndGet();
        return null;
    }

    public List<Ack> acks() {
        return List.copyOf(acks);
    }

    /** Clients that asked again with the same key and got another id. */
    public long idMismatches() {
        return idMismatches.get();
    }

    /** Requests that got no 202 within the give-up time (while the cluster was down), or a 4xx. */
    public long unanswered() {
        return gaveUp.get() + refused.get();
    }

    /** Any acknowledged id, to probe reads with. */
    public String anyId() {
        final Ack ack = acks.peek();
        return ack == null ? null : ack.id();
    }

    /**
     * Stops the clients: each finishes the call it is in (bounded by the API's timeout) and files
     * nothing more; waits at most {@link #STOP} in all, then leaves them (daemon threads).
     */
    @Override
    public void close() {
        running.set(false);
        final long deadline = System.nanoTime() + STOP.toNanos();
        for (Thread thread : threads) {
            try {
                thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
