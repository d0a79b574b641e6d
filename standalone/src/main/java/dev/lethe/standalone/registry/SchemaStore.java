package dev.lethe.standalone.registry;

import dev.lethe.schemas.registry.Compatibility;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.Schema;

/**
 * The registry's state in memory, folded from {@link LogRecord}s: global ids to schemas, per
 * subject its versions in order, and the subjects' own compatibility levels. A schema's id is global: the same canonical schema has the
 * same id under every subject, as in Confluent's registry. Ids and schemas are never forgotten,
 * even when a version is deleted, so bytes written with an id stay readable.
 *
 * <p>Thread-safe: every method holds the store's lock.
 */
final class SchemaStore {

    /** One version of a subject. */
    record SubjectVersion(String subject, int version, int id, Schema schema) {
    }

    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, Integer> idsByCanonical = new HashMap<>();
    private final Map<String, TreeMap<Integer, Integer>> idsBySubjectVersion = new TreeMap<>();
    private final Map<String, Compatibility> levels = new HashMap<>();

    /** Folds one record of the schemas topic into the state. */
    synchronized void apply(LogRecord record) {
        if (record instanceof SchemaRecord schema) {
            applySchema(schema);
        } else if (record instanceof ConfigRecord config) {
            applyConfig(config);
        } else {
            throw new IllegalArgumentException("unknown record of the schemas topic: " + record);
        }
    }

    private void applyConfig(ConfigRecord record) {
        if (record.level() == null) {
            levels.remove(record.subject());
        } else {
            levels.put(record.subject(), record.level());
        }
    }

    private void applySchema(SchemaRecord record) {
        if (record.deleted()) {
            final TreeMap<Integer, Integer> versions = idsBySubjectVersion.get(record.subject());
            if (versions != null) {
                versions.remove(record.version());
                if (versions.isEmpty()) {
                    idsBySubjectVersion.remove(record.subject());
                }
            }
            return;
        }
        final Schema schema = AvroSchemas.parse(record.schema());
        schemasById.putIfAbsent(record.id(), schema);
        idsByCanonical.putIfAbsent(schema.toString(), record.id());
        idsBySubjectVersion.computeIfAbsent(record.subject(), s -> new TreeMap<>()).put(record.version(), record.id());
    }

    /** The level set on {@code subject} itself, if any. */
    synchronized Optional<Compatibility> compatibility(String subject) {
        return Optional.ofNullable(levels.get(subject));
    }

    synchronized Optional<Schema> schema(int id) {
        return Optional.ofNullable(schemasById.get(id));
    }

    /** The id this schema already has under any subject. */
    synchronized Optional<Integer> idOf(Schema schema) {
        return Optional.ofNullable(idsByCanonical.get(schema.toString()));
    }

    /** The id the next new schema gets: one more than the highest so far, from 1. */
    synchronized int nextId() {
        return schemasById.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
    }

    synchronized List<String> subjects() {
        return List.copyOf(idsBySubjectVersion.keySet());
    }

    /** The subject's versions in order, or empty if it has none. */
    synchronized List<Integer> versions(String subject) {
        final TreeMap<Integer, Integer> versions = idsBySubjectVersion.get(subject);
        return versions == null ? List.of() : List.copyOf(versions.keySet());
    }

    synchronized Optional<SubjectVersion> version(String subject, int version) {
        final TreeMap<Integer, Integer> versions = idsBySubjectVersion.get(subject);
        final Integer id = versions == null ? null : versions.get(version);
        return id == null ? Optional.empty() : Optional.of(new SubjectVersion(subject, version, id, schemasById.get(id)));
    }

    synchronized Optional<SubjectVersion> latest(String subject) {
        final TreeMap<Integer, Integer> versions = idsBySubjectVersion.get(subject);
        return versions == null ? Optional.empty() : version(subject, versions.lastKey());
    }

    /** The subject's version holding this schema, if it was registered there. */
    synchronized Optional<SubjectVersion> find(String subject, Schema schema) {
        final Integer id = idsByCanonical.get(schema.toString());
        final TreeMap<Integer, Integer> versions = idsBySubjectVersion.get(subject);
        if (id == null || versions == null) {
            return Optional.empty();
        }
        return versions.entrySet().stream()
                .filter(e -> e.getValue().equals(id))
                .findFirst()
                .map(e -> new SubjectVersion(subject, e.getKey(), id, schemasById.get(id)));
    }

    /** Every subject version that holds the schema with this id. */
    synchronized List<SubjectVersion> usesOf(int id) {
        final List<SubjectVersion> uses = new ArrayList<>();
        idsBySubjectVersion.forEach((subject, versions) -> versions.forEach((version, versionId) -> {
            if (versionId == id) {
                uses.add(new SubjectVersion(subject, version, id, schemasById.get(id)));
            }
        }));
        return uses;
    }
}
