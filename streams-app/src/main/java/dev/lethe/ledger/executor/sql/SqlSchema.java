package dev.lethe.ledger.executor.sql;

import dev.lethe.avro.SqlFileColumn;
import dev.lethe.avro.SqlMask;
import dev.lethe.avro.SqlMaskStrategy;
import dev.lethe.avro.SqlSettings;
import dev.lethe.avro.SqlTableRule;
import dev.lethe.schemas.systems.SqlRegistration;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A registration's table rules checked against the database's own metadata
 * ({@link DatabaseMetaData#getColumns}) and turned into quoted, ready-to-use names: every table
 * and column must exist (a name is matched exactly, else case-insensitively when that is
 * unambiguous), a column masked with {@code hmac}, {@code random} or {@code fixed} must hold text
 * and one masked with {@code null} must accept NULL. Any mismatch is a {@link SqlProblem} naming
 * the registration field. Identifiers are quoted with the database's own quote string; values
 * are always bound parameters ({@link #bind}).
 */
public final class SqlSchema {

    private static final Set<Integer> TEXT = Set.of(Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR,
            Types.NVARCHAR, Types.LONGNVARCHAR, Types.CLOB, Types.NCLOB);
    private static final Set<Integer> INTEGRAL = Set.of(Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT);
    private static final Set<Integer> DECIMAL = Set.of(Types.NUMERIC, Types.DECIMAL);
    private static final String UUID_TYPE = "uuid";

    private SqlSchema() {
    }

    /** A column as the database describes it ({@code typeName}: the database's own name of its type). */
    record Column(String quoted, int type, String typeName, int size, boolean nullable) {
    }

    /** A mask of one column, with the column's type and size. */
    public record Mask(Column column, SqlMaskStrategy strategy, String value) {
    }

    /** A column holding object references. */
    public record FileColumn(String quoted, String path, boolean manifest) {
    }

    /**
     * One table rule resolved against the database: quoted table and key, how rows are found
     * ({@link #where}, one bound value) and what is done to them.
     */
    public record Rule(SqlTableRule rule, String table, String key, Column match, String via, Rule parent,
                       List<Mask> masks, List<FileColumn> files) {

        /** The plain table name as registered (for evidence and previews). */
        public String name() {
            return rule.getTable();
        }

        /** The identifier namespace whose values find this rule's rows (through its parents, if any). */
        public String namespace() {
            return match != null ? rule.getMatch().getNamespace() : parent.namespace();
        }

        /** The column type the identifier value is bound as. */
        Column boundColumn() {
            return match != null ? match : parent.boundColumn();
        }

        /** The condition that finds a subject's rows, with one {@code ?} for the identifier value. */
        public String where() {
            if (match != null) {
                return match.quoted() + " = ?";
            }
            return via + " IN (SELECT " + parent.key + " FROM " + parent.table + " WHERE " + parent.where() + ")";
        }
    }

    /** The rules of {@code settings}, in the order they run, resolved against the database behind {@code c}. */
    public static List<Rule> resolve(Connection c, SqlSettings settings) throws SQLException {
        final DatabaseMetaData meta = c.getMetaData();
        final String quote = quoteString(meta);
        final Map<String, Rule> byTable = new HashMap<>();
        final List<Rule> resolved = new ArrayList<>();
        for (SqlTableRule rule : SqlRegistration.order(settings.getTables())) {
            resolved.add(resolve(meta, quote, settings.getTables(), rule, byTable));
        }
        return List.copyOf(resolved);
    }

    /** One rule, its parent (through {@code via}) resolved first. */
    private static Rule resolve(DatabaseMetaData meta, String quote, List<SqlTableRule> registered, SqlTableRule rule,
                                Map<String, Rule> byTable) throws SQLException {
        final Rule known = byTable.get(rule.getTable());
        if (known != null) {
            return known;
        }
        Rule parent = null;
        if (rule.getVia() != null) {
            final SqlTableRule parentRule = registered.stream()
                    .filter(r -> r.getTable().equals(rule.getVia().getParent())).findFirst().orElseThrow();
            parent = resolve(meta, quote, registered, parentRule, byTable);
        }
        final String field = "sql.tables[" + registered.indexOf(rule) + "]";
        final Table table = table(meta, quote, rule.getTable(), field + ".table");
        final Column key = table.column(rule.getKey(), field + ".key");
        final Column match = rule.getMatch() == null ? null
                : table.column(rule.getMatch().getColumn(), field + ".match.column");
        final String via = rule.getVia() == null ? null
                : table.column(rule.getVia().getColumn(), field + ".via.column").quoted();
        final List<Mask> masks = new ArrayList<>();
        for (int i = 0; i < rule.getMask().size(); i++) {
            final SqlMask mask = rule.getMask().get(i);
            final String maskField = field + ".mask[" + i + "].column";
            masks.add(new Mask(maskable(table.column(mask.getColumn(), maskField), mask.getStrategy(), maskField),
                    mask.getStrategy(), mask.getValue()));
        }
        final List<FileColumn> files = new ArrayList<>();
        for (int i = 0; i < rule.getFiles().size(); i++) {
            final SqlFileColumn file = rule.getFiles().get(i);
            files.add(new FileColumn(table.column(file.getColumn(), field + ".files[" + i + "].column").quoted(),
                    file.getPath(), file.getManifest()));
        }
        final Rule done = new Rule(rule, table.quoted, key.quoted(), match, via, parent, List.copyOf(masks),
                List.copyOf(files));
        byTable.put(rule.getTable(), done);
        return done;
    }

    /**
     * Binds an identifier value as the type of the column it is compared with; false when the value
     * cannot be of that type (a non-numeric value for a numeric column, a value that is not a UUID
     * for a {@code uuid} column: no row can match).
     */
    static boolean bind(PreparedStatement statement, int index, Rule rule, String value) throws SQLException {
        final int type = rule.boundColumn().type();
        if (TEXT.contains(type)) {
            statement.setString(index, value);
        } else if (INTEGRAL.contains(type)) {
            try {
                statement.setLong(index, Long.parseLong(value.trim()));
            } catch (NumberFormatException e) {
                return false;
            }
        } else if (DECIMAL.contains(type)) {
            try {
                statement.setBigDecimal(index, new BigDecimal(value.trim()));
            } catch (NumberFormatException e) {
                return false;
            }
        } else if (UUID_TYPE.equalsIgnoreCase(rule.boundColumn().typeName())) {
            try {
                statement.setObject(index, UUID.fromString(value.trim()));
            } catch (IllegalArgumentException e) {
                return false;
            }
        } else {
            statement.setObject(index, value, Types.OTHER);
        }
        return true;
    }

    private static Column maskable(Column column, SqlMaskStrategy strategy, String field) {
        if (strategy == SqlMaskStrategy.NULL && !column.nullable()) {
            throw new SqlProblem(field, field + ": the column is NOT NULL, so it cannot be masked with null");
        }
        if (strategy != SqlMaskStrategy.NULL && !TEXT.contains(column.type())) {
            throw new SqlProblem(field, field + ": strategy " + strategy.name().toLowerCase(Locale.ROOT)
                    + " needs a text column");
        }
        return column;
    }

    private static String quoteString(DatabaseMetaData meta) throws SQLException {
        final String quote = meta.getIdentifierQuoteString();
        return quote == null || quote.isBlank() ? "\"" : quote.trim();
    }

    private static String quote(String quote, String name) {
        return quote + name.replace(quote, quote + quote) + quote;
    }

    /** A table's columns as the metadata lists them. */
    private record Table(String quoted, Map<String, Column> columns, String field) {

        Column column(String name, String columnField) {
            final Column exact = columns.get(name);
            if (exact != null) {
                return exact;
            }
            Column found = null;
            for (Map.Entry<String, Column> entry : columns.entrySet()) {
                if (entry.getKey().equalsIgnoreCase(name)) {
                    if (found != null) {
                        throw new SqlProblem(columnField, columnField + ": column " + name + " is ambiguous by case");
                    }
                    found = entry.getValue();
                }
            }
            if (found == null) {
                throw new SqlProblem(columnField, columnField + ": the table has no column " + name);
            }
            return found;
        }
    }

    private static Table table(DatabaseMetaData meta, String quote, String registered, String field)
            throws SQLException {
        final int dot = registered.indexOf('.');
        final String schema = dot < 0 ? null : registered.substring(0, dot);
        final String name = dot < 0 ? registered : registered.substring(dot + 1);
        for (String[] candidate : List.of(new String[] {schema, name},
                new String[] {lower(schema), name.toLowerCase(Locale.ROOT)},
                new String[] {upper(schema), name.toUpperCase(Locale.ROOT)})) {
            final Table table = columns(meta, quote, candidate[0], candidate[1], field);
            if (table != null) {
                return table;
            }
        }
        throw new SqlProblem(field, field + ": the database has no table " + registered);
    }

    private static Table columns(DatabaseMetaData meta, String quote, String schema, String name, String field)
            throws SQLException {
        final String escape = meta.getSearchStringEscape();
        final Map<String, Column> columns = new LinkedHashMap<>();
        String actualSchema = null;
        String actualName = null;
        try (ResultSet rs = meta.getColumns(null, escape(schema, escape), escape(name, escape), null)) {
            while (rs.next()) {
                final String tableSchema = rs.getString("TABLE_SCHEM");
                final String tableName = rs.getString("TABLE_NAME");
                if (actualName == null) {
                    actualSchema = tableSchema;
                    actualName = tableName;
                } else if (!tableName.equals(actualName) || !java.util.Objects.equals(tableSchema, actualSchema)) {
                    if (schema == null) {
                        throw new SqlProblem(field, field + ": table " + name
                                + " exists in more than one schema; name it as schema.table");
                    }
                    continue;
                }
                final String column = rs.getString("COLUMN_NAME");
                columns.put(column, new Column(quote(quote, column), rs.getInt("DATA_TYPE"), rs.getString("TYPE_NAME"),
                        rs.getInt("COLUMN_SIZE"),
                        rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls));
            }
        }
        if (actualName == null) {
            return null;
        }
        final String quoted = (schema == null ? "" : quote(quote, actualSchema) + ".") + quote(quote, actualName);
        return new Table(quoted, columns, field);
    }

    private static String escape(String pattern, String escape) {
        if (pattern == null || escape == null || escape.isEmpty()) {
            return pattern;
        }
        return pattern.replace(escape, escape + escape).replace("_", escape + "_").replace("%", escape + "%");
    }

    private static String lower(String text) {
        return text == null ? null : text.toLowerCase(Locale.ROOT);
    }

    private static String upper(String text) {
        return text == null ? null : text.toUpperCase(Locale.ROOT);
    }
}
