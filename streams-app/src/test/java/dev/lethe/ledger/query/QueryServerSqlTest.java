package dev.lethe.ledger.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.ledger.executor.sql.SqlAdmin;
import dev.lethe.ledger.executor.sql.SqlCredentials;
import dev.lethe.ledger.executor.sql.TestPostgres;
import dev.lethe.schemas.config.Secret;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The internal check of a SQL registration against its database, as the gateway asks it before writing. */
class QueryServerSqlTest {

    private static final String SECRET = "internal-secret-0123456789abcdef-0123";
    private static final String REGISTRATION = """
            {"name": "shop", "owner": "shop", "contact": "shop@example.com", "mode": "sql", "namespaces": ["user_id"],
             "sql": {"jdbcUrl": "%s", "credentials": "shop-db",
                     "tables": [{"table": "%s", "key": "id", "match": {"column": "user_id", "namespace": "user_id"},
                                 "action": "delete"}]}}""";

    private static TestPostgres pg;
    @TempDir
    static Path secrets;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        pg = TestPostgres.start();
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            s.execute("create table orders (id bigserial primary key, user_id bigint)");
        }
        Files.writeString(secrets.resolve("shop-db"), "user=" + pg.user() + "\n");
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    @Test
    void shouldAcceptARegistrationThatFitsAndRefuseAMissingTableNamingTheField() throws Exception {
        try (QueryServer server = new QueryServer(null, Clock.systemUTC(), Secret.of(SECRET))
                .sqlAdmin(new SqlAdmin(new SqlCredentials(secrets))).start("127.0.0.1", 0)) {
            final HttpResponse<String> fits = check(server, "orders");
            final HttpResponse<String> missing = check(server, "order_items");

            assertEquals(200, fits.statusCode(), fits.body());
            assertEquals(400, missing.statusCode(), missing.body());
            final JsonNode body = QueryServer.JSON.readTree(missing.body());
            assertEquals("unknown_schema_object", body.path("error").asText());
            assertEquals("sql.tables[0].table", body.path("field").asText());
        }
    }

    @Test
    void shouldAnswer503WhenTheInstanceHasNoSqlSecrets() throws Exception {
        try (QueryServer server = new QueryServer(null, Clock.systemUTC(), Secret.of(SECRET)).start("127.0.0.1", 0)) {
            final HttpResponse<String> answer = check(server, "orders");

            assertEquals(503, answer.statusCode(), answer.body());
            assertEquals("sql_not_configured", QueryServer.JSON.readTree(answer.body()).path("error").asText());
        }
    }

    private HttpResponse<String> check(QueryServer server, String table) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + QueryServer.SQL_CHECK))
                .header("Authorization", "Bearer " + SECRET).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(REGISTRATION.formatted(pg.jdbcUrl(), table))).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
