package dev.lethe.chaos;

import dev.lethe.schemas.LetheSerdes;
import dev.lethe.schemas.Topics;
import dev.lethe.avro.ErasureEvent;
import dev.lethe.schemas.registry.RestSchemaRegistryClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The fleet of fake partner teams: one consumer of {@code erasure.events} (as a partner team's
 * service would run it) answering for {@link ChaosCluster#PARTNER_SYSTEMS} through the gateway with
 * each system's own partner token, the way real ones do: at least once (a callback is sent again
 * until the gateway takes it), sometimes twice, out of order (a PROGRESS that arrives after the
 * final answer, systems in any order), sometimes late (seconds), and sometimes FAILED first —
 * then an officer retries the system through the API ({@code POST .../systems/{system}/retry}) and
 * the partner answers DONE to the new erasure event (docs/lifecycle.md, "Retry").
 */
public final class Partners implements AutoCloseable {

    private static final Duration GIVE_UP = Duration.ofMinutes(5);

    private final Api api;
    private final Map<String, String> tokens;
    private final String approverToken;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final LetheSerdes serdes;
    /**
     * Each send blocks on HTTP (up to 15 s while the cluster recovers), so the pool is wide: with 4
     * threads, the retries of an outage queued up and the partners answered minutes late.
     */
    private final ScheduledExecutorService callbacks = Executors.newScheduledThreadPool(24);
    private final Set<String> failedSent = ConcurrentHashMap.newKeySet();
    private final Random random = new Random(19);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong retriesByOfficer = new AtomicLong();
    private final Thread thread;

    public Partners(ChaosCluster cluster, Api api) {
        this.api = api;
        this.tokens = Map.of("crm", cluster.token("partner:crm"), "billing", cluster.token("partner:billing"),
                "analytics", cluster.token("partner:analytics"));
        this.approverToken = cluster.token("approver");
        this.serdes = new LetheSerdes(new RestSchemaRegistryClient(cluster.registryUrl()));
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "chaos-partners",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        this.thread = new Thread(this::run, "chaos-partners");
        thread.setDaemon(true);
        thread.start();
    }

    public long callbacksSent() {
        return sent.get();
    }

    public long officerRetries() {
        return retriesByOfficer.get();
    }

    private void run() {
        consumer.subscribe(List.of(Topics.EVENTS));
        try {
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    onEvent(serdes.event().deserializer().deserialize(Topics.EVENTS, record.value()));
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void onEvent(ErasureEvent event) {
        for (String system : event.getSystems()) {
            if (tokens.containsKey(system)) {
                answer(event.getRequestId(), system);
            }
        }
    }

    private synchronized int delay() {
        final int draw = random.nextInt(100);
        return draw < 10 ? 3_000 + random.nextInt(5_000) : 50 + random.nextInt(1_500);
    }

    private synchronized boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    private void answer(String id, String system) {
        final Plan plan = Plan.of(id, system);
        if (chance(25)) {
            // a PROGRESS that may well arrive after the final answer (out of order)
            later(id, system, "{\"outcome\": \"PROGRESS\", \"itemsErased\": 1, \"detail\": \"chaos: working\"}", delay());
        }
        final String key = id + "/" + system;
        if (plan == Plan.FAILED_THEN_DONE && failedSent.add(key)) {
            final int delay = delay();
            later(id, system, "{\"outcome\": \"FAILED\", \"detail\": \"chaos: disk full\"}", delay);
            callbacks.schedule(() -> officerRetry(id, system, System.nanoTime() + GIVE_UP.toNanos()),
                    delay + 500L, TimeUnit.MILLISECONDS);
            return;
        }
        final String body = switch (plan) {
            case NOT_FOUND -> "{\"outcome\": \"NOT_FOUND\", \"detail\": \"chaos: no rows\"}";
            case RETAINED -> "{\"outcome\": \"RETAINED\", \"detail\": \"chaos: invoices\", \"legalBasis\": \"tax law\"}";
            default -> "{\"outcome\": \"DONE\", \"itemsErased\": 3, \"detail\": \"chaos: rows deleted\"}";
        };
        later(id, system, body, delay());
        if (chance(20)) {
            later(id, system, body, delay());
        }
    }

    private void later(String id, String system, String body, int delayMs) {
        callbacks.schedule(() -> send(id, system, body, System.nanoTime() + GIVE_UP.toNanos()), delayMs,
                TimeUnit.MILLISECONDS);
    }

    /** At least once: again (after a pause) until the gateway takes it or refuses it for good. */
    private void send(String id, String system, String body, long deadline) {
        if (!running.get()) {
            return;
        }
        final Api.Answer answer = api.post("/v1/erasures/" + id + "/systems/" + system + "/callback",
                tokens.get(system), body, null);
        if (answer.ok()) {
            sent.incrementAndGet();
            return;
        }
        final boolean retryable = answer.status() == 0 || answer.status() >= 500 || answer.status() == 404;
        if (retryable && System.nanoTime() < deadline) {
            callbacks.schedule(() -> send(id, system, body, deadline), 1, TimeUnit.SECONDS);
        }
    }

    /** The officer retries a FAILED system; 409 means the FAILED is not applied yet: look again. */
    private void officerRetry(String id, String system, long deadline) {
        if (!running.get()) {
            return;
        }
        final Api.Answer answer = api.post("/v1/erasures/" + id + "/systems/" + system + "/retry", approverToken,
                null, null);
        if (answer.ok()) {
            retriesByOfficer.incrementAndGet();
            return;
        }
        if (answer.status() == 409 && "DONE".equals(systemStatus(id, system))) {
            return;
        }
        if (System.nanoTime() < deadline) {
            callbacks.schedule(() -> officerRetry(id, system, deadline), 1, TimeUnit.SECONDS);
        }
    }

    private String systemStatus(String id, String system) {
        final Api.Answer view = api.get("/v1/erasures/" + id, approverToken);
        for (var s : view.json().path("systems")) {
            if (system.equals(s.path("name").asText())) {
                return s.path("status").asText();
            }
        }
        return "";
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        callbacks.shutdownNow();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
