package dev.lethe.ledger.executor.sql;

import dev.lethe.avro.Identifier;
import dev.lethe.avro.SystemRegistration;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * What an administrator asks of a SQL system before any request touches it, answered by a
 * ledger instance that holds the secrets directory: whether its registration fits the database
 * (tables and columns as the metadata lists them) and how many rows per table a subject has
 * (the preview). Both only read; both open and close their own connection.
 */
public final class SqlAdmin {

    private final SqlCredentials credentials;

    public SqlAdmin(SqlCredentials credentials) {
        this.credentials = credentials;
    }

    /** A database failure named without the driver's message (which may quote values). */
    public static String reason(SQLException e) {
        return SqlFailures.reason(e);
    }

    /** Throws a {@link SqlProblem} naming the field when the registration does not fit its database. */
    public void check(SystemRegistration system) throws SQLException {
        try (Connection c = credentials.connect(system.getSql())) {
            c.setReadOnly(true);
            SqlSchema.resolve(c, system.getSql());
        }
    }

    /** Rows per table (in the order the rules run) a request for this identifier would touch. */
    public Map<String, Long> preview(SystemRegistration system, String namespace, String value) throws SQLException {
        try (Connection c = credentials.connect(system.getSql())) {
            c.setReadOnly(true);
            return SqlCounts.perTable(c, SqlSchema.resolve(c, system.getSql()),
                    List.of(new Identifier(namespace, value)));
        }
    }
}
