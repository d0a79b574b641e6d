package dev.lethe.ledger.executor.sql;

import static dev.lethe.ledger.executor.sql.IsmsDatabase.BUCKET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.avro.CallbackOutcome;
import dev.lethe.avro.ErasureEvent;
import dev.lethe.avro.Identifier;
import dev.lethe.avro.ProcessingWindow;
import dev.lethe.avro.SystemRegistration;
import dev.lethe.ledger.executor.Answer;
import dev.lethe.ledger.executor.Fixtures;
import dev.lethe.ledger.executor.SystemEraser;
import dev.lethe.ledger.executor.WindowClosedException;
import dev.lethe.ledger.executor.s3.S3Eraser;
import dev.lethe.ledger.executor.s3.S3Server;
import dev.lethe.schemas.systems.SystemsJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQL eraser against a real PostgreSQL and the in-process S3 server, on the ISMS-P shaped
 * schema at a small size: what is erased and masked, what is kept, the order, batches, the
 * window, failures and the preview.
 */
class SqlEraserTest {

    static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final IsmsDatabase.Sizes SMALL = new IsmsDatabase.Sizes(30, 20, 5, 1, 10);
    private static final int BATCH = 7;
    private static final Clock NIGHT = Clock.fixed(Instant.parse("2026-11-30T03:00:00Z"), ZoneOffset.UTC);

    private static TestPostgres pg;
    private static S3Server s3;
    @TempDir
    static Path secretsDir;
    private static SqlCredentials credentials;
    private Connection db;
    private List<String> neighbourKeys;

    @BeforeAll
    static void start() throws Exception {
        pg = TestPostgres.start();
        s3 = S3Server.start();
        s3.createBucket(BUCKET);
        credentials = new SqlCredentials(IsmsDatabase.secrets(secretsDir, pg));
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
        pg.close();
    }

    @BeforeEach
    void seed() throws Exception {
        db = pg.connect();
        try (Statement s = db.createStatement()) {
            s.execute("drop schema public cascade; create schema public");
        }
        s3.client().listObjectsV2Paginator(r -> r.bucket(BUCKET)).contents()
                .forEach(o -> s3.client().deleteObject(r -> r.bucket(BUCKET).key(o.key())));
        IsmsDatabase.create(db);
        IsmsDatabase.seed(db, s3, 7, SMALL);
        neighbourKeys = IsmsDatabase.seed(db, s3, 8, SMALL);
    }

    private static ErasureEvent event(int user) {
        return ErasureEvent.newBuilder(Fixtures.event("r-" + user, Integer.toString(user), List.of(),
                IsmsDatabase.SYSTEM)).setIdentifiers(List.of(new Identifier("email", IsmsDatabase.email(user))))
                .build();
    }

    private SqlEraser eraser(SystemEraser files, int attempts, Clock clock, long progressEvery) {
        return new SqlEraser(credentials, files, SECRET, attempts, Duration.ofMillis(10), progressEvery, clock);
    }

    private SystemEraser s3Eraser() {
        return new S3Eraser(s3.client(), 3, Duration.ofMillis(10), 10_000);
    }

    @Test
    void shouldEraseTheSubjectsRowsAndFilesMaskTheClientAndKeepTheNeighbour() throws Exception {
        final SystemRegistration system = IsmsDatabase.registration(pg, BATCH);
        final List<String> progress = new ArrayList<>();

        final Answer answer = eraser(s3Eraser(), 3, NIGHT, 20).erase(event(7), system,
                (items, detail) -> progress.add(items + " " + detail));

        assertEquals(CallbackOutcome.DONE, answer.outcome(), answer.detail());
        assertEquals(SMALL.rows() + SMALL.objects() + SMALL.manifests(), answer.itemsErased(), answer.detail());
        assertTrue(answer.detail().contains("table feature_a_task: 30 rows deleted, 0 objects erased, "
                + "verification count 0 left"), answer.detail());
        assertTrue(answer.detail().contains("table feature_a_request: 30 rows deleted, 60 objects erased"),
                answer.detail());
        assertTrue(answer.detail().contains("table client: 1 rows masked"), answer.detail());
        assertEquals(0, IsmsDatabase.rowsOf(db, 7), "no row of user 7 is found any more");
        assertEquals(0, s3.count(BUCKET, "u7/") + s3.count(BUCKET, "manifests/u7/"), "every object of user 7 is gone");
        assertEquals(SMALL.rows(), IsmsDatabase.rowsOf(db, 8), "user 8's rows are intact");
        assertEquals(neighbourKeys.size(), s3.count(BUCKET, "u8/"), "user 8's objects are intact");
        assertEquals(1, s3.count(BUCKET, "manifests/u8/"));
        assertTrue(progress.size() >= 5, "PROGRESS reports while erasing: " + progress);
    }

