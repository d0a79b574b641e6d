package dev.lethe.ledger.executor.sql;

import dev.lethe.avro.CallbackOutcome;
import dev.lethe.avro.ErasureEvent;
import dev.lethe.avro.S3Settings;
import dev.lethe.avro.SqlAction;
import dev.lethe.avro.SqlFiles;
import dev.lethe.avro.SqlMaskStrategy;
import dev.lethe.avro.SqlSettings;
import dev.lethe.avro.SystemMode;
import dev.lethe.avro.SystemRegistration;
import dev.lethe.ledger.executor.Answer;
import dev.lethe.ledger.executor.Progress;
import dev.lethe.ledger.executor.SystemEraser;
import dev.lethe.ledger.executor.WindowClosedException;
import dev.lethe.ledger.executor.WindowGate;
import dev.lethe.ledger.executor.s3.Reference;
import dev.lethe.ledger.executor.s3.ReferenceParser;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQL executor's eraser: erases or masks a subject's rows table by table, in the order of the
 * registration's rules ({@code after}; children found through a parent before the parent), and
 * first the files those rows point to.
 *
 * <p>For each rule and each identifier value of its namespace in the event, rows are paged by
 * the rule's key ({@code WHERE <found> AND key > last ORDER BY key}, at most {@code rowsPerBatch}
 * rows a page, so memory stays bounded however many rows a subject has). Per batch: the page's
 * file references go to the S3 eraser (manifests included) and only when they are gone are the
 * rows deleted or masked, in one transaction that is rolled back whole on failure; a failed
 * batch (lost connection, lock timeout, constraint violation) is tried again with exponential
 * backoff on a fresh connection, and after its attempts the answer is FAILED with the table and
 * the reason. Batches respect the rate limit ({@code rowsPerSecond}) and the processing window:
 * when it closes between batches the eraser reports progress and throws
 * {@link WindowClosedException}, and the loop runs it again when the window opens (what is done
 * stays done). After each rule a count query verifies no row of the subject is left; the counts
 * are the evidence. Only bound parameters carry values; table and column names come from the
 * validated registration, checked against the database's metadata and quoted.
 * Details and logs never carry identifier values, keys or file references.
 */
public final class SqlEraser implements SystemEraser {

