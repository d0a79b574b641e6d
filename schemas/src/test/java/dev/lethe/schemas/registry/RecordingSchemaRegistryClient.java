package dev.lethe.schemas.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * A schema registry fake that records every call, so tests can check which subjects a serde
 * registers under and how often it asks. Ids start at a caller-chosen value, so a test can pick
 * one whose four bytes all differ and see the big-endian order on the wire.
 */
public final class RecordingSchemaRegistryClient implements SchemaRegistryClient {

    /** One {@link #register} call. */
    public record Registration(String subject, Schema schema) {
    }

    private final Map<String, Integer> idsBySchema = new HashMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final List<Registration> registrations = new ArrayList<>();
    private final List<Integer> lookups = new ArrayList<>();
    private int nextId;

    public RecordingSchemaRegistryClient(int firstId) {
        this.nextId = firstId;
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        registrations.add(new Registration(subject, schema));
        return idsBySchema.computeIfAbsent(schema.toString(), text -> {
            final int id = nextId++;
            schemasById.put(id, schema);
            return id;
        });
    }

    @Override
    public synchronized Schema schemaById(int id) {
        lookups.add(id);
        final Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaRegistryException("schema " + id + " not found", 404);
        }
        return schema;
    }

    public synchronized List<Registration> registrations() {
        return List.copyOf(registrations);
    }

    public synchronized List<String> subjects() {
        return registrations.stream().map(Registration::subject).toList();
    }

    public synchronized List<Integer> lookups() {
        return List.copyOf(lookups);
    }
}