    @Test
    void shouldMaskColumnsAndKeepTheRowsOtherColumns() throws Exception {
        final Answer answer = eraser(s3Eraser(), 3, NIGHT, 10_000).erase(event(7), IsmsDatabase.registration(pg, BATCH),
                (items, detail) -> { });

        assertEquals(CallbackOutcome.DONE, answer.outcome(), answer.detail());
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("select email, name, phone, token, plan from client order by id")) {
            rs.next();
            assertEquals(hmac(IsmsDatabase.email(7)), rs.getString("email"), "hmac with the pseudonym secret");
            assertEquals("(erased)", rs.getString("name"), "fixed value");
            assertNull(rs.getString("phone"), "null");
            assertEquals(32, rs.getString("token").length(), "random");
            assertFalse(rs.getString("token").startsWith("tok"), "random");
            assertEquals("gold", rs.getString("plan"), "an unmasked column is kept");
            rs.next();
            assertEquals(IsmsDatabase.email(8), rs.getString("email"), "the neighbour is not masked");
        }
    }

    @Test
    void shouldMaskOnlyTheSubjectsRowWhenTheKeyIsSharedWithAnotherSubject() throws Exception {
        try (Statement s = db.createStatement()) {
            s.execute("create table account_contact (account_id bigint not null, email varchar(200), name varchar(100));"
                    + "insert into account_contact values (1, '" + IsmsDatabase.email(7) + "', 'Kim'),"
                    + " (1, '" + IsmsDatabase.email(8) + "', 'Lee')");
        }
        final SystemRegistration shared = withTables("""
                [{"table": "account_contact", "key": "account_id", "match": {"column": "email", "namespace": "email"},
                  "action": "mask", "mask": [{"column": "email", "strategy": "hmac"},
                                             {"column": "name", "strategy": "fixed", "value": "(erased)"}]}]""");

        final Answer answer = eraser(s3Eraser(), 3, NIGHT, 10_000).erase(event(7), shared, (items, detail) -> { });

        assertEquals(CallbackOutcome.DONE, answer.outcome(), answer.detail());
        assertEquals(1, count("select count(*) from account_contact where name = '(erased)' and email = '"
                + hmac(IsmsDatabase.email(7)) + "'"), "the subject's row is masked");
        assertEquals(1, count("select count(*) from account_contact where name = 'Lee' and email = '"
                + IsmsDatabase.email(8) + "'"), "the other subject sharing the key is not masked");
    }

    @Test
    void shouldFindNoRowInAUuidColumnForAValueThatIsNotAUuid() throws Exception {
        final String device = "6f1c2a3e-9b4d-4c7a-8e2f-0a1b2c3d4e5f";
        try (Statement s = db.createStatement()) {
            s.execute("create table device (id bigserial primary key, owner uuid not null);"
                    + "insert into device (owner) values ('" + device + "')");
        }
        final SystemRegistration byUuid = withTables("""
                [{"table": "device", "key": "id", "match": {"column": "owner", "namespace": "email"},
                  "action": "delete"}]""");
        final ErasureEvent byDevice = ErasureEvent.newBuilder(event(7))
                .setIdentifiers(List.of(new Identifier("email", device))).build();

        final Answer notUuid = eraser(s3Eraser(), 3, NIGHT, 10_000).erase(event(7), byUuid, (items, detail) -> { });

        assertEquals(CallbackOutcome.NOT_FOUND, notUuid.outcome(), notUuid.detail());
        assertEquals(1, count("select count(*) from device"));

        final Answer uuid = eraser(s3Eraser(), 3, NIGHT, 10_000).erase(byDevice, byUuid, (items, detail) -> { });

        assertEquals(CallbackOutcome.DONE, uuid.outcome(), uuid.detail());
        assertEquals(0, count("select count(*) from device"), "a uuid value still finds its row");
    }

    @Test
    void shouldAnswerNotFoundForASubjectWithNoRows() throws Exception {
        final Answer answer = eraser(s3Eraser(), 3, NIGHT, 10_000).erase(event(99), IsmsDatabase.registration(pg, BATCH),
                (items, detail) -> { });

        assertEquals(CallbackOutcome.NOT_FOUND, answer.outcome(), answer.detail());
        assertEquals(SMALL.rows(), IsmsDatabase.rowsOf(db, 8));
    }

    @Test
    void shouldStopBetweenBatchesWhenTheWindowClosesAndFinishWhenItOpens() throws Exception {
        final SystemRegistration system = windowed(IsmsDatabase.registration(pg, BATCH));
        final AtomicInteger batches = new AtomicInteger();
        final Clock closesAfterThreeBatches = new Clock() {
            @Override
            public Instant instant() {
                return Instant.parse(batches.incrementAndGet() <= 3 ? "2026-11-30T05:59:00Z" : "2026-11-30T06:01:00Z");
            }

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
        final List<String> progress = new ArrayList<>();

        final WindowClosedException closed = assertThrows(WindowClosedException.class, () ->
                eraser(s3Eraser(), 3, closesAfterThreeBatches, 10_000).erase(event(7), system,
                        (items, detail) -> progress.add(detail)));

        assertEquals(Instant.parse("2026-12-01T02:00:00Z"), closed.opensAt());
        final long left = IsmsDatabase.rowsOf(db, 7);
        assertTrue(left < SMALL.rows() && left > 0, "three batches done, the rest waits: " + left);
        assertTrue(progress.get(progress.size() - 1).startsWith("paused: the processing window is closed"),
                progress.toString());

        final Answer resumed = eraser(s3Eraser(), 3, NIGHT, 10_000).erase(event(7), system, (items, detail) -> { });

        assertEquals(CallbackOutcome.DONE, resumed.outcome(), resumed.detail());
        assertEquals(0, IsmsDatabase.rowsOf(db, 7));
        assertEquals(SMALL.rows(), IsmsDatabase.rowsOf(db, 8));
    }

    @Test
    void shouldKeepTheRowsWhenTheirFilesCannotBeErased() throws Exception {
        final SystemEraser failing = (event, system, progress) -> Answer.failed("S3 answered 503 SlowDown after 8 attempts");

        final Answer answer = eraser(failing, 3, NIGHT, 10_000).erase(event(7), IsmsDatabase.registration(pg, BATCH),
                (items, detail) -> { });

        assertEquals(CallbackOutcome.FAILED, answer.outcome());
        assertTrue(answer.detail().startsWith("table client_old: the files could not be erased, so the rows were kept: "
                + "S3 answered 503"), answer.detail());
        assertEquals(SMALL.rows(), IsmsDatabase.rowsOf(db, 7), "no row goes before its files");
    }

    @Test
    void shouldRollBackAFailedBatchWholeAndFailWithTheTableAndReason() throws Exception {
        final ObjectNode body = (ObjectNode) SystemsJson.toJson(IsmsDatabase.registration(pg, BATCH));
        final ArrayNode tables = (ArrayNode) body.get("sql").get("tables");
        for (int i = 0; i < tables.size(); i++) {
            if (tables.get(i).get("table").asText().equals("feature_a_task")) {
                tables.remove(i);
                break;
            }
        }
        final SystemRegistration withoutTasks = SystemsJson.fromJson(IsmsDatabase.SYSTEM, body);

        final Answer answer = eraser(s3Eraser(), 2, NIGHT, 10_000).erase(event(7), withoutTasks, (items, detail) -> { });

        assertEquals(CallbackOutcome.FAILED, answer.outcome());
        assertTrue(answer.detail().startsWith("table feature_a_request: constraint violation (SQLState 23503) after 2 "
                + "attempts (the failed batch was rolled back)"), answer.detail());
        assertEquals(SMALL.featureA(), count("select count(*) from feature_a_request where user_id = 7"),
                "the batch was rolled back whole");
    }

    @Test
    void shouldRetryALockTimeoutThenFailNamingTheTable() throws Exception {
        final ObjectNode body = (ObjectNode) SystemsJson.toJson(IsmsDatabase.registration(pg, BATCH));
        ((ObjectNode) body.get("sql")).put("jdbcUrl", pg.jdbcUrl() + "?options=-c%20lock_timeout=200");
        final SystemRegistration impatient = SystemsJson.fromJson(IsmsDatabase.SYSTEM, body);
        try (Connection holder = pg.connect(); Statement s = holder.createStatement()) {
            holder.setAutoCommit(false);
            s.executeQuery("select * from client_temp where uid = '7' for update").close();

            final Answer answer = eraser(s3Eraser(), 3, NIGHT, 10_000).erase(event(7), impatient, (items, detail) -> { });

            assertEquals(CallbackOutcome.FAILED, answer.outcome());
            assertTrue(answer.detail().startsWith("table client_temp: lock timeout or cancelled statement (SQLState "
                    + "55P03) after 3 attempts"), answer.detail());
            holder.rollback();
        }
        assertEquals(IsmsDatabase.LEGACY_TEMP, count("select count(*) from client_temp where uid = '7'"));

        final Answer again = eraser(s3Eraser(), 3, NIGHT, 10_000).erase(event(7), impatient, (items, detail) -> { });

        assertEquals(CallbackOutcome.DONE, again.outcome(), again.detail());
        assertEquals(0, IsmsDatabase.rowsOf(db, 7));
    }

    @Test
    void shouldPreviewCountsPerTableWithoutChangingAnything() throws Exception {
        final SqlAdmin admin = new SqlAdmin(credentials);
        final SystemRegistration system = IsmsDatabase.registration(pg, BATCH);

        final Map<String, Long> byUser = admin.preview(system, "user_id", "7");
        final Map<String, Long> byEmail = admin.preview(system, "email", IsmsDatabase.email(7));

        assertEquals(30L, byUser.get("feature_a_task"));
        assertEquals(30L, byUser.get("feature_a_request"));
        assertEquals(20L, byUser.get("feature_b_task"));
        assertEquals(5L, byUser.get("feature_c_request"));
        assertEquals((long) IsmsDatabase.LEGACY_TEMP, byUser.get("client_temp"));
        assertEquals(0L, byUser.get("client"), "the client table is found by email");
        assertEquals(1L, byEmail.get("client"));
        assertEquals((long) IsmsDatabase.LEGACY_OLD, byEmail.get("client_old"));
        assertEquals(SMALL.rows(), IsmsDatabase.rowsOf(db, 7), "nothing changed");
    }

    @Test
    void shouldRefuseARegistrationNamingATableOrColumnTheDatabaseDoesNotHave() throws Exception {
        final SqlAdmin admin = new SqlAdmin(credentials);
        final ObjectNode body = (ObjectNode) SystemsJson.toJson(IsmsDatabase.registration(pg, BATCH));
        final ObjectNode rule = (ObjectNode) body.get("sql").get("tables").get(3);
        ((ObjectNode) rule.get("files").get(0)).put("column", "imageURI");
        final ObjectNode missingTable = body.deepCopy();
        ((ObjectNode) missingTable.get("sql").get("tables").get(2)).put("table", "client_tmp");

        admin.check(IsmsDatabase.registration(pg, BATCH));
        final SqlProblem column = assertThrows(SqlProblem.class,
                () -> admin.check(SystemsJson.fromJson(IsmsDatabase.SYSTEM, body)));
        final SqlProblem table = assertThrows(SqlProblem.class,
                () -> admin.check(SystemsJson.fromJson(IsmsDatabase.SYSTEM, missingTable)));

        assertEquals("sql.tables[3].files[0].column", column.field(), column.getMessage());
        assertEquals("sql.tables[2].table", table.field(), table.getMessage());
        assertTrue(table.getMessage().contains("no table client_tmp"), table.getMessage());
    }

    @Test
    void shouldRefuseAMaskTheColumnCannotHold() throws Exception {
        try (Statement s = db.createStatement()) {
            s.execute("alter table client alter column phone set not null");
        }

        final SqlProblem problem = assertThrows(SqlProblem.class,
                () -> new SqlAdmin(credentials).check(IsmsDatabase.registration(pg, BATCH)));

        assertEquals("sql.tables[0].mask[2].column", problem.field(), problem.getMessage());
    }

    private long count(String query) throws Exception {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The ISMS registration with its table rules replaced by {@code tables} (a JSON array). */
    private static SystemRegistration withTables(String tables) throws Exception {
        final ObjectNode body = (ObjectNode) SystemsJson.toJson(IsmsDatabase.registration(pg, BATCH));
        ((ObjectNode) body.get("sql")).set("tables", new ObjectMapper().readTree(tables));
        return SystemsJson.fromJson(IsmsDatabase.SYSTEM, body);
    }

    private static SystemRegistration windowed(SystemRegistration system) {
        system.getSql().setWindow(new ProcessingWindow("02:00", "06:00", "UTC"));
        return system;
    }

    private static String hmac(String value) throws Exception {
        final Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
    }
}
