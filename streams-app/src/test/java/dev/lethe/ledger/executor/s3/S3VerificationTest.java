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

/** The verification pass against a real S3-compatible server whose deletes may silently not happen. */
class S3VerificationTest {

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

    /** {@code count} references scattered one in 100 among other subjects' objects under {@code dir}. */
    private static List<String> scattered(String dir, int count) throws Exception {
        final List<String> others = new ArrayList<>();
        final List<String> mine = new ArrayList<>();
        for (int i = 0; i < count * 100; i++) {
            final String key = dir + String.format("%06d", i);
            if (i % 100 == 50) {
                mine.add(key);
            } else {
                others.add(key);
            }
        }
        server.putAll("media", others);
        server.putAll("media", mine);
        return mine;
    }

    @Test
    void shouldVerifyScatteredReferencesAndLeaveTheirNeighbours() throws Exception {
        final List<String> mine = scattered("scatter-a/", 120);
        final Answer answer = new S3Eraser(server.client(), 3, Duration.ofMillis(5), 10_000).erase(
                Fixtures.event("r-a", "a1", mine.stream().map(k -> "s3://media/" + k).toList()), media(), Progress.NONE);

        assertEquals(CallbackOutcome.DONE, answer.outcome(), answer.detail());
        assertEquals(120L, answer.itemsErased());
        assertEquals(120 * 99, server.count("media", "scatter-a/"));
    }

    @Test
    void shouldFailWhenTheVerificationFindsObjectsLeft() throws Exception {
        final List<String> mine = scattered("scatter-b/", 120);
        server.put("media", "users/b1/avatar.png", "x");
        final ThrottlingS3Client lying = new ThrottlingS3Client(server.client(), 0, 0);
        lying.leak.add(mine.get(77));
        lying.leak.add("users/b1/avatar.png");

        final Answer answer = new S3Eraser(lying, 3, Duration.ofMillis(5), 10_000).erase(
                Fixtures.event("r-b", "b1", mine.stream().map(k -> "s3://media/" + k).toList()), media(), Progress.NONE);

        assertEquals(CallbackOutcome.FAILED, answer.outcome(), answer.detail());
        assertTrue(answer.detail().contains("verification listing found 2 left"), answer.detail());
    }
}
