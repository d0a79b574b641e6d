package dev.lethe.ledger.executor.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.avro.CallbackOutcome;
import dev.lethe.avro.SystemRegistration;
import dev.lethe.ledger.executor.Answer;
import dev.lethe.ledger.executor.Fixtures;
import dev.lethe.ledger.executor.Progress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Throttling (503 SlowDown, whole calls and per key) against a real S3-compatible server. */
class S3ThrottlingTest {

    private static S3Server server;

    @BeforeAll
    static void start() throws Exception {
        server = S3Server.start();
        server.createBucket("media");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static SystemRegistration media() {
        return Fixtures.s3System("media", List.of("media"), List.of("users/{user_id}/"), Map.of(), false, null);
    }

    private static void seed(String user, int count) throws Exception {
        final List<String> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add("users/" + user + "/" + i + ".jpg");
        }
        server.putAll("media", keys);
    }

    @Test
    void shouldBackOffAndRetryWhenThrottled() throws Exception {
        seed("1", 1_500);
        final ThrottlingS3Client throttled = new ThrottlingS3Client(server.client(), 2, 2);

        final Answer answer = new S3Eraser(throttled, 6, Duration.ofMillis(5), 10_000)
                .erase(Fixtures.event("r-1", "1", List.of()), media(), Progress.NONE);

        assertEquals(CallbackOutcome.DONE, answer.outcome(), answer.detail());
        assertEquals(1_500L, answer.itemsErased());
        assertEquals(0, server.count("media", "users/1/"));
        assertTrue(throttled.deleteCalls.get() >= 6, "two refused calls, two partial ones, then the rest");
    }

    @Test
    void shouldFailAfterItsRetriesWhenThrottlingDoesNotStop() throws Exception {
        seed("2", 10);
        final ThrottlingS3Client throttled = new ThrottlingS3Client(server.client(), Integer.MAX_VALUE, 0);

        final Answer answer = new S3Eraser(throttled, 3, Duration.ofMillis(5), 10_000)
                .erase(Fixtures.event("r-2", "2", List.of()), media(), Progress.NONE);

        assertEquals(CallbackOutcome.FAILED, answer.outcome());
        assertEquals("S3 answered 503 SlowDown after 3 attempts", answer.detail());
        assertEquals(3, throttled.deleteCalls.get());
        assertEquals(10, server.count("media", "users/2/"));
    }
}
