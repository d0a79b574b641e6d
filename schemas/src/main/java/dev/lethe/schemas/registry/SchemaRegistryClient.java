package dev.lethe.schemas.registry;

import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry API that the serdes need: register a writer schema
 * under a subject and get its global id; fetch a schema by id. Implementations cache both ways.
 */
public interface SchemaRegistryClient {

    /** Registers (or finds) {@code schema} under {@code subject}; returns its global id. */
    int register(String subject, Schema schema);

    /** The schema with this global id; throws {@link SchemaRegistryException} when unknown. */
    Schema schemaById(int id);
}
