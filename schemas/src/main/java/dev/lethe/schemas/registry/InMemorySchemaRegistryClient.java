package dev.lethe.schemas.registry;

import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * A registry held in memory, for tests and tools that have no registry: the same schema gets
 * the same global id under every subject, as in Confluent's registry.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {

    private final Map<String, Integer> idsBySchema = new HashMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();

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
}
