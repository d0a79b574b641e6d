package dev.lethe.bench.s3;

import dev.lethe.avro.ErasureEvent;
import dev.lethe.avro.Identifier;
import dev.lethe.avro.S3Settings;
import dev.lethe.avro.SystemMode;
import dev.lethe.avro.SystemRegistration;
import dev.lethe.ledger.executor.Answer;
import dev.lethe.ledger.executor.ExecutorSettings;
import dev.lethe.ledger.executor.Progress;
import dev.lethe.ledger.executor.s3.S3Clients;
import dev.lethe.ledger.executor.s3.S3Eraser;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Objects erased per second for the worst user of an image service (50,000 objects: 20,000 under
 * the per-user prefix, 28,000 from 28,000 past requests reachable through 28 manifests, 2,000
 * named directly; every legacy reference shape), against an in-process S3Proxy, in three variants
 * with the same SDK client and server in the same run:
 * <ol>
 *   <li>{@code lethe}: Lethe's S3 eraser (resolve references and manifests, list, DeleteObjects in
 *       batches of 1,000, verify by listing and HEAD afterwards);</li>
 *   <li>{@code bare}: a bare DeleteObjects loop over the already known keys, 1,000 per call;</li>
 *   <li>{@code single}: one DeleteObject call per object (on the first {@code singleSample} objects,
 *       because a full round takes minutes).</li>
 * </ol>
 * The subject's objects are seeded straight into the blob store before each round. Not a test:
 * run {@code main} (see docs/executors.md).
 */
public final class S3EraseBench {

    private static final String MODERN = "images";
    private static final String LEGACY = "images-legacy";
    private static final String CDN = "cdn.pics.example";
    private static final String ACCESS = "bench-access";
    private static final String SECRET = "bench-secret-key";

