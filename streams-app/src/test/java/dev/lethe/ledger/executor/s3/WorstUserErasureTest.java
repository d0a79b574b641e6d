package dev.lethe.ledger.executor.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.avro.CallbackOutcome;
import dev.lethe.avro.ErasureEvent;
import dev.lethe.avro.SystemRegistration;
import dev.lethe.ledger.executor.Answer;
import dev.lethe.ledger.executor.Fixtures;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The worst user of a real image service: one subject with 28,000 past requests and 50,000
 * objects spread over every legacy reference shape — 20,000 under the modern per-user prefix,
 * 28,000 from old extraction jobs reachable only through 28 manifests (1,000 entries each, every
 * shape), 2,000 named directly in the request — beside neighbours whose objects must survive.
 */
class WorstUserErasureTest {

    private static final String MODERN = "images";
    private static final String LEGACY = "images-legacy";
    private static final String CDN = "cdn.pics.example";
    private static final int MODERN_OBJECTS = 20_000;
    private static final int PAST_REQUESTS = 28_000;
    private static final int DIRECT = 2_000;
    private static final int PER_MANIFEST = 1_000;

    private static S3Server server;
    private static ErasureEvent event;
    private static int neighbours;

    @BeforeAll
    static void seed() throws Exception {
        server = S3Server.start();
        server.createBucket(MODERN);
        server.createBucket(LEGACY);
        server.createBucket("partner-bucket");
        final List<String> modern = new ArrayList<>();
        for (int i = 0; i < MODERN_OBJECTS; i++) {
            modern.add("users/7/req-" + (i / 10) + "/img-" + i + ".jpg");
        }
        final List<String> neighbourKeys = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            neighbourKeys.add("users/70/req-" + i + "/img.jpg");
            neighbourKeys.add("users/77/img-" + i + ".jpg");
            neighbourKeys.add("legacy/2019/other-" + i + "/photo " + i + ".jpg");
        }
        neighbours = neighbourKeys.size();
        server.putAll(MODERN, modern);
        server.putAll(MODERN, neighbourKeys.subList(0, 1000));
        server.putAll(LEGACY, neighbourKeys.subList(1000, neighbourKeys.size()));
        final List<String> legacy = new ArrayList<>();
        for (int r = 0; r < PAST_REQUESTS; r++) {
            legacy.add(legacyKey(r));
        }
        server.putAll(LEGACY, legacy);
        final List<String> objects = new ArrayList<>();
        for (int m = 0; m < PAST_REQUESTS / PER_MANIFEST; m++) {
            final StringBuilder manifest = new StringBuilder("{\"jobId\":\"job-" + m + "\",\"keys\":[");
            for (int r = m * PER_MANIFEST; r < (m + 1) * PER_MANIFEST; r++) {
                manifest.append(r == m * PER_MANIFEST ? "" : ",").append(json(shape(r, LEGACY, legacyKey(r))));
            }
            server.put(LEGACY, "manifests/user-7/job-" + m + ".json", manifest.append("]}").toString());
            objects.add("manifest:https://" + LEGACY + ".s3.ap-northeast-2.amazonaws.com/manifests/user-7/job-" + m + ".json");
        }
        final List<String> direct = new ArrayList<>();
        for (int n = 0; n < DIRECT; n++) {
            direct.add("old/" + n + "/사진 é+" + n + ".png");
            objects.add(shape(n, LEGACY, direct.get(n)));
        }
        server.putAll(LEGACY, direct);
        server.put("partner-bucket", "users/7/a.jpg", "x");
        objects.add("s3://partner-bucket/users/7/a.jpg");
        event = Fixtures.event("r-worst", "7", objects, "images");
    }

    private static String legacyKey(int r) {
        return "legacy/" + (2015 + r % 8) + "/" + r + "/photo " + r + ".jpg";
    }

    /** The reference shapes a service accumulated over the years, in rotation. */
    private static String shape(int n, String bucket, String key) {
        final String encoded = URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/");
        switch (n % 7) {
            case 0: return "s3://" + bucket + "/" + key;
            case 1: return "https://" + bucket + ".s3.ap-northeast-2.amazonaws.com/" + encoded;
            case 2: return "https://" + bucket + ".s3.amazonaws.com/" + encoded;
            case 3: return "https://s3.ap-northeast-2.amazonaws.com/" + bucket + "/" + encoded;
            case 4: return "https://" + CDN + "/" + encoded + "?w=640";
            case 5: return "{\"bucket\":\"" + bucket + "\",\"key\":\"" + key + "\"}";
            default: return bucket.equals(LEGACY) ? "http://s3-ap-northeast-2.amazonaws.com/" + bucket + "/" + encoded
                    : "s3://" + bucket + "/" + key;
        }
    }

    private static String json(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void shouldEraseEveryObjectOfTheWorstUserAndVerifyIt() {
        final SystemRegistration images = Fixtures.s3System("images", List.of(MODERN, LEGACY),
                List.of("users/{user_id}/"), Map.of(CDN, LEGACY), false, null);
        final List<Long> progress = new ArrayList<>();

        final Answer answer = new S3Eraser(server.client(), 5, Duration.ofMillis(50), 10_000)
                .erase(event, images, (items, detail) -> progress.add(items));

        final int manifests = PAST_REQUESTS / PER_MANIFEST;
        assertEquals(CallbackOutcome.DONE, answer.outcome(), answer.detail());
        assertEquals(MODERN_OBJECTS + PAST_REQUESTS + DIRECT + manifests, answer.itemsErased(), answer.detail());
        assertTrue(answer.detail().contains("verification listing found 0 left"), answer.detail());
        assertTrue(answer.detail().contains("refused 1 references"), answer.detail());
        assertEquals(5, progress.size(), "a PROGRESS report every 10,000 deletes");
        assertEquals(0, server.count(MODERN, "users/7/"));
        assertEquals(neighbours, server.count(MODERN, "") + server.count(LEGACY, ""),
                "only the neighbours' objects are left");
        assertEquals(1, server.count("partner-bucket", "users/7/"), "outside the system's buckets nothing is deleted");
    }
}
