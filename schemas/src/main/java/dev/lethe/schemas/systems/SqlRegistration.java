package dev.lethe.schemas.systems;

import static dev.lethe.schemas.systems.SystemsValidator.integer;
import static dev.lethe.schemas.systems.SystemsValidator.known;
import static dev.lethe.schemas.systems.SystemsValidator.object;
import static dev.lethe.schemas.systems.SystemsValidator.present;
import static dev.lethe.schemas.systems.SystemsValidator.strings;
import static dev.lethe.schemas.systems.SystemsValidator.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.avro.SqlAction;
import dev.lethe.avro.SqlFileColumn;
import dev.lethe.avro.SqlFiles;
import dev.lethe.avro.SqlMask;
import dev.lethe.avro.SqlMaskStrategy;
import dev.lethe.avro.SqlMatch;
import dev.lethe.avro.SqlSettings;
import dev.lethe.avro.SqlTableRule;
import dev.lethe.avro.SqlVia;
import dev.lethe.avro.SystemMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code sql} block of a registration (mode {@code sql}): checked field by field with
 * messages naming the field, mapped to {@link SqlSettings} and back to JSON, and the order its
 * table rules run in. Table and column names must be plain SQL identifiers (letters, digits,
 * {@code _}; a table may carry one schema qualifier), so they can be quoted safely; the executor
 * checks them against the database's metadata too. Credentials are never in a registration:
 * {@code credentials} names a secret file the ledger holds, and a JDBC URL carrying a password is
 * refused.
 */
public final class SqlRegistration {

    /** A plain SQL identifier. */
    public static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");
    private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    /** A JSON path inside a JSON column: {@code $} followed by {@code .name}, {@code [n]} or {@code [*]} steps. */
    public static final Pattern JSON_PATH = Pattern.compile("\\$(\\.[A-Za-z0-9_]+|\\[\\*]|\\[\\d{1,6}])*");
    private static final int MAX_RULES = 200;
    private static final Set<String> SQL = Set.of("jdbcUrl", "credentials", "rowsPerBatch", "rowsPerSecond",
            "window", "files", "tables");
    private static final Set<String> FILES = Set.of("buckets", "cdnDomains", "deletesPerSecond");
    private static final Set<String> RULE = Set.of("table", "key", "match", "via", "action", "mask", "files", "after");
    private static final Set<String> MATCH = Set.of("column", "namespace");
    private static final Set<String> VIA = Set.of("column", "parent");
    private static final Set<String> MASK = Set.of("column", "strategy", "value");
    private static final Set<String> FILE = Set.of("column", "path", "manifest");

    private SqlRegistration() {
    }

    /** The {@code sql} settings of {@code body}: required when the mode is sql, refused otherwise. */
    static SqlSettings read(JsonNode body, SystemMode mode, List<String> namespaces) {
        final JsonNode node = present(body, "sql");
        if (mode != SystemMode.SQL) {
            if (node != null) {
                throw invalid("sql", "sql settings are allowed only when mode is sql");
            }
            return null;
        }
        if (node == null) {
            throw new InvalidRegistrationException("missing_field",
                    "mode sql needs sql settings (at least sql.jdbcUrl, sql.credentials and sql.tables)", "sql");
        }
        object(node, "sql");
        known(node, SQL, "sql.");
        final String url = text(node, "jdbcUrl", "sql.jdbcUrl", true);
        if (!url.startsWith("jdbc:")) {
            throw invalid("sql.jdbcUrl", "sql.jdbcUrl must be a JDBC URL starting with jdbc:");
        }
        if (url.toLowerCase(Locale.ROOT).contains("password")) {
            throw invalid("sql.jdbcUrl", "sql.jdbcUrl must not carry a password: put user= and password= in the "
                    + "secret file named by sql.credentials");
        }
        final String credentials = text(node, "credentials", "sql.credentials", true);
        if (!SECRET.matcher(credentials).matches() || credentials.contains("..")) {
            throw invalid("sql.credentials", "sql.credentials must be the name of a secret file (letters, digits, "
                    + "'_', '.', '-'; no path)");
        }
        final SqlFiles files = files(present(node, "files"));
        final List<SqlTableRule> rules = rules(node, namespaces, files != null);
        return new SqlSettings(url, credentials,
                integer(node, "rowsPerBatch", "sql.rowsPerBatch", 1, 10_000, 500),
                integer(node, "rowsPerSecond", "sql.rowsPerSecond", 1, 1_000_000, 2000),
                SystemsValidator.window(present(node, "window"), "sql.window"), files, rules);
    }

