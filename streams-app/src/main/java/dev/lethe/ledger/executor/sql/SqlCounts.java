package dev.lethe.ledger.executor.sql;

import dev.lethe.avro.ErasureEvent;
import dev.lethe.avro.Identifier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Counts a subject's rows per table with one parameterised {@code SELECT COUNT(*)} per rule and
 * identifier value: what a request would touch (the preview) and what is left after erasing (the
 * verification recorded as evidence). Reads only.
 */
public final class SqlCounts {

    private SqlCounts() {
    }

    /** Rows of {@code rule} found by any of {@code values}. */
    static long count(Connection c, SqlSchema.Rule rule, List<String> values) throws SQLException {
        long rows = 0;
        try (PreparedStatement statement = c.prepareStatement("SELECT COUNT(*) FROM " + rule.table()
                + " WHERE " + rule.where())) {
            for (String value : values) {
                if (!SqlSchema.bind(statement, 1, rule, value)) {
                    continue;
                }
                try (ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    rows += rs.getLong(1);
                }
            }
        }
        return rows;
    }

    /** Rows per table (in the order the rules run) that {@code identifiers} would find. */
    public static Map<String, Long> perTable(Connection c, List<SqlSchema.Rule> rules, List<Identifier> identifiers)
            throws SQLException {
        final Map<String, Long> counts = new LinkedHashMap<>();
        for (SqlSchema.Rule rule : rules) {
            counts.put(rule.name(), count(c, rule, values(identifiers, rule.namespace())));
        }
        return counts;
    }

    /** The values of a namespace the event names: the subject's own and every identifier's, as the other executors take them. */
    static List<String> values(ErasureEvent event, String namespace) {
        final List<Identifier> all = new java.util.ArrayList<>();
        all.add(event.getSubject());
        all.addAll(event.getIdentifiers());
        return values(all, namespace);
    }

    private static List<String> values(List<Identifier> identifiers, String namespace) {
        final Set<String> values = new LinkedHashSet<>();
        for (Identifier identifier : identifiers) {
            if (namespace.equals(identifier.getNamespace()) && identifier.getValue() != null
                    && !identifier.getValue().isBlank()) {
                values.add(identifier.getValue());
            }
        }
        return List.copyOf(values);
    }
}