    private static final Logger LOG = LoggerFactory.getLogger(SqlEraser.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(20);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SqlCredentials credentials;
    private final SystemEraser files;
    private final byte[] pseudonymSecret;
    private final int maxAttempts;
    private final Duration retryBase;
    private final long progressEvery;
    private final Clock clock;

    /**
     * @param files the S3 eraser the referenced objects go through (null: a rule with file columns fails)
     * @param pseudonymSecret the key of {@code hmac} masks (the ledger's pseudonym secret)
     */
    public SqlEraser(SqlCredentials credentials, SystemEraser files, byte[] pseudonymSecret, int maxAttempts,
                     Duration retryBase, long progressEvery, Clock clock) {
        this.credentials = credentials;
        this.files = files;
        this.pseudonymSecret = pseudonymSecret.clone();
        this.maxAttempts = maxAttempts;
        this.retryBase = retryBase;
        this.progressEvery = progressEvery;
        this.clock = clock;
    }

    @Override
    public Answer erase(ErasureEvent event, SystemRegistration system, Progress progress) {
        if (system.getSql() == null) {
            return Answer.failed("system " + system.getName() + " has no sql settings");
        }
        try (Run run = new Run(event, system, progress)) {
            return run.execute();
        }
    }

    /** A batch that failed after its attempts, or whose files could not be erased. */
    private static final class BatchFailed extends RuntimeException {
        BatchFailed(String message) {
            super(message, null, false, false);
        }
    }

    /** One rule's tally: rows affected, objects erased, rows left at verification. */
    private static final class Tally {
        long rows;
        long objects;
        long left;
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** One erasure of one subject in one system. */
    private final class Run implements AutoCloseable {

        private final ErasureEvent event;
        private final SystemRegistration system;
        private final SqlSettings settings;
        private final Progress progress;
        private final RateLimiter limiter;
        private final int batchSize;
        private final Map<String, Tally> tallies = new LinkedHashMap<>();
        private final ReferenceParser parser;
        private Connection connection;
        private long total;
        private long nextProgress = progressEvery;
        private long refused;

        Run(ErasureEvent event, SystemRegistration system, Progress progress) {
            this.event = event;
            this.system = system;
            this.settings = system.getSql();
            this.progress = progress;
            final int rate = Math.max(1, settings.getRowsPerSecond());
            this.batchSize = Math.max(1, Math.min(settings.getRowsPerBatch(), rate));
            this.limiter = RateLimiter.of("sql-rows", RateLimiterConfig.custom().limitForPeriod(rate)
                    .limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ofDays(1)).build());
            final SqlFiles filesSettings = settings.getFiles();
            this.parser = filesSettings == null ? null
                    : new ReferenceParser(filesSettings.getBuckets(), filesSettings.getCdnDomains());
        }

        Answer execute() {
            final List<SqlSchema.Rule> rules;
            try {
                rules = attempt("the schema check", c -> SqlSchema.resolve(c, settings));
            } catch (SqlProblem e) {
                return Answer.failed("the registration does not fit the database: " + e.getMessage());
            } catch (BatchFailed e) {
                return Answer.failed(e.getMessage());
            }
            try {
                for (SqlSchema.Rule rule : rules) {
                    final Tally tally = tallies.computeIfAbsent(rule.name(), t -> new Tally());
                    final List<String> values = SqlCounts.values(event, rule.namespace());
                    for (String value : values) {
                        eraseValue(rule, value, tally);
                    }
                    tally.left = attempt(rule.name(), c -> SqlCounts.count(c, rule, values));
                    if (tally.left > 0) {
                        return Answer.failed("table " + rule.name() + ": the verification count found " + tally.left
                                + " rows left; " + evidence());
                    }
                }
            } catch (BatchFailed e) {
                return Answer.failed(e.getMessage() + "; before that: " + evidence());
            }
            final String evidence = evidence();
            return total == 0 ? Answer.notFound(evidence) : Answer.done(total, evidence);
        }

        private void eraseValue(SqlSchema.Rule rule, String value, Tally tally) {
            final Object[] last = {null};
            while (true) {
                closedWindow().ifPresent(opens -> {
                    progress.report(total, "paused: the processing window is closed until " + opens + "; "
                            + evidence());
                    throw new WindowClosedException(opens);
                });
                final int handled = attempt(rule.name(), c -> batch(c, rule, value, last, tally));
                if (handled == 0) {
                    return;
                }
                limiter.acquirePermission(handled);
                if (total >= nextProgress) {
                    progress.report(total, "erasing: " + evidence());
                    nextProgress = total + progressEvery;
                }
            }
        }

        /** One batch: find a page of rows, erase their files, then erase the rows in one transaction. */
        private int batch(Connection c, SqlSchema.Rule rule, String value, Object[] last, Tally tally)
                throws SQLException {
            final List<Row> rows = page(c, rule, value, last[0]);
            if (rows.isEmpty()) {
                return 0;
            }
            eraseFiles(rule, rows, tally);
            final int affected;
            try {
                affected = rule.rule().getAction() == SqlAction.DELETE ? delete(c, rule, value, rows)
                        : mask(c, rule, value, rows);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
            tally.rows += affected;
            total += affected;
            last[0] = rows.get(rows.size() - 1).key();
            return rows.size();
        }

        private List<Row> page(Connection c, SqlSchema.Rule rule, String value, Object last) throws SQLException {
            final List<String> columns = new ArrayList<>();
            columns.add(rule.key());
            rule.masks().stream().filter(m -> m.strategy() == SqlMaskStrategy.HMAC)
                    .forEach(m -> columns.add(m.column().quoted()));
            rule.files().forEach(f -> columns.add(f.quoted()));
            final String sql = "SELECT " + String.join(", ", columns) + " FROM " + rule.table() + " WHERE "
                    + rule.where() + (last == null ? "" : " AND " + rule.key() + " > ?") + " ORDER BY " + rule.key();
            final List<Row> rows = new ArrayList<>();
            try (PreparedStatement statement = c.prepareStatement(sql)) {
                statement.setMaxRows(batchSize);
                statement.setFetchSize(batchSize);
                if (!SqlSchema.bind(statement, 1, rule, value)) {
                    c.commit();
                    return rows;
                }
                if (last != null) {
                    statement.setObject(2, last);
                }
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        final List<String> texts = new ArrayList<>();
                        for (int i = 2; i <= columns.size(); i++) {
                            texts.add(rs.getString(i));
                        }
                        rows.add(new Row(rs.getObject(1), texts));
                    }
                }
            }
            c.commit();
            return rows;
        }

        /** Erases the objects a page of rows points to through the S3 eraser; throws when they are not all gone. */
        private void eraseFiles(SqlSchema.Rule rule, List<Row> rows, Tally tally) {
            if (rule.files().isEmpty()) {
                return;
            }
            final int offset = (int) rule.masks().stream().filter(m -> m.strategy() == SqlMaskStrategy.HMAC).count();
            final List<String> references = new ArrayList<>();
            for (Row row : rows) {
                for (int i = 0; i < rule.files().size(); i++) {
                    references.addAll(FileReferences.of(row.texts().get(offset + i), rule.files().get(i)));
                }
            }
            if (references.isEmpty()) {
                return;
            }
            if (files == null || settings.getFiles() == null) {
                throw new BatchFailed("table " + rule.name() + ": rows point to files but no S3 eraser is configured");
            }
            for (String reference : references) {
                if (parser.parse(reference) instanceof Reference.Refused) {
                    refused++;
                }
            }
            final Answer answer = files.erase(ErasureEvent.newBuilder(event).setObjects(references).build(),
                    filesSystem(), Progress.NONE);
            if (answer.outcome() == CallbackOutcome.FAILED) {
                throw new BatchFailed("table " + rule.name() + ": the files could not be erased, so the rows were "
                        + "kept: " + answer.detail());
            }
            final long objects = answer.itemsErased() == null ? 0 : answer.itemsErased();
            tally.objects += objects;
            total += objects;
        }

        private SystemRegistration filesSystem() {
            final SqlFiles f = settings.getFiles();
            return SystemRegistration.newBuilder(system).setMode(SystemMode.S3).setSql(null)
                    .setS3(new S3Settings(f.getBuckets(), List.of(), f.getCdnDomains(), f.getDeletesPerSecond(),
                            false, null))
                    .build();
        }

        private int delete(Connection c, SqlSchema.Rule rule, String value, List<Row> rows) throws SQLException {
            final String marks = String.join(", ", java.util.Collections.nCopies(rows.size(), "?"));
            try (PreparedStatement statement = c.prepareStatement("DELETE FROM " + rule.table() + " WHERE "
                    + rule.key() + " IN (" + marks + ") AND " + rule.where())) {
                for (int i = 0; i < rows.size(); i++) {
                    statement.setObject(i + 1, rows.get(i).key());
                }
                SqlSchema.bind(statement, rows.size() + 1, rule, value);
                return statement.executeUpdate();
            }
        }

        /**
         * Masks a page of rows, each found by its key and the rule's condition (as the delete is), so a
         * key shared with another subject's rows does not reach them.
         */
        private int mask(Connection c, SqlSchema.Rule rule, String value, List<Row> rows) throws SQLException {
            final List<String> sets = rule.masks().stream().map(m -> m.column().quoted() + " = ?").toList();
            try (PreparedStatement statement = c.prepareStatement("UPDATE " + rule.table() + " SET "
                    + String.join(", ", sets) + " WHERE " + rule.key() + " = ? AND " + rule.where())) {
                for (Row row : rows) {
                    int hmac = 0;
                    for (int i = 0; i < rule.masks().size(); i++) {
                        final SqlSchema.Mask mask = rule.masks().get(i);
                        switch (mask.strategy()) {
                            case NULL -> statement.setNull(i + 1, mask.column().type());
                            case FIXED -> statement.setString(i + 1, mask.value());
                            case RANDOM -> statement.setString(i + 1, fit(random(), mask.column()));
                            case HMAC -> {
                                final String original = row.texts().get(hmac++);
                                if (original == null) {
                                    statement.setNull(i + 1, mask.column().type());
                                } else {
                                    statement.setString(i + 1, fit(hmac(original), mask.column()));
                                }
                            }
                            default -> throw new IllegalStateException("unknown mask strategy " + mask.strategy());
                        }
                    }
                    statement.setObject(rule.masks().size() + 1, row.key());
                    SqlSchema.bind(statement, rule.masks().size() + 2, rule, value);
                    statement.addBatch();
                }
                int affected = 0;
                for (int count : statement.executeBatch()) {
                    affected += count == Statement.SUCCESS_NO_INFO ? 1 : Math.max(0, count);
                }
                return affected;
            }
        }

        private String hmac(String value) {
            try {
                final Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(pseudonymSecret, "HmacSHA256"));
                return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available", e);
            }
        }