    private static SqlFiles files(JsonNode node) {
        if (node == null) {
            return null;
        }
        object(node, "sql.files");
        known(node, FILES, "sql.files.");
        final List<String> buckets = strings(node, "buckets", "sql.files.buckets", true);
        for (int i = 0; i < buckets.size(); i++) {
            SystemsValidator.bucket(buckets.get(i), "sql.files.buckets[" + i + "]");
        }
        return new SqlFiles(buckets, SystemsValidator.cdn(node, buckets, "sql.files"),
                integer(node, "deletesPerSecond", "sql.files.deletesPerSecond", 1, 3500, 500));
    }

    private static List<SqlTableRule> rules(JsonNode sql, List<String> namespaces, boolean filesSet) {
        final JsonNode array = present(sql, "tables");
        if (array == null) {
            throw new InvalidRegistrationException("missing_field", "sql.tables is required and must name at least "
                    + "one table rule", "sql.tables");
        }
        if (!array.isArray()) {
            throw SystemsValidator.type("sql.tables", "an array of table rules");
        }
        if (array.isEmpty() || array.size() > MAX_RULES) {
            throw invalid("sql.tables", "sql.tables must hold 1-" + MAX_RULES + " table rules");
        }
        final List<SqlTableRule> rules = new ArrayList<>();
        final Set<String> tables = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            final SqlTableRule rule = rule(array.get(i), "sql.tables[" + i + "]", namespaces, filesSet);
            if (!tables.add(rule.getTable())) {
                throw invalid("sql.tables[" + i + "].table", "sql.tables[" + i + "].table repeats an earlier rule's "
                        + "table");
            }
            rules.add(rule);
        }
        for (int i = 0; i < rules.size(); i++) {
            final SqlTableRule rule = rules.get(i);
            final String field = "sql.tables[" + i + "]";
            if (rule.getVia() != null && (!tables.contains(rule.getVia().getParent())
                    || rule.getVia().getParent().equals(rule.getTable()))) {
                throw invalid(field + ".via.parent", field + ".via.parent must name another rule's table");
            }
            for (int j = 0; j < rule.getAfter().size(); j++) {
                final String after = rule.getAfter().get(j);
                if (!tables.contains(after) || after.equals(rule.getTable())) {
                    throw invalid(field + ".after[" + j + "]", field + ".after[" + j + "] must name another rule's table");
                }
            }
        }
        order(rules);
        return rules;
    }

    private static SqlTableRule rule(JsonNode node, String field, List<String> namespaces, boolean filesSet) {
        object(node, field);
        known(node, RULE, field + ".");
        final String table = identifier(node, "table", field, TABLE);
        final String key = identifier(node, "key", field, IDENTIFIER);
        final SqlMatch match = match(present(node, "match"), field + ".match", namespaces);
        final SqlVia via = via(present(node, "via"), field + ".via");
        if ((match == null) == (via == null)) {
            throw invalid(field + ".match", field + " needs exactly one of match (a column holding an identifier) "
                    + "or via (a join through a parent table's key)");
        }
        final SqlAction action = action(text(node, "action", field + ".action", true), field + ".action");
        final List<SqlMask> mask = masks(present(node, "mask"), field + ".mask");
        if (action == SqlAction.MASK) {
            if (mask.isEmpty()) {
                throw invalid(field + ".mask", field + ".mask must name at least one column when action is mask");
            }
            if (match == null) {
                throw invalid(field + ".action", field + ": action mask needs match, so masked rows are no longer "
                        + "found; rows found via a parent can only be deleted");
            }
            if (mask.stream().noneMatch(m -> m.getColumn().equals(match.getColumn()))) {
                throw invalid(field + ".mask", field + ".mask must mask " + match.getColumn()
                        + ", the column the rows are found by");
            }
        } else if (!mask.isEmpty()) {
            throw invalid(field + ".mask", field + ".mask is allowed only when action is mask");
        }
        final List<SqlFileColumn> files = fileColumns(present(node, "files"), field + ".files");
        if (!files.isEmpty() && !filesSet) {
            throw invalid(field + ".files", field + ".files needs sql.files (the buckets the referenced objects are in)");
        }
        return new SqlTableRule(table, key, match, via, action, mask, files,
                strings(node, "after", field + ".after", false));
    }

    private static SqlMatch match(JsonNode node, String field, List<String> namespaces) {
        if (node == null) {
            return null;
        }
        object(node, field);
        known(node, MATCH, field + ".");
        final String namespace = text(node, "namespace", field + ".namespace", true);
        if (!namespaces.contains(namespace)) {
            throw invalid(field + ".namespace", field + ".namespace must be one of the system's namespaces");
        }
        return new SqlMatch(identifier(node, "column", field, IDENTIFIER), namespace);
    }

    private static SqlVia via(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        object(node, field);
        known(node, VIA, field + ".");
        return new SqlVia(identifier(node, "column", field, IDENTIFIER), identifier(node, "parent", field, TABLE));
    }

    private static SqlAction action(String text, String field) {
        return switch (text) {
            case "delete" -> SqlAction.DELETE;
            case "mask" -> SqlAction.MASK;
            default -> throw invalid(field, field + " must be delete or mask");
        };
    }

    private static List<SqlMask> masks(JsonNode array, String field) {
        final List<SqlMask> masks = new ArrayList<>();
        if (array == null) {
            return masks;
        }
        if (!array.isArray()) {
            throw SystemsValidator.type(field, "an array of {column, strategy, value}");
        }
        final Set<String> columns = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            final String element = field + "[" + i + "]";
            final JsonNode node = array.get(i);
            object(node, element);
            known(node, MASK, element + ".");
            final String column = identifier(node, "column", element, IDENTIFIER);
            if (!columns.add(column)) {
                throw invalid(element + ".column", element + ".column repeats an earlier column");
            }
            final SqlMaskStrategy strategy = strategy(text(node, "strategy", element + ".strategy", true),
                    element + ".strategy");
            final String value = text(node, "value", element + ".value", false);
            if ((strategy == SqlMaskStrategy.FIXED) != (value != null)) {
                throw invalid(element + ".value", element + ".value is required for strategy fixed and allowed only "
                        + "there");
            }
            masks.add(new SqlMask(column, strategy, value));
        }
        return masks;
    }

    private static SqlMaskStrategy strategy(String text, String field) {
        return switch (text) {
            case "null" -> SqlMaskStrategy.NULL;
            case "fixed" -> SqlMaskStrategy.FIXED;
            case "hmac" -> SqlMaskStrategy.HMAC;
            case "random" -> SqlMaskStrategy.RANDOM;
            default -> throw invalid(field, field + " must be one of null, fixed, hmac, random");
        };
    }

    private static List<SqlFileColumn> fileColumns(JsonNode array, String field) {
        final List<SqlFileColumn> files = new ArrayList<>();
        if (array == null) {
            return files;
        }
        if (!array.isArray()) {
            throw SystemsValidator.type(field, "an array of {column, path, manifest}");
        }
        for (int i = 0; i < array.size(); i++) {
            final String element = field + "[" + i + "]";
            final JsonNode node = array.get(i);
            object(node, element);
            known(node, FILE, element + ".");
            final String path = text(node, "path", element + ".path", false);
            if (path != null && !JSON_PATH.matcher(path).matches()) {
                throw invalid(element + ".path", element + ".path must be a JSON path such as $[*] or $.files[*].url");
            }
            final JsonNode manifest = present(node, "manifest");
            if (manifest != null && !manifest.isBoolean()) {
                throw SystemsValidator.type(element + ".manifest", "true or false");
            }
            files.add(new SqlFileColumn(identifier(node, "column", element, IDENTIFIER), path,
                    manifest != null && manifest.booleanValue()));
        }
        return files;
    }

    private static String identifier(JsonNode node, String name, String parent, Pattern pattern) {
        final String field = parent + "." + name;
        final String value = text(node, name, field, true);
        if (!pattern.matcher(value).matches()) {
            throw invalid(field, field + " must be a plain SQL identifier (letters, digits, '_'"
                    + (pattern == TABLE ? "; optionally schema.table" : "") + ")");
        }
        return value;
    }

    /**
     * The rules in the order they run: every rule after the tables its {@code after} names, and a
     * rule found {@code via} a parent before that parent (whose rows it is found through). Ties
     * keep the registration's order. A cycle is refused naming the first rule in it.
     */
    public static List<SqlTableRule> order(List<SqlTableRule> rules) {
        final Map<String, SqlTableRule> byTable = new LinkedHashMap<>();
        rules.forEach(r -> byTable.put(r.getTable(), r));
        final Map<String, Set<String>> before = new HashMap<>();
        for (SqlTableRule rule : rules) {
            before.computeIfAbsent(rule.getTable(), t -> new HashSet<>()).addAll(rule.getAfter());
            if (rule.getVia() != null) {
                before.computeIfAbsent(rule.getVia().getParent(), t -> new HashSet<>()).add(rule.getTable());
            }
        }
        final List<SqlTableRule> ordered = new ArrayList<>();
        final Set<String> done = new HashSet<>();
        while (ordered.size() < rules.size()) {
            SqlTableRule next = null;
            for (SqlTableRule rule : byTable.values()) {
                if (!done.contains(rule.getTable()) && done.containsAll(before.getOrDefault(rule.getTable(), Set.of()))) {
                    next = rule;
                    break;
                }
            }
            if (next == null) {
                final int first = rules.indexOf(rules.stream().filter(r -> !done.contains(r.getTable())).findFirst()
                        .orElseThrow());
                throw invalid("sql.tables[" + first + "].after", "sql.tables: the order (after, and via parents "
                        + "after their children) has a cycle through " + rules.get(first).getTable());
            }
            ordered.add(next);
            done.add(next.getTable());
        }
        return ordered;
    }

    /** The JSON shape of {@code sql}, as {@link #read} takes it. */
    static void toJson(SqlSettings sql, ObjectNode parent) {
        final ObjectNode node = parent.putObject("sql");
        node.put("jdbcUrl", sql.getJdbcUrl());
        node.put("credentials", sql.getCredentials());
        node.put("rowsPerBatch", sql.getRowsPerBatch());
        node.put("rowsPerSecond", sql.getRowsPerSecond());
        if (sql.getWindow() != null) {
            node.putObject("window").put("from", sql.getWindow().getFrom())
                    .put("to", sql.getWindow().getTo()).put("zone", sql.getWindow().getZone());
        }
        if (sql.getFiles() != null) {
            final ObjectNode files = node.putObject("files");
            sql.getFiles().getBuckets().forEach(files.putArray("buckets")::add);
            final ObjectNode cdn = files.putObject("cdnDomains");
            sql.getFiles().getCdnDomains().forEach(cdn::put);
            files.put("deletesPerSecond", sql.getFiles().getDeletesPerSecond());
        }
        final var tables = node.putArray("tables");
        for (SqlTableRule rule : sql.getTables()) {
            final ObjectNode r = tables.addObject();
            r.put("table", rule.getTable());
            r.put("key", rule.getKey());
            if (rule.getMatch() != null) {
                r.putObject("match").put("column", rule.getMatch().getColumn())
                        .put("namespace", rule.getMatch().getNamespace());
            }
            if (rule.getVia() != null) {
                r.putObject("via").put("column", rule.getVia().getColumn()).put("parent", rule.getVia().getParent());
            }
            r.put("action", rule.getAction().name().toLowerCase(Locale.ROOT));
            final var mask = r.putArray("mask");
            for (SqlMask m : rule.getMask()) {
                final ObjectNode entry = mask.addObject().put("column", m.getColumn())
                        .put("strategy", m.getStrategy().name().toLowerCase(Locale.ROOT));
                if (m.getValue() != null) {
                    entry.put("value", m.getValue());
                }
            }
            final var files = r.putArray("files");
            for (SqlFileColumn f : rule.getFiles()) {
                final ObjectNode entry = files.addObject().put("column", f.getColumn());
                if (f.getPath() != null) {
                    entry.put("path", f.getPath());
                }
                entry.put("manifest", f.getManifest());
            }
            rule.getAfter().forEach(r.putArray("after")::add);
        }
    }

    private static InvalidRegistrationException invalid(String field, String message) {
        return SystemsValidator.invalid(field, message);
    }
}