    /** Median, min and max objects per second of one variant. */
    public record Rate(String variant, double median, double min, double max) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-7s median %,10.0f obj/s   min %,10.0f   max %,10.0f",
                    variant, median, min, max);
        }
    }

    /**
     * The three rates, each round's rates (for per-round ratios), and Lethe's ratios against the
     * two baselines (median over median).
     */
    public record Result(int objects, int rounds, Rate lethe, Rate bare, Rate single,
                         List<Double> letheRounds, List<Double> bareRounds, List<Double> singleRounds) {
        public double ratioToBare() {
            return lethe.median() / bare.median();
        }

        public double ratioToSingle() {
            return lethe.median() / single.median();
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "S3 erase, worst user (%,d objects), %d rounds%n  %s%n  %s%n  %s%n"
                            + "  lethe / bare DeleteObjects loop = %.2f%n  lethe / one DeleteObject per object = %.2f",
                    objects, rounds, lethe, bare, single, ratioToBare(), ratioToSingle());
        }
    }

    private S3EraseBench() {
    }

    public static void main(String[] args) throws Exception {
        final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        final int singleSample = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        System.out.println(run(rounds, singleSample));
    }

    /** Runs every variant {@code rounds} times (after one warm-up round of each) and returns the rates. */
    public static Result run(int rounds, int singleSample) throws Exception {
        final TransientNio2BlobStore store = new TransientNio2BlobStore();
        final S3Proxy proxy = S3Proxy.builder().blobStore(store).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET).build();
        proxy.start();
        final Path keys = Files.createTempDirectory("lethe-bench-keys");
        try (S3Client s3 = S3Clients.create(ExecutorSettings.fromEnvironment(Map.of(
                "LETHE_S3_ENDPOINT", "http://127.0.0.1:" + proxy.getPort(),
                "LETHE_S3_PATH_STYLE", "true",
                "LETHE_S3_ACCESS_KEY_FILE", Files.writeString(keys.resolve("access"), ACCESS).toString(),
                "LETHE_S3_SECRET_KEY_FILE", Files.writeString(keys.resolve("secret"), SECRET).toString())))) {
            store.createContainer(MODERN);
            store.createContainer(LEGACY);
            final WorstUser user = new WorstUser();
            final List<Double> lethe = new ArrayList<>();
            final List<Double> bare = new ArrayList<>();
            final List<Double> single = new ArrayList<>();
            for (int round = 0; round <= rounds; round++) {
                final boolean warmUp = round == 0;
                record(warmUp, lethe, timeLethe(store, s3, user));
                record(warmUp, bare, timeBare(store, s3, user));
                record(warmUp, single, timeSingle(store, s3, user, singleSample));
            }
            return new Result(user.objects.size(), rounds, rate("lethe", lethe), rate("bare", bare),
                    rate("single", single), List.copyOf(lethe), List.copyOf(bare), List.copyOf(single));
        } finally {
            proxy.stop();
        }
    }

    private static void record(boolean warmUp, List<Double> rates, double rate) {
        if (!warmUp) {
            rates.add(rate);
        }
    }

    private static double timeLethe(TransientNio2BlobStore store, S3Client s3, WorstUser user) throws Exception {
        user.seed(store);
        final SystemRegistration system = SystemRegistration.newBuilder()
                .setName("images").setOwner("media").setContact("media@example.com").setMode(SystemMode.S3)
                .setNamespaces(List.of("user_id"))
                .setS3(new S3Settings(List.of(MODERN, LEGACY), List.of("users/{user_id}/"), Map.of(CDN, LEGACY),
                        Integer.MAX_VALUE, false, null))
                .build();
        final long start = System.nanoTime();
        final Answer answer = new S3Eraser(s3, 5, Duration.ofMillis(50), 10_000).erase(user.event, system, Progress.NONE);
        final double seconds = (System.nanoTime() - start) / 1e9;
        if (answer.itemsErased() == null || answer.itemsErased() != user.objects.size()) {
            throw new IllegalStateException("lethe erased " + answer + ", expected " + user.objects.size());
        }
        return user.objects.size() / seconds;
    }

    private static double timeBare(TransientNio2BlobStore store, S3Client s3, WorstUser user) throws Exception {
        user.seed(store);
        final long start = System.nanoTime();
        for (String bucket : List.of(MODERN, LEGACY)) {
            final List<ObjectIdentifier> batch = new ArrayList<>(1000);
            for (String[] object : user.objects) {
                if (object[0].equals(bucket)) {
                    batch.add(ObjectIdentifier.builder().key(object[1]).build());
                    if (batch.size() == 1000) {
                        final List<ObjectIdentifier> full = List.copyOf(batch);
                        s3.deleteObjects(r -> r.bucket(bucket).delete(d -> d.objects(full).quiet(true)));
                        batch.clear();
                    }
                }
            }
            if (!batch.isEmpty()) {
                s3.deleteObjects(r -> r.bucket(bucket).delete(d -> d.objects(batch).quiet(true)));
            }
        }
        return user.objects.size() / ((System.nanoTime() - start) / 1e9);
    }

    private static double timeSingle(TransientNio2BlobStore store, S3Client s3, WorstUser user, int sample)
            throws Exception {
        user.seed(store);
        final int count = Math.min(sample, user.objects.size());
        final long start = System.nanoTime();
        for (String[] object : user.objects.subList(0, count)) {
            s3.deleteObject(r -> r.bucket(object[0]).key(object[1]));
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    private static Rate rate(String variant, List<Double> rates) {
        final List<Double> sorted = new ArrayList<>(rates);
        Collections.sort(sorted);
        final int n = sorted.size();
        final double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Rate(variant, median, sorted.get(0), sorted.get(n - 1));
    }

    /** The worst user's objects (bucket, key), manifests included, and the request that names them. */
    private static final class WorstUser {
        final List<String[]> objects = new ArrayList<>();
        final List<String[]> manifests = new ArrayList<>();
        final ErasureEvent event;

        WorstUser() {
            for (int i = 0; i < 20_000; i++) {
                objects.add(new String[] {MODERN, "users/7/req-" + (i / 10) + "/img-" + i + ".jpg"});
            }
            final List<String> references = new ArrayList<>();
            for (int m = 0; m < 28; m++) {
                final StringBuilder manifest = new StringBuilder("{\"keys\":[");
                for (int r = m * 1000; r < (m + 1) * 1000; r++) {
                    final String key = "legacy/" + (2015 + r % 8) + "/" + r + "/photo " + r + ".jpg";
                    objects.add(new String[] {LEGACY, key});
                    manifest.append(r == m * 1000 ? "" : ",").append('"')
                            .append(shape(r, key).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
                }
                final String manifestKey = "manifests/user-7/job-" + m + ".json";
                manifests.add(new String[] {LEGACY, manifestKey, manifest.append("]}").toString()});
                objects.add(new String[] {LEGACY, manifestKey});
                references.add("manifest:s3://" + LEGACY + "/" + manifestKey);
            }
            for (int n = 0; n < 2_000; n++) {
                final String key = "old/" + n + "/사진 é+" + n + ".png";
                objects.add(new String[] {LEGACY, key});
                references.add(shape(n, key));
            }
            event = ErasureEvent.newBuilder().setEventId("bench").setRequestId("bench").setSubjectKey("bench")
                    .setSystems(List.of("images")).setSubject(new Identifier("user_id", "7"))
                    .setIdentifiers(List.of()).setObjects(references).setJurisdiction("GDPR")
                    .setDeadline(Instant.now()).setIssuedAt(Instant.now()).build();
        }

        private static String shape(int n, String key) {
            final String encoded = URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/");
            switch (n % 6) {
                case 0: return "s3://" + LEGACY + "/" + key;
                case 1: return "https://" + LEGACY + ".s3.ap-northeast-2.amazonaws.com/" + encoded;
                case 2: return "https://" + LEGACY + ".s3.amazonaws.com/" + encoded;
                case 3: return "https://s3.ap-northeast-2.amazonaws.com/" + LEGACY + "/" + encoded;
                case 4: return "https://" + CDN + "/" + encoded + "?w=640";
                default: return "{\"bucket\":\"" + LEGACY + "\",\"key\":\"" + key + "\"}";
            }
        }

        void seed(TransientNio2BlobStore store) {
            for (String[] object : objects) {
                put(store, object[0], object[1], "x");
            }
            for (String[] manifest : manifests) {
                put(store, manifest[0], manifest[1], manifest[2]);
            }
        }

        private static void put(TransientNio2BlobStore store, String bucket, String key, String body) {
            final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            store.putBlob(PutObjectRequest.builder().bucket(bucket).key(key).contentLength((long) bytes.length).build(),
                    new ByteArrayInputStream(bytes));
        }
    }
}
