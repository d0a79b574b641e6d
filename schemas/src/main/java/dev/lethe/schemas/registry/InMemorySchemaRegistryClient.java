package dev.lethe.schemas.registry;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * A registry held in memory, for tests and tools that have no registry: the same schema gets
 * the same global id under every subject, as in Confluent's registry. Compatibility levels are
 * kept but not enforced.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {

    private final Map<String, Integer> idsBySchema = new HashMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, Compatibility> levels = new HashMap<>();

    @Override
    public synchronized int register(String subject, Schema schema) {
        return idsBySchema.computeIfAbsent(schema.toString(), text -> {
            final int id = schemasById.size() + 1;
            schemasById.put(id, schema);
            return id;
        });
    }

    @Override
    public synchronized Schema schemaById(int id) {
        final Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaRegistryException("schema " + id + " not found", 404);
        }
        return schema;
    }

    @Override
    public synchronized Optional<Compatibility> compatibility(String subject) {
        return Optional.ofNullable(levels.get(subject));
    }

    @Override
    public synchronized void setCompatibility(String subject, Compatibility level) {
        levels.put(subject, level);
    }
}