        private static String random() {
            final byte[] bytes = new byte[16];
            RANDOM.nextBytes(bytes);
            return HexFormat.of().formatHex(bytes);
        }

        private static String fit(String text, SqlSchema.Column column) {
            return column.size() > 0 && column.size() < text.length() ? text.substring(0, column.size()) : text;
        }

        private Optional<java.time.Instant> closedWindow() {
            return WindowGate.closedUntil(settings.getWindow(), clock.instant());
        }

        /** Runs {@code work} on the connection, retrying a database failure with backoff on a fresh connection. */
        private <T> T attempt(String table, Work<T> work) {
            for (int attempt = 1; ; attempt++) {
                try {
                    return work.run(connection());
                } catch (SQLException e) {
                    closeConnection();
                    LOG.warn("request {} system {} table {}: attempt {} of {} failed: {}", event.getRequestId(),
                            system.getName(), table, attempt, maxAttempts, SqlFailures.reason(e));
                    if (attempt >= maxAttempts) {
                        throw new BatchFailed("table " + table + ": " + SqlFailures.reason(e) + " after "
                                + maxAttempts + " attempts (the failed batch was rolled back)");
                    }
                    backoff(attempt);
                }
            }
        }

        private void backoff(int attempt) {
            final long base = retryBase.toMillis() << Math.min(attempt - 1, 16);
            final long capped = Math.min(base, MAX_BACKOFF.toMillis());
            try {
                Thread.sleep(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BatchFailed("interrupted while waiting to try again");
            }
        }

        private Connection connection() throws SQLException {
            if (connection == null) {
                connection = credentials.connect(settings);
                connection.setAutoCommit(false);
            }
            return connection;
        }

        private void closeConnection() {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException e) {
                    LOG.debug("closing a failed connection: {}", e.getSQLState());
                }
                connection = null;
            }
        }

        private String evidence() {
            final StringBuilder text = new StringBuilder();
            for (Map.Entry<String, Tally> entry : tallies.entrySet()) {
                if (!text.isEmpty()) {
                    text.append("; ");
                }
                final Tally t = entry.getValue();
                text.append("table ").append(entry.getKey()).append(": ").append(t.rows).append(" rows ")
                        .append(actionOf(entry.getKey())).append(", ").append(t.objects).append(" objects erased, ")
                        .append("verification count ").append(t.left).append(" left");
            }
            if (refused > 0) {
                text.append("; ").append(refused).append(" file references refused (outside the system's buckets "
                        + "or unreadable)");
            }
            return text.toString();
        }

        private String actionOf(String table) {
            return settings.getTables().stream().filter(r -> r.getTable().equals(table)).findFirst()
                    .map(r -> r.getAction() == SqlAction.MASK ? "masked" : "deleted").orElse("erased");
        }

        @Override
        public void close() {
            closeConnection();
        }
    }

    /** A row of a page: its key and the text of its HMAC-masked then file columns. */
    private record Row(Object key, List<String> texts) {
    }
}
