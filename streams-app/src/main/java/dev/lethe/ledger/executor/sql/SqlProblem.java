package dev.lethe.ledger.executor.sql;

/**
 * A registration that does not fit the database it names (a missing table or column, a column
 * that cannot hold its mask): refused at registration time, naming the registration field.
 */
public final class SqlProblem extends RuntimeException {

    private final String field;

    public SqlProblem(String field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
