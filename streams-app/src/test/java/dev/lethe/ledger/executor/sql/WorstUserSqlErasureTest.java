package dev.lethe.ledger.executor.sql;

import static dev.lethe.ledger.executor.sql.IsmsDatabase.BUCKET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.avro.CallbackOutcome;
import dev.lethe.avro.ErasureEvent;
import dev.lethe.avro.Identifier;
import dev.lethe.avro.SystemRegistration;
import dev.lethe.ledger.executor.Answer;
import dev.lethe.ledger.executor.Fixtures;
import dev.lethe.ledger.executor.s3.S3Eraser;
import dev.lethe.ledger.executor.s3.S3Server;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worst user of the ISMS-P case: 28,000 feature requests (14,000 + 10,000 + 4,000 over three
 * features, with their task rows) pointing to 50,000 objects in every legacy shape (2,000 of them
 * only through two manifests), erased in batches of 500 rows with PROGRESS reports, verified by
 * count queries, beside a neighbour whose rows and objects must all survive.
 *
 * <p>The full size takes minutes on a shared machine, so {@code mvn verify} runs it at a tenth
 * (2,800 requests, 5,005 objects); {@code -Dlethe.sql.worstUser=full} runs the full size, and the
 * harness stage {@code ./lethe-bench --only sql} measures it too.
 */
class WorstUserSqlErasureTest {

    private static final boolean FULL = "full".equals(System.getProperty("lethe.sql.worstUser"));
    private static final int SCALE = FULL ? 1 : 10;
    private static final IsmsDatabase.Sizes WORST = new IsmsDatabase.Sizes(14_000 / SCALE, 10_000 / SCALE,
            4_000 / SCALE, 2, 1_000 / SCALE);
    private static final long PROGRESS_EVERY = 10_000 / SCALE;
    private static final IsmsDatabase.Sizes NEIGHBOUR = new IsmsDatabase.Sizes(300, 200, 50, 1, 100);

    private static TestPostgres pg;
    private static S3Server s3;
    @TempDir
    static Path secrets;
    private static List<String> neighbourKeys;

    @BeforeAll
    static void seed() throws Exception {
        pg = TestPostgres.start();
        s3 = S3Server.start();
        s3.createBucket(BUCKET);
        try (Connection c = pg.connect()) {
            IsmsDatabase.create(c);
            IsmsDatabase.seed(c, s3, 7, WORST);
            neighbourKeys = IsmsDatabase.seed(c, s3, 8, NEIGHBOUR);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
        pg.close();
    }

    @Test
    void shouldEraseTheWorstUsersRowsAndObjectsInBatchesAndVerifyThem() throws Exception {
        assertEquals(28_000 / SCALE, WORST.requests());
        assertTrue(WORST.objects() >= 50_000 / SCALE, "at least 50,000 objects at full size: " + WORST.objects());
        final SystemRegistration system = IsmsDatabase.registration(pg, 500);
        final ErasureEvent event = ErasureEvent.newBuilder(Fixtures.event("r-worst", "7", List.of(),
                IsmsDatabase.SYSTEM)).setIdentifiers(List.of(new Identifier("email", IsmsDatabase.email(7)))).build();
        final Map<String, Long> preview = new SqlAdmin(new SqlCredentials(IsmsDatabase.secrets(secrets, pg)))
                .preview(system, "user_id", "7");
        final List<Long> progress = new ArrayList<>();

        final Answer answer = new SqlEraser(new SqlCredentials(secrets),
                new S3Eraser(s3.client(), 5, Duration.ofMillis(50), 10_000), SqlEraserTest.SECRET, 3,
                Duration.ofMillis(50), PROGRESS_EVERY, Clock.fixed(Instant.parse("2026-11-30T03:00:00Z"), ZoneOffset.UTC))
                .erase(event, system, (items, detail) -> progress.add(items));

        assertEquals(14_000L / SCALE, preview.get("feature_a_request"));
        assertEquals(10_000L / SCALE, preview.get("feature_b_task"));
        assertEquals(CallbackOutcome.DONE, answer.outcome(), answer.detail());
        assertEquals(WORST.rows() + WORST.objects() + WORST.manifests(), answer.itemsErased(), answer.detail());
        assertTrue(answer.detail().contains("table feature_b_task: " + 10_000 / SCALE + " rows deleted, "
                + 10_000 / SCALE + " objects erased, verification count 0 left"), answer.detail());
        assertTrue(progress.size() >= 5, "a PROGRESS report every " + PROGRESS_EVERY + " items: " + progress);
        try (Connection c = pg.connect()) {
            assertEquals(0, IsmsDatabase.rowsOf(c, 7));
            assertEquals(NEIGHBOUR.rows(), IsmsDatabase.rowsOf(c, 8), "the neighbour's rows are intact");
        }
        assertEquals(0, s3.count(BUCKET, "u7/") + s3.count(BUCKET, "manifests/u7/"));
        assertEquals(neighbourKeys.size(), s3.count(BUCKET, "u8/"), "the neighbour's objects are intact");
    }
}
