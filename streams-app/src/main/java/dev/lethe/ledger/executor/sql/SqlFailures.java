package dev.lethe.ledger.executor.sql;

import java.sql.SQLException;

/**
 * Names a database failure for evidence and logs by its SQLState class, never by the driver's
 * message (which may quote the row's values, e.g. a constraint violation's key).
 */
final class SqlFailures {

    private SqlFailures() {
    }

    static String reason(SQLException e) {
        final String state = e.getSQLState() == null ? "" : e.getSQLState();
        final String kind;
        if (state.startsWith("08")) {
            kind = "lost or refused connection";
        } else if (state.startsWith("23")) {
            kind = "constraint violation";
        } else if (state.startsWith("40")) {
            kind = "transaction rolled back (deadlock or serialization failure)";
        } else if ("55P03".equals(state) || "57014".equals(state)) {
            kind = "lock timeout or cancelled statement";
        } else if (state.startsWith("28")) {
            kind = "authentication failed (check the credentials file)";
        } else if (state.startsWith("42")) {
            kind = "statement refused (a table or column changed since registration?)";
        } else {
            kind = "database error";
        }
        return kind + " (SQLState " + (state.isEmpty() ? "none" : state) + ")";
    }
}
