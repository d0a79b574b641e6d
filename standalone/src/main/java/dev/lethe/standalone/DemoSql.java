package dev.lethe.standalone;

import dev.lethe.schemas.config.ConfigException;
import dev.lethe.schemas.config.Env;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;

/**
 * The demo SQL system of the embedded default (issue 17), on when {@value #URL} names a JDBC URL
 * (PostgreSQL) and {@value #CREDENTIALS} a file of {@code user=} and {@code password=} lines: the
 * file's folder becomes the SQL secrets directory, the demo system {@value #SYSTEM} is added to
 * the demo systems file on the first start, and on every start two demo tables are created in
 * that database when missing ({@code lethe_demo_customer}, masked; {@code lethe_demo_order},
 * deleted through its customer's key) with one sample customer. It never touches other tables.
 */
final class DemoSql {

    static final String URL = "LETHE_DEMO_SQL_URL";
    static final String CREDENTIALS = "LETHE_DEMO_SQL_CREDENTIALS_FILE";
    static final String SYSTEM = "shop-db";

    /** Where the demo database is and its credentials file. */
    record Settings(String jdbcUrl, Path credentialsFile) {

        Path secretsDir() {
            return credentialsFile.toAbsolutePath().getParent();
        }
    }

    private DemoSql() {
    }

    static Optional<Settings> read(Env env) {
        final Optional<String> url = env.optional(URL);
        if (url.isEmpty()) {
            return Optional.empty();
        }
        if (!url.get().startsWith("jdbc:") || url.get().toLowerCase(java.util.Locale.ROOT).contains("password")) {
            throw new ConfigException(URL, "must be a JDBC URL without a password (put user= and password= in the file "
                    + "named by " + CREDENTIALS + ")");
        }
        final Path file = env.readableFile(CREDENTIALS).orElseThrow(() ->
                new ConfigException(CREDENTIALS, "must name a file of user= and password= lines when " + URL + " is set"));
        return Optional.of(new Settings(url.get(), file));
    }

    /** The demo systems file with the demo SQL system added at the end of its array. */
    static String withDemo(String systemsJson, Settings settings) {
        final int end = systemsJson.lastIndexOf(']');
        final String entry = """
                  {
                    "name": "%s",
                    "owner": "shop-team",
                    "contact": "shop@example.com",
                    "mode": "sql",
                    "namespaces": ["email"],
                    "slaDays": 30,
                    "sql": {
                      "jdbcUrl": "%s",
                      "credentials": "%s",
                      "rowsPerBatch": 500,
                      "rowsPerSecond": 2000,
                      "files": {"buckets": ["%s"]},
                      "tables": [
                        {"table": "lethe_demo_order", "key": "id",
                         "via": {"column": "customer_id", "parent": "lethe_demo_customer"},
                         "action": "delete", "files": [{"column": "receipt_url"}]},
                        {"table": "lethe_demo_customer", "key": "id",
                         "match": {"column": "email", "namespace": "email"}, "action": "mask",
                         "mask": [{"column": "email", "strategy": "hmac"},
                                  {"column": "name", "strategy": "fixed", "value": "(erased)"}]}
                      ]
                    }
                  }
                """.formatted(SYSTEM, settings.jdbcUrl().replace("\\", "\\\\").replace("\"", "\\\""),
                settings.credentialsFile().getFileName(), LetheStandalone.DEMO_BUCKET);
        return systemsJson.substring(0, end).stripTrailing() + ",\n" + entry + "]\n";
    }

    /** Creates the demo tables when missing, with one sample customer and two orders. */
    static void prepare(Settings settings) {
        final Properties credentials = new Properties();
        try (Reader reader = Files.newBufferedReader(settings.credentialsFile())) {
            credentials.load(reader);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + CREDENTIALS + ": " + e.getClass().getSimpleName(), e);
        }
        try (Connection c = DriverManager.getConnection(settings.jdbcUrl(), credentials);
             Statement s = c.createStatement()) {
            s.execute("create table if not exists lethe_demo_customer (id bigserial primary key, "
                    + "email varchar(200) not null, name varchar(100), plan varchar(20))");
            s.execute("create table if not exists lethe_demo_order (id bigserial primary key, "
                    + "customer_id bigint not null references lethe_demo_customer(id), receipt_url text)");
            try (ResultSet rs = s.executeQuery("select count(*) from lethe_demo_customer")) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    return;
                }
            }
            s.execute("insert into lethe_demo_customer (email, name, plan) values ('alice@example.com', 'Alice', 'gold')");
            s.execute("insert into lethe_demo_order (customer_id, receipt_url) select id, 's3://"
                    + LetheStandalone.DEMO_BUCKET + "/receipts/' || id || '-' || g || '.pdf' from lethe_demo_customer, "
                    + "generate_series(1, 2) g");
        } catch (SQLException e) {
            throw new IllegalStateException("the demo SQL database (" + URL + ") could not be prepared: SQLState "
                    + e.getSQLState(), e);
        }
    }
}
