package dev.lethe.ledger.executor.sql;

import dev.lethe.avro.SqlSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens connections to a registered database. The registration names its credentials only by
 * reference ({@code sql.credentials}): a file of that name in the ledger's secrets directory
 * ({@code LETHE_SQL_SECRETS_DIR}), in Java properties form with {@code user=} and
 * {@code password=} (and optionally further JDBC connection properties). The file is read at each
 * connection, so a rotated password is picked up without a restart; its content is never logged
 * or shown.
 */
public final class SqlCredentials {

    private final Path directory;

    public SqlCredentials(Path directory) {
        this.directory = directory;
    }

    public Connection connect(SqlSettings settings) throws SQLException {
        final Path file = directory.resolve(settings.getCredentials()).normalize();
        if (!file.startsWith(directory.normalize())) {
            throw new SQLException("the credentials name must not leave the secrets directory", "28000");
        }
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new SQLException("cannot read the credentials file '" + settings.getCredentials()
                    + "' in the secrets directory: " + e.getClass().getSimpleName(), "28000", e);
        }
        return DriverManager.getConnection(settings.getJdbcUrl(), properties);
    }
}
