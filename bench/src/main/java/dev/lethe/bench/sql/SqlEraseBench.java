package dev.lethe.bench.sql;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lethe.avro.ErasureEvent;
import dev.lethe.avro.Identifier;
import dev.lethe.avro.SystemRegistration;
import dev.lethe.ledger.executor.Answer;
import dev.lethe.ledger.executor.ExecutorSettings;
import dev.lethe.ledger.executor.s3.S3Clients;
import dev.lethe.ledger.executor.s3.S3Eraser;
import dev.lethe.ledger.executor.sql.SqlCredentials;
import dev.lethe.ledger.executor.sql.SqlEraser;
import dev.lethe.schemas.systems.SystemsJson;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Rows erased per second for the worst user of the ISMS-P case (28,000 requests over three
 * features, each request with its task row: 56,000 rows, beside a neighbour's), on a real
 * PostgreSQL started by the harness, in two variants on the same database in the same run:
 * <ol>
 *   <li>{@code lethe}: Lethe's SQL eraser (rules with tasks found through their request's key,
 *       pages of 500 rows by key, one transaction per batch, count verification afterwards);</li>
 *   <li>{@code bare}: a bare batched {@code DELETE ... WHERE id IN (SELECT id ... LIMIT 500)} loop,
 *       children first, autocommit, no verification.</li>
 * </ol>
 * Then once, the worst user with the 50,000 objects its rows point to (in an in-process S3Proxy),
 * erased files first: the full-size case of the worst-user test. Not a test: see docs/executors.md.
 */
public final class SqlEraseBench {

    static final int[] FEATURES = {14_000, 10_000, 4_000};
    private static final int BATCH = 500;
    private static final String ACCESS = "bench-access";
    private static final String SECRET_KEY = "bench-secret-key";
    private static final byte[] PSEUDONYM = "bench-pseudonym-secret-0123456789".getBytes(StandardCharsets.UTF_8);

    /** Each round's rows per second of both variants, and the one full-size run with files. */
    public record Result(long rows, List<Double> letheRounds, List<Double> bareRounds, long fullItems,
                         double fullSeconds, String fullDetail) {
    }

    public static Result run(int rounds) throws Exception {
        final Path secrets = Files.createTempDirectory("lethe-bench-sql");
        try (BenchPostgres pg = BenchPostgres.start(); Connection db = pg.connect()) {
            Files.writeString(secrets.resolve("bench-db"), "user=" + pg.user() + "\npassword=\n");
            final SqlCredentials credentials = new SqlCredentials(secrets);
            createSchema(db);
            final List<Double> lethe = new ArrayList<>();
            final List<Double> bare = new ArrayList<>();
            long rows = 0;
            for (int round = 0; round <= rounds; round++) {
                rows = seed(db, 7, false);
                seed(db, 8, false);
                final double letheRate = rows / seconds(() -> {
                    final Answer answer = eraser(credentials, null).erase(event(), registration(pg, false),
                            (items, detail) -> { });
                    check(answer.itemsErased() != null && answer.itemsErased() == rowsOf(7), answer.detail());
                });
                rows = seed(db, 7, false);
                final double bareRate = rows / seconds(() -> bareDelete(db, 7));
                if (round > 0) {
                    lethe.add(letheRate);
                    bare.add(bareRate);
                }
                truncate(db);
            }
            return withFiles(pg, db, credentials, rows, lethe, bare);
        }
    }

