package dev.lethe.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lethe.avro.ErasureEvent;
import dev.lethe.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;

/**
 * Figure 4: the time from sending {@code POST /v1/erasures} to the request's erasure event being
 * readable (read_committed, as a partner reads it) on {@code erasure.events}, p50 and p99, with
 * a few concurrent submitters.
 */
public final class EndToEndStage implements Stage {

    static final String NAME = "e2e";
    private static final int SUBMITTERS = 4;
    private static final Duration ARRIVAL_TIMEOUT = Duration.ofSeconds(45);
    private static final Duration SUBMIT_TIME = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Figure> run(BenchContext context) throws Exception {
        final int perRound = context.longRun() ? 3_000 : 400;
        final List<Double> p50 = new ArrayList<>();
        final List<Double> p99 = new ArrayList<>();
        try (LetheRig rig = LetheRig.start(context, NAME);
             EventWatcher watcher = new EventWatcher(rig.cluster())) {
            for (int round = 0; round <= context.rounds(); round++) {
                final Map<String, Long> sent = submit(rig, round == 0 ? perRound / 4 : perRound);
                Awaitility.await("every erasure event").atMost(ARRIVAL_TIMEOUT).pollInterval(Duration.ofMillis(50))
                        .until(() -> watcher.seen.keySet().containsAll(sent.keySet()));
                if (round == 0) {
                    continue;
                }
                final long[] latencies = sent.entrySet().stream()
                        .mapToLong(e -> watcher.seen.get(e.getKey()) - e.getValue()).toArray();
                final double median = Summary.percentile(latencies, 50) / 1e6;
                final double tail = Summary.percentile(latencies, 99) / 1e6;
                Console.progress("e2e round %d: p50 %.1f ms, p99 %.1f ms over %d requests", round, median, tail,
                        latencies.length);
                p50.add(median);
                p99.add(tail);
            }
        }
        return List.of(
                Figure.of(NAME, "POST to erasure event, p50 (" + SUBMITTERS + " submitters)", "ms", Summary.of(p50)),
                Figure.below(NAME, "POST to erasure event, p99 (" + SUBMITTERS + " submitters)", "ms",
                        Summary.of(p99), 500));
    }

    /**
     * POSTs {@code count} requests (or as many as fit in {@link #SUBMIT_TIME}) from
     * {@link #SUBMITTERS} threads; returns id to send time (nanoTime).
     */
    private static Map<String, Long> submit(LetheRig rig, int count) throws Exception {
        final Map<String, Long> sent = new ConcurrentHashMap<>();
        final AtomicInteger next = new AtomicInteger();
        final HttpLoad http = new HttpLoad();
        final long deadline = System.nanoTime() + SUBMIT_TIME.toNanos();
        final ExecutorService pool = Executors.newFixedThreadPool(SUBMITTERS);
        try {
            final List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < SUBMITTERS; w++) {
                workers.add(pool.submit(() -> {
                    while (System.nanoTime() < deadline && next.getAndIncrement() < count) {
                        final long t0 = System.nanoTime();
                        final String body = http.call(rig.intake(true, UUID.randomUUID().toString()), 202);
                        sent.put(JSON.readTree(body).get("id").asText(), t0);
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
        return sent;
    }

    /** Reads erasure.events from its end on a thread of its own, noting when each request's first event arrived. */
    private static final class EventWatcher implements AutoCloseable {

        final Map<String, Long> seen = new ConcurrentHashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        EventWatcher(BenchCluster cluster) {
            final KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            final List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < BenchCluster.PARTITIONS; p++) {
                partitions.add(new TopicPartition(Topics.EVENTS, p));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            this.thread = new Thread(() -> watch(consumer, cluster), "bench-event-watcher");
            thread.start();
        }

        private void watch(KafkaConsumer<byte[], byte[]> consumer, BenchCluster cluster) {
            try (consumer) {
                while (running.get()) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                        final long now = System.nanoTime();
                        final ErasureEvent event = cluster.serdes().event().deserialize(Topics.EVENTS, record.value());
                        seen.putIfAbsent(event.getRequestId(), now);
                    }
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(Duration.ofSeconds(10).toMillis());
        }
    }
}
