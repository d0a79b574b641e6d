package dev.lethe.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lethe.avro.ErasureRequested;
import dev.lethe.gateway.events.KafkaEventWriter;
import dev.lethe.schemas.LetheSerdes;
import dev.lethe.schemas.Topics;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Bulk intake: requests per second filed through {@code POST /v1/erasures/batch} (batches of
 * {@link #BATCH} new requests from {@link #CLIENTS} concurrent clients in a closed loop; every item
 * validated, looked up for an open duplicate, written with the gateway's idempotent acks=all
 * producer and answered on its own) against the producer baseline: a plain Kafka producer with the
 * gateway's settings writing the same records ({@link #BATCH} sends, then waiting for every
 * acknowledgement) from as many threads, in the same process, each round on both in alternating
 * order; with the p50 and p99 of one batch call.
 */
public final class BulkStage implements Stage {

    static final String NAME = "bulk";
    static final int BATCH = 1_000;
    static final int CLIENTS = 4;
    private static final Duration WARM_UP = Duration.ofSeconds(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return NAME;
    }

    /** One side's round: requests filed, failed items or calls, and each batch call's latency. */
    private record Side(long requests, long failed, double seconds, long[] latencies) {

        double perSecond() {
            return requests / seconds;
        }
    }

    /** One batch of {@link #BATCH} requests: how many were accepted (the rest failed). */
    @FunctionalInterface
    private interface Batch {
        long file(String prefix) throws Exception;
    }

    @Override
    public List<Figure> run(BenchContext context) throws Exception {
        final Duration time = Duration.ofSeconds(context.longRun() ? 20 : 8);
        final String run = UUID.randomUUID().toString();
        final List<Double> lethe = new ArrayList<>();
        final List<Double> producer = new ArrayList<>();
        final List<Double> ratios = new ArrayList<>();
        final List<Double> p50 = new ArrayList<>();
        final List<Double> p99 = new ArrayList<>();
        final List<Double> failed = new ArrayList<>();
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        try (LetheRig rig = LetheRig.start(context, NAME);
             KafkaProducer<byte[], byte[]> plain = new KafkaProducer<>(
                     KafkaEventWriter.producerConfig(rig.cluster().bootstrapServers()),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            final LetheSerdes serdes = rig.cluster().serdes();
            final Batch viaLethe = prefix -> {
                final List<String> users = new ArrayList<>(BATCH);
                for (int i = 0; i < BATCH; i++) {
                    users.add(prefix + i);
                }
                final HttpResponse<String> answer = http.send(rig.batch(users), HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() != 200) {
                    Console.progress("bulk: unexpected answer %d: %s", answer.statusCode(),
                            answer.body().substring(0, Math.min(300, answer.body().length())));
                    return 0;
                }
                final JsonNode body = JSON.readTree(answer.body());
                return body.path("accepted").asLong();
            };
            final Batch viaProducer = prefix -> {
                final List<Future<RecordMetadata>> sent = new ArrayList<>(BATCH);
                final Instant now = Instant.now();
                for (int i = 0; i < BATCH; i++) {
                    final String id = UUID.randomUUID().toString();
                    final ErasureRequested request = Load.request(id, now);
                    request.getSubject().setValue(prefix + i);
                    request.setFingerprint(FINGERPRINT);
                    sent.add(plain.send(new ProducerRecord<>(Topics.REQUESTS, serdes.key().serialize(Topics.REQUESTS, id),
                            serdes.request().serialize(Topics.REQUESTS, request))));
                }
                long acknowledged = 0;
                for (Future<RecordMetadata> future : sent) {
                    future.get(30, TimeUnit.SECONDS);
                    acknowledged++;
                }
                return acknowledged;
            };
            for (int round = 0; round <= context.rounds(); round++) {
                final Duration roundTime = round == 0 ? WARM_UP : time;
                final String prefix = "bulk-" + run + "-" + round + "-";
                final Side real;
                final Side base;
                if (round % 2 == 0) {
                    real = load(viaLethe, prefix + "l-", roundTime);
                    base = load(viaProducer, prefix + "p-", roundTime);
                } else {
                    base = load(viaProducer, prefix + "p-", roundTime);
                    real = load(viaLethe, prefix + "l-", roundTime);
                }
                if (round == 0) {
                    continue;
                }
                Console.progress("bulk round %d: lethe %.0f requests/s (batch p99 %.0f ms), producer %.0f/s", round,
                        real.perSecond(), percentileMs(real, 99), base.perSecond());
                lethe.add(real.perSecond());
                producer.add(base.perSecond());
                ratios.add(real.perSecond() / base.perSecond());
                p50.add(percentileMs(real, 50));
                p99.add(percentileMs(real, 99));
                failed.add((double) real.failed());
            }
        }
        final String c = " (" + CLIENTS + " concurrent, " + BATCH + " a batch)";
        return List.of(
                Figure.of(NAME, "POST /v1/erasures/batch" + c, "req/s", Summary.of(lethe)),
                Figure.of(NAME, "plain producer, same records" + c, "req/s", Summary.of(producer)),
                Figure.of(NAME, "bulk / producer", "ratio", Summary.of(ratios)),
                Figure.of(NAME, "batch call latency p50", "ms", Summary.of(p50)),
                Figure.of(NAME, "batch call latency p99", "ms", Summary.of(p99)),
                Figure.of(NAME, "items not accepted (or failed calls x " + BATCH + ")", "per round", Summary.of(failed)));
    }

    private static final String FINGERPRINT = "0".repeat(64);

    /** {@link #CLIENTS} closed loops of {@code batch} for {@code time}. */
    private static Side load(Batch batch, String prefix, Duration time) throws Exception {
        final long deadline = System.nanoTime() + time.toNanos();
        final long start = System.nanoTime();
        final AtomicLong filed = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        final ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            final List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                final String clientPrefix = prefix + c + "-";
                clients.add(pool.submit(() -> {
                    for (int n = 0; System.nanoTime() < deadline; n++) {
                        final long t0 = System.nanoTime();
                        long accepted;
                        try {
                            accepted = batch.file(clientPrefix + n + "-");
                        } catch (Exception e) {
                            Console.progress("bulk: a batch failed: %s", e);
                            accepted = 0;
                        }
                        latencies.add(System.nanoTime() - t0);
                        filed.addAndGet(accepted);
                        failed.addAndGet(BATCH - accepted);
                    }
                    return null;
                }));
            }
            for (Future<?> client : clients) {
                client.get();
            }
        } finally {
            pool.shutdownNow();
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        return new Side(filed.get(), failed.get(), seconds, latencies.stream().mapToLong(Long::longValue).toArray());
    }

    private static double percentileMs(Side side, double p) {
        return Summary.percentile(side.latencies(), p) / 1e6;
    }
}