    private static Result withFiles(BenchPostgres pg, Connection db, SqlCredentials credentials, long rows,
                                    List<Double> lethe, List<Double> bare) throws Exception {
        final TransientNio2BlobStore store = new TransientNio2BlobStore();
        final S3Proxy proxy = S3Proxy.builder().blobStore(store).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET_KEY).build();
        proxy.start();
        final Path keys = Files.createTempDirectory("lethe-bench-sql-keys");
        try (S3Client s3 = S3Clients.create(ExecutorSettings.fromEnvironment(Map.of(
                "LETHE_S3_ENDPOINT", "http://127.0.0.1:" + proxy.getPort(),
                "LETHE_S3_PATH_STYLE", "true",
                "LETHE_S3_ACCESS_KEY_FILE", Files.writeString(keys.resolve("access"), ACCESS).toString(),
                "LETHE_S3_SECRET_KEY_FILE", Files.writeString(keys.resolve("secret"), SECRET_KEY).toString())))) {
            store.createContainer("uploads");
            final long seeded = seed(db, 7, true);
            seed(db, 8, true);
            for (String key : objectKeys(db, 7)) {
                store.putBlob(PutObjectRequest.builder().bucket("uploads").key(key).contentLength(1L).build(),
                        new ByteArrayInputStream(new byte[] {'x'}));
            }
            final Answer[] answer = new Answer[1];
            final double seconds = seconds(() -> answer[0] = eraser(credentials,
                    new S3Eraser(s3, 5, Duration.ofMillis(100), 10_000)).erase(event(), registration(pg, true),
                    (items, detail) -> { }));
            check(answer[0].itemsErased() != null && answer[0].itemsErased() > seeded, answer[0].detail());
            return new Result(rows, List.copyOf(lethe), List.copyOf(bare), answer[0].itemsErased(), seconds,
                    answer[0].detail());
        } finally {
            proxy.stop();
        }
    }

    private static SqlEraser eraser(SqlCredentials credentials, S3Eraser files) {
        return new SqlEraser(credentials, files, PSEUDONYM, 3, Duration.ofMillis(100), 10_000, Clock.systemUTC());
    }

    private static ErasureEvent event() {
        return ErasureEvent.newBuilder().setEventId("bench").setRequestId("bench").setSubjectKey("bench")
                .setSystems(List.of("isms")).setSubject(new Identifier("user_id", "7")).setIdentifiers(List.of())
                .setObjects(List.of()).setJurisdiction("KR").setDeadline(Instant.now().plusSeconds(86_400))
                .setIssuedAt(Instant.now()).build();
    }

    private static SystemRegistration registration(BenchPostgres pg, boolean files) throws Exception {
        final StringBuilder tables = new StringBuilder();
        for (int f = 0; f < FEATURES.length; f++) {
            tables.append(f == 0 ? "" : ",").append("""
                    {"table": "feature_%1$d_request", "key": "id", "match": {"column": "user_id", "namespace": "user_id"},
                     "action": "delete", "files": %2$s},
                    {"table": "feature_%1$d_task", "key": "id", "via": {"column": "request_id", "parent": "feature_%1$d_request"},
                     "action": "delete", "files": %3$s}""".formatted(f, files ? "[{\"column\": \"image_url\"}]" : "[]",
                    files ? "[{\"column\": \"url\"}]" : "[]"));
        }
        return SystemsJson.fromJson("isms", new ObjectMapper().readTree("""
                {"owner": "app", "contact": "app@example.com", "mode": "sql", "namespaces": ["user_id"],
                 "sql": {"jdbcUrl": "%s", "credentials": "bench-db", "rowsPerBatch": %d, "rowsPerSecond": 1000000,
                         "files": {"buckets": ["uploads"], "deletesPerSecond": 3500},
                         "tables": [%s]}}""".formatted(pg.jdbcUrl(), BATCH, tables)));
    }

    private static void createSchema(Connection db) throws Exception {
        try (Statement s = db.createStatement()) {
            for (int f = 0; f < FEATURES.length; f++) {
                s.execute("create table feature_" + f + "_request (id bigserial primary key, user_id bigint not null, "
                        + "image_url text, created_at timestamp default now())");
                s.execute("create table feature_" + f + "_task (id bigserial primary key, request_id bigint not null "
                        + "references feature_" + f + "_request(id), url text)");
                s.execute("create index on feature_" + f + "_request(user_id)");
                s.execute("create index on feature_" + f + "_task(request_id)");
            }
        }
    }

    /** Seeds a user's requests and tasks (with file URLs when asked; 50,000 objects for 28,000 requests); returns rows. */
    private static long seed(Connection db, int user, boolean files) throws Exception {
        long rows = 0;
        try (Statement s = db.createStatement()) {
            for (int f = 0; f < FEATURES.length; f++) {
                final int requests = user == 7 ? FEATURES[f] : FEATURES[f] / 10;
                rows += s.executeUpdate("insert into feature_" + f + "_request (user_id, image_url) select " + user
                        + ", " + (files ? "'https://uploads.s3.amazonaws.com/u" + user + "/" + f + "/' || g || '.jpg'"
                        : "null") + " from generate_series(1, " + requests + ") g");
                rows += s.executeUpdate("insert into feature_" + f + "_task (request_id, url) select id, "
                        + (files && f < 2 ? "'s3://uploads/u" + user + "/" + f + "-out/' || id || '.jpg'" : "null")
                        + " from feature_" + f + "_request where user_id = " + user);
            }
        }
        return rows;
    }

    private static List<String> objectKeys(Connection db, int user) throws Exception {
        final List<String> keys = new ArrayList<>();
        try (Statement s = db.createStatement()) {
            for (int f = 0; f < FEATURES.length; f++) {
                try (var rs = s.executeQuery("select id, image_url from feature_" + f + "_request where user_id = "
                        + user)) {
                    while (rs.next()) {
                        final String url = rs.getString(2);
                        keys.add(url.substring(url.indexOf(".com/") + 5));
                    }
                }
                try (var rs = s.executeQuery("select t.url from feature_" + f + "_task t join feature_" + f
                        + "_request r on t.request_id = r.id where r.user_id = " + user + " and t.url is not null")) {
                    while (rs.next()) {
                        keys.add(rs.getString(1).substring("s3://uploads/".length()));
                    }
                }
            }
        }
        return keys;
    }

    private static void bareDelete(Connection db, int user) throws Exception {
        for (int f = 0; f < FEATURES.length; f++) {
            loop(db, "delete from feature_" + f + "_task where id in (select t.id from feature_" + f + "_task t join "
                    + "feature_" + f + "_request r on t.request_id = r.id where r.user_id = ? limit " + BATCH + ")", user);
            loop(db, "delete from feature_" + f + "_request where id in (select id from feature_" + f
                    + "_request where user_id = ? limit " + BATCH + ")", user);
        }
    }

    private static void loop(Connection db, String sql, int user) throws Exception {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setLong(1, user);
            while (statement.executeUpdate() > 0) {
                // one batch per statement, autocommit
            }
        }
    }

    private static void truncate(Connection db) throws Exception {
        try (Statement s = db.createStatement()) {
            for (int f = 0; f < FEATURES.length; f++) {
                s.execute("truncate feature_" + f + "_task, feature_" + f + "_request");
            }
        }
    }

    private static long rowsOf(int user) {
        long rows = 0;
        for (int requests : FEATURES) {
            rows += 2L * (user == 7 ? requests : requests / 10);
        }
        return rows;
    }

    @FunctionalInterface
    private interface Timed {
        void run() throws Exception;
    }

    private static double seconds(Timed work) throws Exception {
        final long start = System.nanoTime();
        work.run();
        return (System.nanoTime() - start) / 1e9;
    }

    private static void check(boolean condition, String detail) {
        if (!condition) {
            throw new IllegalStateException("the SQL erasure did not do what the bench expects: " + detail);
        }
    }

    public static void main(String[] args) throws Exception {
        final Result result = run(args.length > 0 ? Integer.parseInt(args[0]) : 3);
        System.out.println(result);
    }
}
